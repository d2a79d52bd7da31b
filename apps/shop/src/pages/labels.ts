import { fromFen } from 'alipay-legacy';
import type { Order } from '../services/rows.js';

/** ¥ and two decimals. */
export function yuan(fen: number): string {
  return `¥${fromFen(Number(fen))}`;
}

const TRADE_LABELS: Record<string, string> = {
  WAIT_BUYER_PAY: '等待付款',
  WAIT_SYS_CONFIRM_PAY: '银行确认中，请勿发货',
  TRADE_PENDING: '已付款（卖家账户冻结）',
  WAIT_SELLER_SEND_GOODS: '已付款，等待发货',
  WAIT_BUYER_CONFIRM_GOODS: '已发货，等待买家确认收货',
  WAIT_SYS_PAY_SELLER: '买家已确认收货',
  TRADE_SUCCESS: '已付款',
  TRADE_FINISHED: '交易完成',
  TRADE_CLOSED: '交易关闭',
  TRADE_CANCEL: '交易取消',
};

const REFUND_LABELS: Record<string, string> = {
  WAIT_SELLER_AGREE: '买家申请退款，等待卖家同意',
  SELLER_REFUSE_BUYER: '卖家拒绝退款',
  WAIT_BUYER_RETURN_GOODS: '等待买家退货',
  WAIT_SELLER_CONFIRM_GOODS: '等待卖家确认收到退货',
  REFUND_SUCCESS: '退款成功',
  REFUND_CLOSED: '退款关闭',
};

/** The order's state in words, from the shop's own record. */
export function orderStatusLabel(order: Pick<Order, 'trade_status' | 'refund_status' | 'payment_service'>): string {
  if (order.payment_service === 'cod' && !order.trade_status) return '货到付款';
  const trade = order.trade_status ? (TRADE_LABELS[order.trade_status] ?? order.trade_status) : '未付款';
  const refund = order.refund_status ? (REFUND_LABELS[order.refund_status] ?? order.refund_status) : '';
  return refund ? `${trade}（${refund}）` : trade;
}

export const SERVICE_LABELS: Record<string, string> = {
  create_direct_pay_by_user: '即时到账',
  create_partner_trade_by_buyer: '担保交易',
  trade_create_by_buyer: '标准双接口',
  cod: '货到付款',
};

/** Beijing time, `yyyy-MM-dd HH:mm:ss`. */
export { formatAlipayTime as formatTime } from 'alipay-legacy';
