import { formatAlipayTime, fromFen } from 'alipay-legacy';
import type { Buyer, Merchant, NotificationWithAttempts, RefundBatch, Trade, TradeEvent } from '../services/index.js';
import type { CheckReport } from '../services/check-merchant.js';

/**
 * What the test-helper API shows: snake_case names and wire formats (amounts as "0.01", times as
 * Beijing `yyyy-MM-dd HH:mm:ss`, decisions.md §9), so a merchant's test compares them with what
 * its notifications carried. Raw epoch milliseconds sit beside times where a test may compute.
 */

const time = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : formatAlipayTime(ms));

/**
 * How the API shows each trade field, in the order shown; the compiler asks for a new field's line.
 * `same` shows the value under the field's snake_case name; `amount` shows fen as "0.01" under the
 * name without its `Fen`, `time` the Beijing time; `hidden` keeps an internal field out; a
 * function shows what it returns.
 */
type Shown = 'same' | 'amount' | 'time' | 'hidden' | ((trade: Trade) => Record<string, unknown>);

const chosen = (trade: Trade) => (trade.logisticsIndex === null ? undefined : trade.logisticsOptions[trade.logisticsIndex]);

const TRADE_VIEW = {
  tradeNo: 'same',
  outTradeNo: 'same',
  partner: 'same',
  service: 'same',
  charset: 'same',
  signType: 'same',
  subject: 'same',
  body: 'same',
  paymentType: 'same',
  priceFen: 'amount',
  quantity: 'same',
  discountFen: 'amount',
  totalFeeFen: 'amount',
  refundedFen: (t) => ({ refunded_fee: fromFen(t.refundedFen) }),
  tradeStatus: 'same',
  refundStatus: 'same',
  method: 'same',
  buyerId: 'same',
  buyerEmail: 'same',
  sellerId: 'same',
  sellerEmail: 'same',
  logisticsOptions: (t) => ({ logistics_options: t.logisticsOptions.map((o) => ({ type: o.type, fee: fromFen(o.feeFen), payment: o.payment })) }),
  // The chosen option beside its index, as the notification names it (trade-fields.ts).
  logisticsIndex: (t) => {
    const option = chosen(t);
    return {
      logistics_index: t.logisticsIndex,
      logistics_type: option?.type ?? null,
      logistics_fee: option ? fromFen(option.feeFen) : null,
      logistics_payment: option?.payment ?? null,
    };
  },
  receiveName: 'same',
  receiveAddress: 'same',
  receiveZip: 'same',
  receivePhone: 'same',
  receiveMobile: 'same',
  logisticsName: 'same',
  invoiceNo: 'same',
  transportType: 'same',
  notifyUrl: 'same',
  returnUrl: 'same',
  extraCommonParam: 'same',
  gmtCreate: 'time',
  gmtPayment: 'time',
  gmtLogisticsModify: 'time',
  gmtSendGoods: 'time',
  gmtClose: 'time',
  gmtRefund: 'time',
  closeAt: 'time',
  confirmDeadline: 'time',
  refundWindowEnd: 'time',
  requestParams: 'same',
  showUrl: 'hidden',
  addressId: 'hidden',
  totalFeeAdjust: 'hidden',
  tBRecPostMs: 'hidden',
  version: 'hidden',
  notifySeq: 'hidden',
  updatedAt: 'hidden',
} satisfies Record<keyof Trade, Shown>;

const snakeCase = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const VIEW_LINES = Object.entries<Shown>(TRADE_VIEW).filter(([, shown]) => shown !== 'hidden');

/** A trade as the API shows it (TRADE_VIEW). */
export function tradeView(trade: Trade): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  const fields = trade as unknown as Record<string, unknown>;
  for (const [field, shown] of VIEW_LINES) {
    if (typeof shown === 'function') Object.assign(view, shown(trade));
    else if (shown === 'amount') view[snakeCase(field.replace(/Fen$/, ''))] = fromFen(fields[field] as number);
    else if (shown === 'time') view[snakeCase(field)] = time(fields[field] as number | null);
    else view[snakeCase(field)] = fields[field];
  }
  return view;
}

export function eventView(event: TradeEvent) {
  return {
    at: time(event.at),
    at_ms: event.at,
    actor: event.actor,
    kind: event.kind,
    from_status: event.fromStatus,
    to_status: event.toStatus,
    refund_status: event.refundStatus,
    detail: event.detail,
  };
}

export function notificationView(n: NotificationWithAttempts) {
  return {
    id: n.id,
    trade_no: n.tradeNo,
    batch_no: n.batchNo,
    sequence: n.sequence,
    partner: n.partner,
    notify_type: n.notifyType,
    url: n.url,
    charset: n.charset,
    notify_id: n.notifyId,
    state: n.state,
    attempt_count: n.attempts,
    next_attempt_at: time(n.nextAttemptAt),
    next_attempt_at_ms: n.nextAttemptAt,
    replay_of: n.replayOf,
    last_error: n.lastError,
    created_at: time(n.createdAt),
    acknowledged_at: time(n.acknowledgedAt),
    params: n.params,
    body: n.body,
    attempts: n.deliveryAttempts.map((a) => ({
      number: a.number,
      worker_id: a.workerId,
      started_at: time(a.startedAt),
      started_at_ms: a.startedAt,
      duration_ms: a.durationMs,
      request_body: a.requestBody,
      http_status: a.httpStatus,
      response_body: a.responseBody,
      error: a.error,
      warning: a.warning,
      fault: a.fault,
      acknowledged: a.acknowledged,
    })),
  };
}

export function merchantView(m: Merchant, alipayPublicKey: string) {
  return {
    partner: m.partner,
    key: m.key,
    seller_email: m.sellerEmail,
    seller_id: m.sellerId,
    display_name: m.displayName,
    sign_types: m.signTypes,
    services: m.services,
    anti_phishing: m.antiPhishing,
    ip_check: m.ipCheck,
    advanced_instant: m.advancedInstant,
    self_timeout: m.selfTimeout,
    refund_window_days: m.refundWindowDays,
    rsa_public_key: m.rsaPublicKey,
    rsa_private_key: m.rsaPrivateKey,
    alipay_public_key: alipayPublicKey,
  };
}

export function buyerView(b: Buyer) {
  return { user_id: b.userId, login: b.login, email: b.email, real_name: b.realName, mobile: b.mobile, balance: fromFen(b.balanceFen) };
}

export function refundBatchView(b: RefundBatch) {
  return {
    batch_no: b.batchNo,
    partner: b.partner,
    batch_num: b.batchNum,
    status: b.status,
    items: b.items.map((i) => ({ trade_no: i.tradeNo, amount: fromFen(i.amountFen), reason: i.reason })),
    success_num: b.successNum,
    result_details: b.resultDetails,
    created_at: time(b.createdAt),
    confirmed_at: time(b.confirmedAt),
  };
}

/** A check-merchant report, in the API's snake_case. */
export function checkReportView(r: CheckReport) {
  return {
    partner: r.partner,
    trade_no: r.tradeNo,
    out_trade_no: r.outTradeNo,
    notify_url: r.notifyUrl,
    return_url: r.returnUrl,
    charset: r.charset,
    passed: r.passed,
    failed: r.failed,
    cases: r.cases,
  };
}
