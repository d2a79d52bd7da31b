import { formatAlipayTime, fromFen } from 'alipay-legacy';
import type { Trade } from '../services/index.js';

/**
 * The `<trade>` block of a `single_trade_query` reply (protocol.md §4.9, field names from S1's
 * stub and S10), from a trade. Sorted by name as in the stub; empty fields are left out
 * (decisions.md §22). `T`/`F` for the flags, as the query reply wrote them (unlike notifications,
 * which say `Y`/`N`).
 */
export function tradeQueryFields(trade: Trade): Record<string, string> {
  const option = trade.logisticsIndex === null ? undefined : trade.logisticsOptions[trade.logisticsIndex];
  const paid = trade.gmtPayment !== null;
  const settled = trade.tradeStatus === 'TRADE_FINISHED' || trade.tradeStatus === 'TRADE_SUCCESS';
  const time = (ms: number | null) => (ms === null ? '' : formatAlipayTime(ms));
  const fields: Record<string, string> = {
    body: trade.body ?? '',
    buyer_email: trade.buyerEmail ?? '',
    buyer_id: trade.buyerId ?? '',
    discount: fromFen(trade.discountFen),
    flag_trade_locked: '0',
    gmt_close: time(trade.gmtClose),
    gmt_create: time(trade.gmtCreate),
    gmt_last_modified_time: time(trade.updatedAt),
    gmt_logistics_modify: time(trade.gmtLogisticsModify),
    gmt_payment: time(trade.gmtPayment),
    gmt_refund: time(trade.gmtRefund),
    gmt_send_goods: time(trade.gmtSendGoods),
    is_total_fee_adjust: trade.totalFeeAdjust ? 'T' : 'F',
    logistics_fee: option ? fromFen(option.feeFen) : '',
    logistics_payment: option?.payment ?? '',
    logistics_type: option?.type ?? '',
    operator_role: 'B',
    out_trade_no: trade.outTradeNo,
    payment_type: trade.paymentType,
    price: fromFen(trade.priceFen),
    quantity: String(trade.quantity),
    refund_status: trade.refundStatus ?? '',
    seller_email: trade.sellerEmail,
    seller_id: trade.sellerId,
    subject: trade.subject,
    to_buyer_fee: fromFen(trade.refundedFen),
    to_seller_fee: fromFen(paid && settled ? trade.totalFeeFen - trade.refundedFen : 0),
    total_fee: fromFen(trade.totalFeeFen),
    trade_no: trade.tradeNo,
    trade_status: trade.tradeStatus,
    use_coupon: 'F',
  };
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) if (value !== '') out[name] = value;
  return out;
}
