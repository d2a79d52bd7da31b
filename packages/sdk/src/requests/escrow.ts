import type { ResolvedConfig } from '../config.js';
import type { LogisticsPayment, LogisticsType } from '../services/logistics.js';
import { buildWithAntiPhishing } from './anti-phishing.js';
import type { PageRequest } from './page-request.js';
import type { TradeInputBase } from './trade-input.js';
import { mergeInOrder, toWireParams } from './wire-params.js';

/**
 * Input of `create_partner_trade_by_buyer` and `trade_create_by_buyer` (protocol.md §4.2, §4.3):
 * the shared fields of TradeInputBase and the escrow ones; `priceFen` is a convenience in whole fen.
 */
export interface EscrowInput extends TradeInputBase {
  /** Unit price in yuan as a string, 0.01–1000000.00 (or `priceFen`). */
  price?: string;
  priceFen?: number;
  /** Item count; the demos advise 1 with `price` = the order total. */
  quantity: string | number;
  /** First logistics option (required): type, freight and who pays it. */
  logistics_type: LogisticsType;
  logistics_fee: string;
  logistics_payment: LogisticsPayment;
  logistics_type_1?: LogisticsType;
  logistics_fee_1?: string;
  logistics_payment_1?: LogisticsPayment;
  logistics_type_2?: LogisticsType;
  logistics_fee_2?: string;
  logistics_payment_2?: LogisticsPayment;
  /** Default `1`; escrow accepts only 1. */
  payment_type?: string;
  /** Added to the total; negative for a discount. */
  discount?: string;
  total_fee?: string;
  receive_name?: string;
  receive_address?: string;
  receive_zip?: string;
  receive_phone?: string;
  receive_mobile?: string;
  t_s_send_1?: string;
  t_s_send_2?: string;
  t_b_rec_post?: string;
}

/**
 * Builds a signed escrow request (纯担保交易). With the inputs of protocol.md §2.6 V4 it gives the
 * published link byte for byte.
 * @example
 * const req = await createPartnerTradeByBuyer(config, {
 *   out_trade_no: 'A1', subject: 'test', price: '0.01', quantity: 1,
 *   logistics_type: 'EXPRESS', logistics_fee: '0', logistics_payment: 'SELLER_PAY',
 * })
 */
export function createPartnerTradeByBuyer(config: ResolvedConfig, input: EscrowInput): Promise<PageRequest> {
  return escrowRequest(config, 'create_partner_trade_by_buyer', input);
}

/**
 * Builds a signed dual-function request (标准双接口): the buyer picks escrow or instant payment.
 * @example const req = await tradeCreateByBuyer(config, { out_trade_no: 'A1', subject: 'test', price: '0.01', quantity: 1, logistics_type: 'POST', logistics_fee: '0', logistics_payment: 'SELLER_PAY' })
 */
export function tradeCreateByBuyer(config: ResolvedConfig, input: EscrowInput): Promise<PageRequest> {
  return escrowRequest(config, 'trade_create_by_buyer', input);
}

async function escrowRequest(
  config: ResolvedConfig,
  service: 'create_partner_trade_by_buyer' | 'trade_create_by_buyer',
  input: EscrowInput,
): Promise<PageRequest> {
  const wire = mergeInOrder(
    { service, _input_charset: config.charset, partner: config.partner, seller_id: config.sellerId, seller_email: config.sellerEmail, payment_type: '1' },
    toWireParams(input),
    { notify_url: config.notifyUrl, return_url: config.returnUrl },
  );
  return buildWithAntiPhishing(config, service, wire);
}
