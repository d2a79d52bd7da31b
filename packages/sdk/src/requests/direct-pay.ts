import type { ResolvedConfig } from '../config.js';
import { buildWithAntiPhishing } from './anti-phishing.js';
import type { PageRequest } from './page-request.js';
import type { TradeInputBase } from './trade-input.js';
import { mergeInOrder, toWireParams } from './wire-params.js';

/**
 * Input of `create_direct_pay_by_user` (protocol.md §4.1): the shared fields of TradeInputBase and
 * the instant-payment ones; `totalFen`/`priceFen` are conveniences in whole fen.
 */
export interface DirectPayInput extends TradeInputBase {
  /** The total in yuan as a string, e.g. `"0.01"`. Either this (or `totalFen`) or `price` + `quantity`. */
  total_fee?: string;
  /** The total in whole fen, instead of `total_fee`. */
  totalFen?: number;
  price?: string;
  priceFen?: number;
  quantity?: string | number;
  /** Default `1` (商品购买). */
  payment_type?: string;
  paymethod?: 'directPay' | 'creditPay' | 'bankPay' | 'cartoon' | 'cash' | 'CASH';
  defaultbank?: string;
  enable_paymethod?: string;
  need_ctu_check?: 'Y' | 'N';
  royalty_type?: '10';
  royalty_parameters?: string;
  extend_param?: string;
  default_login?: 'Y' | 'N';
  product_type?: string;
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
