import type { Selectable } from 'kysely';
import type { Charset, SignType } from 'alipay-legacy';
import type {
  Address,
  Buyer,
  DeliveryAttempt,
  LogisticsOption,
  Merchant,
  Notification,
  NotificationState,
  PayMethod,
  Refund,
  RefundBatch,
  RefundStatus,
  Trade,
  TradeEvent,
  TradeService,
  TradeStatus,
  Actor,
} from '../services/types.js';
import type {
  AddressesTable,
  BuyersTable,
  DeliveryAttemptsTable,
  MerchantsTable,
  NotificationsTable,
  RefundBatchesTable,
  RefundsTable,
  TradeEventsTable,
  TradesTable,
} from './schema.js';
import { parseDetailData } from '../services/refund-detail.js';

/** Row ⇄ domain object mapping (snake_case columns, 0/1 flags and JSON text ↔ camelCase values). */

export const flag = (b: boolean): number => (b ? 1 : 0);

export function toMerchant(r: Selectable<MerchantsTable>): Merchant {
  return {
    partner: r.partner,
    key: r.md5_key,
    sellerEmail: r.seller_email,
    sellerId: r.seller_id,
    displayName: r.display_name,
    signTypes: JSON.parse(r.sign_types) as SignType[],
    rsaPublicKey: r.rsa_public_key,
    rsaPrivateKey: r.rsa_private_key,
    services: JSON.parse(r.services) as string[],
    antiPhishing: r.anti_phishing === 1,
    ipCheck: r.ip_check === 1,
    advancedInstant: r.advanced_instant === 1,
    selfTimeout: r.self_timeout === 1,
    refundWindowDays: r.refund_window_days,
  };
}

export function toBuyer(r: Selectable<BuyersTable>): Buyer {
  return { userId: r.user_id, login: r.login, email: r.email, realName: r.real_name, mobile: r.mobile, balanceFen: r.balance_fen };
}

export function toAddress(r: Selectable<AddressesTable>): Address {
  return {
    id: r.id,
    userId: r.user_id,
    position: r.position,
    fullname: r.fullname,
    prov: r.prov,
    city: r.city,
    area: r.area,
    address: r.address,
    addressCode: r.address_code,
    mobilePhone: r.mobile_phone,
    phone: r.phone,
    post: r.post,
  };
}

export function toTrade(r: Selectable<TradesTable>): Trade {
  return {
    tradeNo: r.trade_no,
    partner: r.partner,
    outTradeNo: r.out_trade_no,
    service: r.service as TradeService,
    charset: r.charset as Charset,
    signType: r.sign_type as SignType,
    requestParams: JSON.parse(r.request_params) as Record<string, string>,
    subject: r.subject,
    body: r.body,
    paymentType: r.payment_type,
    priceFen: r.price_fen,
    quantity: r.quantity,
    totalFeeFen: r.total_fee_fen,
    discountFen: r.discount_fen,
    totalFeeAdjust: r.total_fee_adjust === 1,
    logisticsOptions: JSON.parse(r.logistics_options) as LogisticsOption[],
    logisticsIndex: r.logistics_index,
    method: r.method as PayMethod | null,
    buyerId: r.buyer_id,
    buyerEmail: r.buyer_email,
    sellerId: r.seller_id,
    sellerEmail: r.seller_email,
    tradeStatus: r.trade_status as TradeStatus,
    refundStatus: r.refund_status as RefundStatus | null,
    addressId: r.address_id,
    receiveName: r.receive_name,
    receiveAddress: r.receive_address,
    receiveZip: r.receive_zip,
    receivePhone: r.receive_phone,
    receiveMobile: r.receive_mobile,
    logisticsName: r.logistics_name,
    invoiceNo: r.invoice_no,
    transportType: r.transport_type,
    notifyUrl: r.notify_url,
    returnUrl: r.return_url,
    extraCommonParam: r.extra_common_param,
    showUrl: r.show_url,
    gmtCreate: r.gmt_create,
    gmtPayment: r.gmt_payment,
    gmtSendGoods: r.gmt_send_goods,
    gmtLogisticsModify: r.gmt_logistics_modify,
    gmtClose: r.gmt_close,
    gmtRefund: r.gmt_refund,
    closeAt: r.close_at,
    tBRecPostMs: r.t_b_rec_post_ms,
    confirmDeadline: r.confirm_deadline,
    refundWindowEnd: r.refund_window_end,
    refundedFen: r.refunded_fen,
    version: r.version,
    notifySeq: r.notify_seq,
    updatedAt: r.updated_at,
  };
}

/** The columns a trade change may touch, from a domain object (everything but the keys). */
export function tradeColumns(t: Trade): Omit<Selectable<TradesTable>, 'trade_no' | 'partner' | 'out_trade_no'> {
  return {
    service: t.service,
    charset: t.charset,
    sign_type: t.signType,
    request_params: JSON.stringify(t.requestParams),
    subject: t.subject,
    body: t.body,
    payment_type: t.paymentType,
    price_fen: t.priceFen,
    quantity: t.quantity,
    total_fee_fen: t.totalFeeFen,
    discount_fen: t.discountFen,
    total_fee_adjust: flag(t.totalFeeAdjust),
    logistics_options: JSON.stringify(t.logisticsOptions),
    logistics_index: t.logisticsIndex,
    method: t.method,
    buyer_id: t.buyerId,
    buyer_email: t.buyerEmail,
    seller_id: t.sellerId,
    seller_email: t.sellerEmail,
    trade_status: t.tradeStatus,
    refund_status: t.refundStatus,
    address_id: t.addressId,
    receive_name: t.receiveName,
    receive_address: t.receiveAddress,
    receive_zip: t.receiveZip,
    receive_phone: t.receivePhone,
    receive_mobile: t.receiveMobile,
    logistics_name: t.logisticsName,
    invoice_no: t.invoiceNo,
    transport_type: t.transportType,
    notify_url: t.notifyUrl,
    return_url: t.returnUrl,
    extra_common_param: t.extraCommonParam,
    show_url: t.showUrl,
    gmt_create: t.gmtCreate,
    gmt_payment: t.gmtPayment,
    gmt_send_goods: t.gmtSendGoods,
    gmt_logistics_modify: t.gmtLogisticsModify,
    gmt_close: t.gmtClose,
    gmt_refund: t.gmtRefund,
    close_at: t.closeAt,
    t_b_rec_post_ms: t.tBRecPostMs,
    confirm_deadline: t.confirmDeadline,
    refund_window_end: t.refundWindowEnd,
    refunded_fen: t.refundedFen,
    version: t.version,
    notify_seq: t.notifySeq,
    updated_at: t.updatedAt,
  };
}

export function toTradeEvent(r: Selectable<TradeEventsTable>): TradeEvent {
  return {
    id: r.id,
    tradeNo: r.trade_no,
    at: r.at,
    actor: r.actor as Actor,
    kind: r.kind,
    fromStatus: r.from_status as TradeStatus | null,
    toStatus: r.to_status as TradeStatus,
    refundStatus: r.refund_status as RefundStatus | null,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  };
}

export function toNotification(r: Selectable<NotificationsTable>): Notification {
  return {
    id: r.id,
    tradeNo: r.trade_no,
    batchNo: r.batch_no,
    sequence: r.sequence,
    partner: r.partner,
    url: r.url,
    notifyType: r.notify_type,
    charset: r.charset as Charset,
    notifyId: r.notify_id,
    params: JSON.parse(r.params) as Record<string, string>,
    body: r.body,
    state: r.state as NotificationState,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lockedUntil: r.locked_until,
    replayOf: r.replay_of,
    lastError: r.last_error,
    createdAt: r.created_at,
    acknowledgedAt: r.acknowledged_at,
  };
}

export function toAttempt(r: Selectable<DeliveryAttemptsTable>): DeliveryAttempt {
  return {
    id: r.id,
    notificationId: r.notification_id,
    number: r.number,
    workerId: r.worker_id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationMs: r.duration_ms,
    requestBody: r.request_body,
    httpStatus: r.http_status,
    responseBody: r.response_body,
    error: r.error,
    warning: r.warning,
    fault: r.fault,
    acknowledged: r.acknowledged === 1,
  };
}

export function toRefund(r: Selectable<RefundsTable>): Refund {
  return {
    id: r.id,
    tradeNo: r.trade_no,
    kind: r.kind as Refund['kind'],
    batchId: r.batch_id,
    amountFen: r.amount_fen,
    reason: r.reason,
    returnGoods: r.return_goods === 1,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toRefundBatch(r: Selectable<RefundBatchesTable>): RefundBatch {
  const requestParams = JSON.parse(r.request_params) as Record<string, string>;
  return {
    id: r.id,
    partner: r.partner,
    batchNo: r.batch_no,
    charset: r.charset as Charset,
    signType: r.sign_type as SignType,
    notifyUrl: r.notify_url,
    requestParams,
    batchNum: r.batch_num,
    items: parseDetailData(requestParams.detail_data ?? ''),
    status: r.status as RefundBatch['status'],
    successNum: r.success_num,
    resultDetails: r.result_details,
    createdAt: r.created_at,
    confirmedAt: r.confirmed_at,
  };
}
