import { formatAlipayTime, fromFen } from 'alipay-legacy';
import { isEscrowService } from './service-catalogue.js';
import { buyerActions, protocolActions, sellerActions } from './services/trade-rules.js';
import type { Trade } from './services/types.js';

/**
 * What a trade says on the wire, field by field: the one list from which both the
 * trade_status_sync notification (and so the return, notifications/trade-params.ts) and the
 * `<trade>` block of a single_trade_query reply are made. A new field on the wire is one line
 * here.
 *
 * - `kind` says how the value is written: `text` as it is, `amount` fen as "0.01", `time` as
 *   Beijing `yyyy-MM-dd HH:mm:ss` (decisions.md §9), `flag` `Y`/`N` in notifications and `T`/`F`
 *   in the query reply (protocol.md §4.1, §4.9).
 * - `notification`: carried by every trade's notification (`true`), by escrow trades' only
 *   (`'escrow'`, the protocol.md §4.2 table), or when the function says so.
 * - `query`: carried by the query reply (protocol.md §4.9 `<trade>` table).
 *
 * An empty value (null or '') is left out of either message (decisions.md §22).
 */
export type TradeField = (
  | { kind: 'text'; read: (trade: Trade, now: number) => string | number | null }
  | { kind: 'amount' | 'time'; read: (trade: Trade) => number | null }
  | { kind: 'flag'; read: (trade: Trade) => boolean }
) & {
  notification?: true | 'escrow' | ((trade: Trade) => boolean);
  query?: true;
};

const option = (trade: Trade) => (trade.logisticsIndex === null ? undefined : trade.logisticsOptions[trade.logisticsIndex]);

/** In the notification's order (the order of its form body); the query reply sorts them by name. */
export const TRADE_FIELDS = {
  out_trade_no: { kind: 'text', read: (t) => t.outTradeNo, notification: true, query: true },
  trade_no: { kind: 'text', read: (t) => t.tradeNo, notification: true, query: true },
  subject: { kind: 'text', read: (t) => t.subject, notification: true, query: true },
  body: { kind: 'text', read: (t) => t.body, notification: true, query: true },
  payment_type: { kind: 'text', read: (t) => t.paymentType, notification: true, query: true },
  trade_status: { kind: 'text', read: (t) => t.tradeStatus, notification: true, query: true },
  refund_status: { kind: 'text', read: (t) => t.refundStatus, notification: true, query: true },
  gmt_create: { kind: 'time', read: (t) => t.gmtCreate, notification: true, query: true },
  gmt_payment: { kind: 'time', read: (t) => t.gmtPayment, notification: true, query: true },
  gmt_close: { kind: 'time', read: (t) => t.gmtClose, notification: true, query: true },
  // protocol.md §4.1: "sent with refund notifications".
  gmt_refund: { kind: 'time', read: (t) => t.gmtRefund, notification: (t) => t.refundStatus === 'REFUND_SUCCESS', query: true },
  seller_email: { kind: 'text', read: (t) => t.sellerEmail, notification: true, query: true },
  seller_id: { kind: 'text', read: (t) => t.sellerId, notification: true, query: true },
  buyer_email: { kind: 'text', read: (t) => t.buyerEmail, notification: true, query: true },
  buyer_id: { kind: 'text', read: (t) => t.buyerId, notification: true, query: true },
  price: { kind: 'amount', read: (t) => t.priceFen, notification: true, query: true },
  quantity: { kind: 'text', read: (t) => t.quantity, notification: true, query: true },
  total_fee: { kind: 'amount', read: (t) => t.totalFeeFen, notification: true, query: true },
  discount: { kind: 'amount', read: (t) => t.discountFen, notification: true, query: true },
  is_total_fee_adjust: { kind: 'flag', read: (t) => t.totalFeeAdjust, notification: true, query: true },
  use_coupon: { kind: 'flag', read: () => false, notification: true, query: true },
  extra_common_param: { kind: 'text', read: (t) => t.extraCommonParam, notification: true },
  gmt_send_goods: { kind: 'time', read: (t) => t.gmtSendGoods, notification: 'escrow', query: true },
  gmt_logistics_modify: { kind: 'time', read: (t) => t.gmtLogisticsModify, notification: 'escrow', query: true },
  // The chosen group, un-suffixed (protocol.md §4.2).
  logistics_type: { kind: 'text', read: (t) => option(t)?.type ?? null, notification: 'escrow', query: true },
  logistics_fee: { kind: 'amount', read: (t) => option(t)?.feeFen ?? null, notification: 'escrow', query: true },
  logistics_payment: { kind: 'text', read: (t) => option(t)?.payment ?? null, notification: 'escrow', query: true },
  receive_name: { kind: 'text', read: (t) => t.receiveName, notification: 'escrow' },
  receive_address: { kind: 'text', read: (t) => t.receiveAddress, notification: 'escrow' },
  receive_zip: { kind: 'text', read: (t) => t.receiveZip, notification: 'escrow' },
  receive_phone: { kind: 'text', read: (t) => t.receivePhone, notification: 'escrow' },
  receive_mobile: { kind: 'text', read: (t) => t.receiveMobile, notification: 'escrow' },
  // protocol.md §5.3: the action sets, as of the message's time.
  buyer_actions: { kind: 'text', read: (t, now) => protocolActions(buyerActions(t, now)).join(','), notification: 'escrow' },
  seller_actions: { kind: 'text', read: (t) => protocolActions(sellerActions(t)).join(','), notification: 'escrow' },
  // The query reply's own fields (protocol.md §4.9; the README's "`<trade>` fields").
  flag_trade_locked: { kind: 'text', read: () => '0', query: true },
  gmt_last_modified_time: { kind: 'time', read: (t) => t.updatedAt, query: true },
  operator_role: { kind: 'text', read: () => 'B', query: true },
  to_buyer_fee: { kind: 'amount', read: (t) => t.refundedFen, query: true },
  to_seller_fee: { kind: 'amount', read: (t) => (t.gmtPayment !== null && settled(t) ? t.totalFeeFen - t.refundedFen : 0), query: true },
} satisfies Record<string, TradeField>;

function settled(trade: Trade): boolean {
  return trade.tradeStatus === 'TRADE_FINISHED' || trade.tradeStatus === 'TRADE_SUCCESS';
}

/** A field's value on the wire, undefined when empty. */
function write(field: TradeField, trade: Trade, now: number, flags: { yes: string; no: string }): string | undefined {
  switch (field.kind) {
    case 'text': {
      const value = field.read(trade, now);
      return value === null || value === '' ? undefined : String(value);
    }
    case 'amount': {
      const fen = field.read(trade);
      return fen === null ? undefined : fromFen(fen);
    }
    case 'time': {
      const ms = field.read(trade);
      return ms === null ? undefined : formatAlipayTime(ms);
    }
    case 'flag':
      return field.read(trade) ? flags.yes : flags.no;
  }
}

// Each message's fields, listed once: a notification is made on every trade change.
const NOTIFICATION_FIELDS = Object.entries<TradeField>(TRADE_FIELDS).filter(([, field]) => field.notification !== undefined);
const QUERY_FIELDS = Object.entries<TradeField>(TRADE_FIELDS)
  .filter(([, field]) => field.query === true)
  .sort(([a], [b]) => (a < b ? -1 : 1));
const NOTIFICATION_FLAGS = { yes: 'Y', no: 'N' };
const QUERY_FLAGS = { yes: 'T', no: 'F' };

/**
 * The trade fields of a trade_status_sync notification at `now` (protocol.md §4.1, §4.2), in order,
 * added to `out` (the message's own fields come first); empty ones undefined.
 */
export function tradeNotificationFields(trade: Trade, now: number, out: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const escrow = isEscrowService(trade.service);
  for (const [name, field] of NOTIFICATION_FIELDS) {
    const when = field.notification;
    if ((when === 'escrow' && !escrow) || (typeof when === 'function' && !when(trade))) continue;
    out[name] = write(field, trade, now, NOTIFICATION_FLAGS);
  }
  return out;
}

/**
 * The `<trade>` block of a `single_trade_query` reply (protocol.md §4.9, field names from S1's
 * stub and S10): sorted by name as in the stub, empty fields left out (decisions.md §22).
 */
export function tradeQueryFields(trade: Trade): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, field] of QUERY_FIELDS) {
    // No field of the query reply depends on the time of the message: the trade's last change stands for it.
    const value = write(field, trade, trade.updatedAt, QUERY_FLAGS);
    if (value !== undefined) out[name] = value;
  }
  return out;
}
