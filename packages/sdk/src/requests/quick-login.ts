import type { ResolvedConfig } from '../config.js';
import { buildWithAntiPhishing } from './anti-phishing.js';
import { buildPageRequest, type PageRequest } from './page-request.js';
import { mergeInOrder, toWireParams } from './wire-params.js';

/** Input of `alipay.auth.authorize` (protocol.md §4.5). */
export interface AuthorizeInput {
  /**
   * Where the buyer comes back with `user_id` and `token`. Required, and not defaulted from
   * `config.returnUrl`: that is the payment return page, which cannot handle a login return.
   */
  return_url: string;
  exter_invoke_ip?: string;
  anti_phishing_key?: string;
}

/**
 * Builds a signed quick-login request (快捷登录, `target_service=user.auth.quick.login`).
 * @example const req = await authorize(config, { return_url: 'https://shop.example.com/alipay/login' })
 */
export async function authorize(config: ResolvedConfig, input: AuthorizeInput): Promise<PageRequest> {
  const wire = mergeInOrder(
    { service: 'alipay.auth.authorize', _input_charset: config.charset, partner: config.partner, target_service: 'user.auth.quick.login' },
    toWireParams(input),
  );
  return buildWithAntiPhishing(config, 'alipay.auth.authorize', wire);
}

/** Input of `user.logistics.address.query` (protocol.md §4.6). */
export interface QueryAddressInput {
  /** The token from the quick-login return. */
  token: string;
  /** Where the chosen address is POSTed back (`user_id`, `receive_address`). Required, not defaulted. */
  return_url: string;
}

/**
 * Builds a signed address-query request (物流地址查询): the buyer picks one of the addresses saved at
 * Alipay. Synchronous work, async for symmetry with the other page builders.
 * @example const req = await queryAddress(config, { token, return_url: 'https://shop.example.com/alipay/address' })
 */
export async function queryAddress(config: ResolvedConfig, input: QueryAddressInput): Promise<PageRequest> {
  const wire = mergeInOrder({ service: 'user.logistics.address.query', _input_charset: config.charset, partner: config.partner }, toWireParams(input));
  return buildPageRequest(config, 'user.logistics.address.query', wire);
}
