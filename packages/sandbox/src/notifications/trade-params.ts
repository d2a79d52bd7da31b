import { formatAlipayTime, fromFen } from 'alipay-legacy';
import { isEscrowService } from '../service-catalogue.js';
import { buyerActions, protocolActions, sellerActions } from '../services/trade-rules.js';
import type { Trade } from '../services/types.js';

const time = (ms: number | null): string | undefined => (ms === null ? undefined : formatAlipayTime(ms));
const text = (v: string | null): string | undefined => (v === null || v === '' ? undefined : v);

/**
 * The trade fields of a trade_status_sync notification (protocol.md §4.1 and §4.2 tables).
 * Values that do not apply are left out rather than sent empty (decisions.md §22).
 */
export function tradeStatusParams(trade: Trade, input: { notifyId: string; notifyTime: number }): Record<string, string | undefined> {
  const escrow = isEscrowService(trade.service);
  const option = trade.logisticsIndex === null ? undefined : trade.logisticsOptions[trade.logisticsIndex];
  const params: Record<string, string | undefined> = {
    notify_time: formatAlipayTime(input.notifyTime),
    notify_type: 'trade_status_sync',
    notify_id: input.notifyId,
    out_trade_no: trade.outTradeNo,
    trade_no: trade.tradeNo,
    subject: trade.subject,
    body: text(trade.body),
    payment_type: trade.paymentType,
    trade_status: trade.tradeStatus,
    refund_status: text(trade.refundStatus),
    gmt_create: time(trade.gmtCreate),
    gmt_payment: time(trade.gmtPayment),
    gmt_close: time(trade.gmtClose),
    gmt_refund: trade.refundStatus === 'REFUND_SUCCESS' ? time(trade.gmtRefund) : undefined,
    seller_email: trade.sellerEmail,
    seller_id: trade.sellerId,
    buyer_email: text(trade.buyerEmail),
    buyer_id: text(trade.buyerId),
    price: fromFen(trade.priceFen),
    quantity: String(trade.quantity),
    total_fee: fromFen(trade.totalFeeFen),
    discount: fromFen(trade.discountFen),
    is_total_fee_adjust: trade.totalFeeAdjust ? 'Y' : 'N',
    use_coupon: 'N',
    extra_common_param: text(trade.extraCommonParam),
  };
  if (escrow) {
    Object.assign(params, {
      gmt_send_goods: time(trade.gmtSendGoods),
      gmt_logistics_modify: time(trade.gmtLogisticsModify),
      logistics_type: option?.type,
      logistics_fee: option ? fromFen(option.feeFen) : undefined,
      logistics_payment: option?.payment,
      receive_name: text(trade.receiveName),
      receive_address: text(trade.receiveAddress),
      receive_zip: text(trade.receiveZip),
      receive_phone: text(trade.receivePhone),
      receive_mobile: text(trade.receiveMobile),
      buyer_actions: protocolActions(buyerActions(trade, input.notifyTime)).join(',') || undefined,
      seller_actions: protocolActions(sellerActions(trade)).join(',') || undefined,
    });
  }
  return params;
}

/** Fields of a direct-pay return (protocol.md §4.1 return table). */
const DIRECT_RETURN_FIELDS = [
  'notify_id',
  'notify_time',
  'notify_type',
  'out_trade_no',
  'subject',
  'payment_type',
  'trade_no',
  'trade_status',
  'seller_email',
  'buyer_email',
  'seller_id',
  'buyer_id',
  'total_fee',
  'body',
  'extra_common_param',
  'refund_status',
  'gmt_refund',
] as const;

/**
 * The parameters of a trade's return to return_url (decisions.md §1; protocol.md §4.1, §4.2):
 * `is_success=T`, `exterface`, a fresh notify_id and the trade fields (the direct-pay return's
 * table for direct pay, the observed escrow return for the escrow services).
 */
export function tradeReturnParams(trade: Trade, input: { notifyId: string; notifyTime: number }): Record<string, string | undefined> {
  const all = tradeStatusParams(trade, input);
  const params: Record<string, string | undefined> = { is_success: 'T', exterface: trade.service };
  if (isEscrowService(trade.service)) return { ...params, ...all };
  for (const name of DIRECT_RETURN_FIELDS) params[name] = all[name];
  return params;
}
