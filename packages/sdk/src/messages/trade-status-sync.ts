import { isRefundStatus, isTradeStatus, type RefundStatus, type TradeStatus } from '../trade-status.js';
import { baseFields, copyFields, fenOf, malformed, required, type MessageBase, type MessageVia } from './message-base.js';

/** `logistics_type` values (protocol.md §4.2); others pass through. */
export type LogisticsType = 'EXPRESS' | 'POST' | 'EMS' | 'DIRECT' | (string & {});
/** `logistics_payment` values (protocol.md §4.2); others pass through. */
export type LogisticsPayment = 'SELLER_PAY' | 'BUYER_PAY' | 'BUYER_PAY_AFTER_RECEIVE' | (string & {});
/** `Y`/`N` flags; older documents say `T`/`F` (protocol.md §4.1). */
export type YesNo = 'Y' | 'N' | 'T' | 'F' | (string & {});

/**
 * A `trade_status_sync` return or notification (protocol.md §4.1–4.3): every field of the return
 * and notify tables, under its wire name. Amounts stay the decimal strings that were signed, with
 * their value in fen beside them (`total_fee` / `totalFen`).
 */
export interface TradeStatusSyncMessage extends MessageBase {
  kind: 'trade_status_sync';
  /** Returns only: the service that produced the return, e.g. `create_direct_pay_by_user`. */
  exterface?: string;
  out_trade_no: string;
  /** Alipay's trade number. */
  trade_no: string;
  trade_status: TradeStatus;
  /** In refund-related notifications (protocol.md §5.4). */
  refund_status?: RefundStatus;
  subject?: string;
  body?: string;
  payment_type?: string;
  gmt_create?: string;
  gmt_payment?: string;
  gmt_close?: string;
  gmt_send_goods?: string;
  gmt_logistics_modify?: string;
  /** With refund notifications. */
  gmt_refund?: string;
  seller_email?: string;
  seller_id?: string;
  buyer_email?: string;
  buyer_id?: string;
  /** Credit-pay agent's user id (direct pay returns). */
  agent_user_id?: string;
  total_fee?: string;
  price?: string;
  quantity?: string;
  /** Added to the amount; negative is a discount. */
  discount?: string;
  coupon_discount?: string;
  is_total_fee_adjust?: YesNo;
  use_coupon?: YesNo;
  extra_common_param?: string;
  /** `渠道1|渠道2`, e.g. `OPTIMIZED_MOTO|BALANCE`. */
  out_channel_type?: string;
  /** `90.00|10.00`. */
  out_channel_amount?: string;
  out_channel_inst?: string;
  /** `qrpay` for QR payments. */
  business_scene?: string;
  /** The logistics group the buyer chose (escrow, protocol.md §4.2). */
  logistics_type?: LogisticsType;
  logistics_fee?: string;
  logistics_payment?: LogisticsPayment;
  logistics_status?: string;
  receive_name?: string;
  /** The consignee's address as plain text (unlike the address query's XML `receive_address`). */
  receive_address?: string;
  receive_zip?: string;
  receive_phone?: string;
  receive_mobile?: string;
  /** Comma-separated action set, e.g. `REFUND,CONFIRM_GOODS` (protocol.md §5.3). */
  buyer_actions?: string;
  seller_actions?: string;
  /** `total_fee` in fen. */
  totalFen?: number;
  /** `price` in fen. */
  priceFen?: number;
  /** `discount` in fen (negative for a discount). */
  discountFen?: number;
  /** `coupon_discount` in fen. */
  couponDiscountFen?: number;
  /** `logistics_fee` in fen. */
  logisticsFeeFen?: number;
  /** `buyer_actions` split on commas; empty when absent. */
  buyerActions: string[];
  /** `seller_actions` split on commas; empty when absent. */
  sellerActions: string[];
}

const STRING_FIELDS = [
  'exterface',
  'subject',
  'body',
  'payment_type',
  'gmt_create',
  'gmt_payment',
  'gmt_close',
  'gmt_send_goods',
  'gmt_logistics_modify',
  'gmt_refund',
  'seller_email',
  'seller_id',
  'buyer_email',
  'buyer_id',
  'agent_user_id',
  'total_fee',
  'price',
  'quantity',
  'discount',
  'coupon_discount',
  'is_total_fee_adjust',
  'use_coupon',
  'extra_common_param',
  'out_channel_type',
  'out_channel_amount',
  'out_channel_inst',
  'business_scene',
  'logistics_type',
  'logistics_fee',
  'logistics_payment',
  'logistics_status',
  'receive_name',
  'receive_address',
  'receive_zip',
  'receive_phone',
  'receive_mobile',
  'buyer_actions',
  'seller_actions',
] as const satisfies ReadonlyArray<keyof TradeStatusSyncMessage>;

/**
 * Reads a `trade_status_sync` return or notification. `trade_status`, `out_trade_no` and
 * `trade_no` are required; an unknown status or a malformed amount is refused (`malformed`).
 * @example
 * const m = parseTradeStatusSync({ notify_type: 'trade_status_sync', out_trade_no: 'A1', trade_no: '2015…',
 *   trade_status: 'TRADE_SUCCESS', total_fee: '0.01' }, 'notify');
 * m.totalFen // 1
 */
export function parseTradeStatusSync(raw: Readonly<Record<string, string>>, via: MessageVia): TradeStatusSyncMessage {
  const status = required(raw, 'trade_status', 'trade_status_sync');
  if (!isTradeStatus(status)) throw malformed(`unknown trade_status "${status}" (protocol.md §5.1)`);
  const refund = raw.refund_status;
  if (refund !== undefined && refund !== '' && !isRefundStatus(refund)) {
    throw malformed(`unknown refund_status "${refund}" (protocol.md §5.4)`);
  }
  const message: TradeStatusSyncMessage = {
    ...baseFields(raw, via),
    kind: 'trade_status_sync',
    out_trade_no: required(raw, 'out_trade_no', 'trade_status_sync'),
    trade_no: required(raw, 'trade_no', 'trade_status_sync'),
    trade_status: status,
    buyerActions: splitActions(raw.buyer_actions),
    sellerActions: splitActions(raw.seller_actions),
  };
  if (refund) message.refund_status = refund as RefundStatus;
  copyFields(raw, message as unknown as Record<string, unknown>, STRING_FIELDS);
  setFen(message, 'totalFen', fenOf(raw, 'total_fee'));
  setFen(message, 'priceFen', fenOf(raw, 'price'));
  setFen(message, 'discountFen', fenOf(raw, 'discount'));
  setFen(message, 'couponDiscountFen', fenOf(raw, 'coupon_discount'));
  setFen(message, 'logisticsFeeFen', fenOf(raw, 'logistics_fee'));
  return message;
}

function setFen(
  message: TradeStatusSyncMessage,
  name: 'totalFen' | 'priceFen' | 'discountFen' | 'couponDiscountFen' | 'logisticsFeeFen',
  fen: number | undefined,
): void {
  if (fen !== undefined) message[name] = fen;
}

function splitActions(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
}
