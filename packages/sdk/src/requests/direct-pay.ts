import type { ResolvedConfig } from '../config.js';
import { buildWithAntiPhishing } from './anti-phishing.js';
import type { PageRequest } from './page-request.js';
import { mergeInOrder, toWireParams } from './wire-params.js';

/**
 * Input of `create_direct_pay_by_user` (protocol.md §4.1). Keys are the wire names, so the official
 * docs apply as written; `totalFen`/`priceFen` are conveniences in whole fen.
 */
export interface DirectPayInput {
  /** Your order number, unique per partner (≤ 64). */
  out_trade_no: string;
  /** The order title (≤ 256, i.e. 128 Chinese characters). */
  subject: string;
  /** The total in yuan as a string, e.g. `"0.01"`. Either this (or `totalFen`) or `price` + `quantity`. */
  total_fee?: string;
  /** The total in whole fen, instead of `total_fee`. */
  totalFen?: number;
  price?: string;
  priceFen?: number;
  quantity?: string | number;
  /** Default `1` (商品购买). */
  payment_type?: string;
  /** Default `config.notifyUrl`. */
  notify_url?: string;
  /** Default `config.returnUrl`. */
  return_url?: string;
  /** Default `config.sellerId` (the partner id). */
  seller_id?: string;
  /** Default `config.sellerEmail`. */
  seller_email?: string;
  seller_account_name?: string;
  buyer_id?: string;
  buyer_email?: string;
  buyer_account_name?: string;
  body?: string;
  show_url?: string;
  paymethod?: 'directPay' | 'creditPay' | 'bankPay' | 'cartoon' | 'cash' | 'CASH';
  defaultbank?: string;
  enable_paymethod?: string;
  need_ctu_check?: 'Y' | 'N';
  royalty_type?: '10';
  royalty_parameters?: string;
  /** Filled from `query_timestamp` when `config.antiPhishing` is on. */
  anti_phishing_key?: string;
  /** The buyer's IP, required when the account's IP check is on. */
  exter_invoke_ip?: string;
  /** Echoed back in the return and notification (≤ 100, no `=` or `&`). */
  extra_common_param?: string;
  extend_param?: string;
  /** Unpaid timeout `1m`–`15d` or `1c`; needs the custom-timeout feature. */
  it_b_pay?: string;
  default_login?: 'Y' | 'N';
  product_type?: string;
  /** The quick-login token, so a logged-in buyer skips the cashier login. */
  token?: string;
  sign_id_ext?: string;
  sign_name_ext?: string;
  qr_pay_mode?: '0' | '1' | '2' | '3';
  error_notify_url?: string;
  item_orders_info?: string;
}

/**
 * Builds a signed instant-payment request (即时到账). Async because, with `config.antiPhishing`, it
 * first fetches an `anti_phishing_key`. Validates before signing: a bad input throws the gateway's
 * own `GatewayError` code.
 * @example
 * const req = await createDirectPayByUser(config, { out_trade_no: 'A1', subject: '测试', total_fee: '0.01' })
 * res.redirect(req.url) // or res.send(req.form())
 */
export async function createDirectPayByUser(config: ResolvedConfig, input: DirectPayInput): Promise<PageRequest> {
  const wire = mergeInOrder(
    {
      service: 'create_direct_pay_by_user',
      _input_charset: config.charset,
      partner: config.partner,
      seller_id: config.sellerId,
      seller_email: config.sellerEmail,
      payment_type: '1',
    },
    toWireParams(input),
    { notify_url: config.notifyUrl, return_url: config.returnUrl },
  );
  return buildWithAntiPhishing(config, 'create_direct_pay_by_user', wire);
}
