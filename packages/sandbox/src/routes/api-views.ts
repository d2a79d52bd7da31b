import { formatAlipayTime, fromFen } from 'alipay-legacy';
import type { Buyer, Merchant, NotificationWithAttempts, RefundBatch, Trade, TradeEvent } from '../services/index.js';
import type { CheckReport } from '../services/check-merchant.js';

/**
 * What the test-helper API shows: snake_case names and wire formats (amounts as "0.01", times as
 * Beijing `yyyy-MM-dd HH:mm:ss`, decisions.md §9), so a merchant's test compares them with what
 * its notifications carried. Raw epoch milliseconds sit beside times where a test may compute.
 */

const time = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : formatAlipayTime(ms));

export function tradeView(trade: Trade) {
  const option = trade.logisticsIndex === null ? undefined : trade.logisticsOptions[trade.logisticsIndex];
  return {
    trade_no: trade.tradeNo,
    out_trade_no: trade.outTradeNo,
    partner: trade.partner,
    service: trade.service,
    charset: trade.charset,
    sign_type: trade.signType,
    subject: trade.subject,
    body: trade.body,
    payment_type: trade.paymentType,
    price: fromFen(trade.priceFen),
    quantity: trade.quantity,
    discount: fromFen(trade.discountFen),
    total_fee: fromFen(trade.totalFeeFen),
    refunded_fee: fromFen(trade.refundedFen),
    trade_status: trade.tradeStatus,
    refund_status: trade.refundStatus,
    method: trade.method,
    buyer_id: trade.buyerId,
    buyer_email: trade.buyerEmail,
    seller_id: trade.sellerId,
    seller_email: trade.sellerEmail,
    logistics_options: trade.logisticsOptions.map((o) => ({ type: o.type, fee: fromFen(o.feeFen), payment: o.payment })),
    logistics_index: trade.logisticsIndex,
    logistics_type: option?.type ?? null,
    logistics_fee: option ? fromFen(option.feeFen) : null,
    logistics_payment: option?.payment ?? null,
    receive_name: trade.receiveName,
    receive_address: trade.receiveAddress,
    receive_zip: trade.receiveZip,
    receive_phone: trade.receivePhone,
    receive_mobile: trade.receiveMobile,
    logistics_name: trade.logisticsName,
    invoice_no: trade.invoiceNo,
    transport_type: trade.transportType,
    notify_url: trade.notifyUrl,
    return_url: trade.returnUrl,
    extra_common_param: trade.extraCommonParam,
    gmt_create: time(trade.gmtCreate),
    gmt_payment: time(trade.gmtPayment),
    gmt_logistics_modify: time(trade.gmtLogisticsModify),
    gmt_send_goods: time(trade.gmtSendGoods),
    gmt_close: time(trade.gmtClose),
    gmt_refund: time(trade.gmtRefund),
    close_at: time(trade.closeAt),
    confirm_deadline: time(trade.confirmDeadline),
    refund_window_end: time(trade.refundWindowEnd),
    request_params: trade.requestParams,
  };
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
