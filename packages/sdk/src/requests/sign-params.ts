import { compactParams } from '../canonicalize.js';
import type { ResolvedConfig } from '../config.js';
import { sign } from '../sign.js';

/**
 * Signs request parameters with the merchant's key: empty values dropped (protocol.md §8.2), then
 * `sign_type` and `sign` appended after the others, in the order of the official links (§2.6 V4–V7).
 * It does not validate: the builders call `validateServiceRequest` first, and so should you.
 * @example
 * signParams(config, { service: 'single_trade_query', partner: config.partner, _input_charset: 'utf-8', out_trade_no: 'A1' })
 * // { service: …, out_trade_no: 'A1', sign_type: 'MD5', sign: '…' }
 */
export function signParams(config: ResolvedConfig, params: Readonly<Record<string, string | undefined | null>>): Record<string, string> {
  const out = compactParams(params);
  delete out.sign;
  delete out.sign_type;
  const signature = sign(out, { signType: config.signType, key: config.key, privateKey: config.privateKey, charset: config.charset });
  out.sign_type = config.signType;
  out.sign = signature;
  return out;
}

/** The gateway URL with a query appended (`?` or `&`, whichever the base needs). */
export function withQuery(gateway: string, query: string): string {
  return gateway + (gateway.includes('?') ? '&' : '?') + query;
}
