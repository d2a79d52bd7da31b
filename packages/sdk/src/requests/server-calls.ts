import type { ResolvedConfig } from '../config.js';
import { AlipayError } from '../errors.js';
import { isAmount, toFen } from '../money.js';
import type { ServiceName } from '../services/schema.js';
import { validateServiceRequest } from '../services/validate.js';
import type { AlipayXmlReply } from '../xml.js';
import { callGateway } from './gateway-call.js';
import { signParams } from './sign-params.js';
import { mergeInOrder, toWireParams } from './wire-params.js';

/**
 * The server-to-server services (protocol.md §4.4, §4.8–§4.10). Each validates, signs, POSTs, and
 * returns the reply typed, or throws: `GatewayError(CODE)` for `<is_success>F</is_success>`,
 * `AlipayError('gateway_timeout' | 'gateway_unreachable' | 'gateway_http_error' | 'malformed_xml')`
 * for transport problems, with the cause.
 */

/** Input of `send_goods_confirm_by_platform` (protocol.md §4.4). */
export interface SendGoodsInput {
  /** The Alipay trade number (from the return or notification), not your out_trade_no. */
  trade_no: string;
  /** The carrier, free text. */
  logistics_name: string;
  /** The waybill number. */
  invoice_no?: string;
  /** `POST`, `EXPRESS`, `EMS` or `DIRECT`; one of this and `create_transport_type` is required. */
  transport_type?: string;
  create_transport_type?: string;
  /** Your server's public IPv4 address. */
  seller_ip?: string;
}

/** What a server call answered, besides the typed fields. */
export interface ServerCallResult {
  /** The whole reply: `request` echo, `response` blocks, `sign`. */
  reply: AlipayXmlReply;
}

/** The reply of `send_goods_confirm_by_platform`: the trade block when the gateway sends one. */
export interface SendGoodsResult extends ServerCallResult {
  trade?: Record<string, string>;
}

/**
 * Confirms shipment of an escrow trade (确认发货): the trade moves to `WAIT_BUYER_CONFIRM_GOODS`.
 * @example
 * await sendGoodsConfirmByPlatform(config, { trade_no: '2015051900001000980052833539', logistics_name: '顺丰', invoice_no: 'SF1', transport_type: 'EXPRESS' })
 */
export async function sendGoodsConfirmByPlatform(config: ResolvedConfig, input: SendGoodsInput): Promise<SendGoodsResult> {
  const reply = await signedCall(config, 'send_goods_confirm_by_platform', input);
  const result: SendGoodsResult = { reply };
  if (reply.response.trade) result.trade = { ...reply.response.trade };
  return result;
}

/** Input of `single_trade_query`: one of the two numbers. */
export type SingleTradeQueryInput = { trade_no: string; out_trade_no?: string } | { trade_no?: string; out_trade_no: string };

/** The amount fields of a queried trade (protocol.md §4.9). */
export const TRADE_AMOUNT_FIELDS = [
  'total_fee',
  'price',
  'discount',
  'logistics_fee',
  'coupon_discount',
  'coupon_used_fee',
  'to_buyer_fee',
  'to_seller_fee',
  'refund_fee',
  'refund_cash_fee',
  'refund_coupon_fee',
  'refund_agent_pay_fee',
] as const;
export type TradeAmountField = (typeof TRADE_AMOUNT_FIELDS)[number];

/** The `<trade>` of a `single_trade_query` reply, as sent (protocol.md §4.9). */
export interface QueriedTrade {
  trade_no: string;
  out_trade_no: string;
  /** WAIT_BUYER_PAY, TRADE_SUCCESS, TRADE_FINISHED, TRADE_CLOSED, … */
  trade_status: string;
  subject?: string;
  body?: string;
  payment_type?: string;
  buyer_email?: string;
  buyer_id?: string;
  seller_email?: string;
  seller_id?: string;
  /** Yuan as sent, e.g. `640.00`; the same in fen is in `fen`. */
  total_fee?: string;
  price?: string;
  quantity?: string;
  discount?: string;
  logistics_fee?: string;
  coupon_discount?: string;
  coupon_used_fee?: string;
  to_buyer_fee?: string;
  to_seller_fee?: string;
  refund_fee?: string;
  refund_cash_fee?: string;
  refund_coupon_fee?: string;
  refund_agent_pay_fee?: string;
  refund_status?: string;
  refund_flow_type?: string;
  refund_id?: string;
  logistics_status?: string;
  additional_trade_status?: string;
  /** `T`/`F`. */
  is_total_fee_adjust?: string;
  /** `T`/`F`. */
  use_coupon?: string;
  /** `1` frozen, `0` not. */
  flag_trade_locked?: string;
  /** `B` or `S`. */
  operator_role?: string;
  gmt_create?: string;
  gmt_payment?: string;
  gmt_send_goods?: string;
  gmt_refund?: string;
  gmt_close?: string;
  gmt_logistics_modify?: string;
  gmt_last_modified_time?: string;
  time_out?: string;
  time_out_type?: string;
  fund_bill_list?: string;
  /** Any other field the gateway sends. */
  [field: string]: string | undefined;
}

/** The answer of `single_trade_query`. */
export interface SingleTradeQueryResult extends ServerCallResult {
  trade: QueriedTrade;
  /** The amount fields present, in fen. */
  fen: Partial<Record<TradeAmountField, number>>;
  /** `quantity` as a number, when present. */
  quantity?: number;
}

/**
 * Queries one trade (单笔交易查询) by Alipay `trade_no` or your `out_trade_no`. A trade the gateway
 * does not know is `GatewayError('TRADE_NOT_EXIST')`.
 * @example
 * const { trade, fen } = await singleTradeQuery(config, { out_trade_no: 'A1' })
 * if (trade.trade_status === 'TRADE_SUCCESS' && fen.total_fee === order.totalFen) …
 */
export async function singleTradeQuery(config: ResolvedConfig, input: SingleTradeQueryInput): Promise<SingleTradeQueryResult> {
  const reply = await signedCall(config, 'single_trade_query', input);
  const raw = reply.response.trade;
  if (!raw || !raw.trade_status) {
    throw new AlipayError('malformed_xml', 'single_trade_query: the reply says T but has no <response><trade> with a trade_status');
  }
  const trade = { ...raw } as QueriedTrade;
  const fen: Partial<Record<TradeAmountField, number>> = {};
  for (const field of TRADE_AMOUNT_FIELDS) {
    const value = raw[field];
    if (value === undefined || value === '') continue;
    if (!isAmount(value)) throw new AlipayError('malformed_xml', `single_trade_query: <${field}>${value}</${field}> is not an amount`);
    fen[field] = toFen(value, field);
  }
  const result: SingleTradeQueryResult = { reply, trade, fen };
  if (raw.quantity !== undefined && /^\d+$/.test(raw.quantity)) result.quantity = Number(raw.quantity);
  return result;
}

/** Input of `close_trade`: the Alipay `trade_no`, or your order number as `out_order_no` (not `out_trade_no`, protocol.md §4.10). */
export type CloseTradeInput = ({ trade_no: string; out_order_no?: string } | { trade_no?: string; out_order_no: string }) & {
  /** `B` (buyer) or `S` (seller). */
  trade_role?: 'B' | 'S';
};

/**
 * Closes an unpaid trade (关闭交易). A trade past `WAIT_BUYER_PAY` is `GatewayError('TRADE_STATUS_NOT_AVAILD')`.
 * @example await closeTrade(config, { out_order_no: 'A1', trade_role: 'S' })
 */
export async function closeTrade(config: ResolvedConfig, input: CloseTradeInput): Promise<ServerCallResult> {
  return { reply: await signedCall(config, 'close_trade', input) };
}

/** The answer of `query_timestamp`. */
export interface QueryTimestampResult extends ServerCallResult {
  /** The anti-phishing key: send it as `anti_phishing_key` within 30 s (decisions.md §18). */
  encryptKey: string;
}

/**
 * Fetches an anti-phishing timestamp (防钓鱼时间戳): an unsigned GET of
 * `service=query_timestamp&partner=…&_input_charset=…` (protocol.md §4.8).
 * @example const { encryptKey } = await queryTimestamp(config)
 */
export async function queryTimestamp(config: ResolvedConfig): Promise<QueryTimestampResult> {
  const params = { service: 'query_timestamp', partner: config.partner, _input_charset: config.charset };
  validateServiceRequest(params);
  const reply = await callGateway(config, params, { method: 'GET' });
  const encryptKey = reply.response.timestamp?.encrypt_key?.trim();
  if (!encryptKey) throw new AlipayError('malformed_xml', 'query_timestamp: the reply has no <response><timestamp><encrypt_key>');
  return { reply, encryptKey };
}

async function signedCall(config: ResolvedConfig, service: ServiceName, input: object): Promise<AlipayXmlReply> {
  const wire = mergeInOrder({ service, _input_charset: config.charset, partner: config.partner }, toWireParams(input));
  wire.service = service;
  validateServiceRequest(wire, { now: config.clock.now() });
  return callGateway(config, signParams(config, wire));
}
