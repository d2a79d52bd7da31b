import { compactParams, type Params } from './canonicalize.js';
import { sign, type SignOptions, type SignType } from './sign.js';

/**
 * Signs a message as Alipay sends it (a return, an asynchronous notification, a posted form):
 * empty values are dropped first (decisions.md §22), so old and new verifiers agree, then `sign`
 * and `sign_type` are appended. MD5 signs with the merchant's key; RSA with the signer's private
 * key, i.e. Alipay's (merchants verify with its public key, protocol.md §2.3). The sandbox signs
 * everything it sends with this, and so does `alipay-legacy/testing`: what verifies one verifies
 * the other.
 * @example
 * signMessage({ notify_id: 'x', out_trade_no: 'A1', body: '' }, { signType: 'MD5', key: '10000000000000000000000000000000' })
 * // { notify_id: 'x', out_trade_no: 'A1', sign: '…', sign_type: 'MD5' }
 */
export function signMessage(params: Params, options: SignOptions & { signType: SignType }): Record<string, string> {
  const out = compactParams(params);
  delete out.sign;
  delete out.sign_type;
  out.sign = sign(out, options);
  out.sign_type = options.signType;
  return out;
}
