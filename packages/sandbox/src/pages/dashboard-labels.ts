import type { TradeAction } from '../services/index.js';

/** Chinese names (with the identifiers beside them) of what the dashboard shows about trades. */

export const ACTION_LABELS: Record<TradeAction, string> = {
  PAY: '付款 PAY',
  REFUND: '申请退款 REFUND',
  CONFIRM_GOODS: '确认收货 CONFIRM_GOODS',
  SEND_GOODS: '发货 SEND_GOODS',
  CLOSE_TRADE: '关闭交易 CLOSE_TRADE',
  AGREE_REFUND: '同意退款 AGREE_REFUND',
  REFUSE_REFUND: '拒绝退款 REFUSE_REFUND',
  RETURN_GOODS: '已退货 RETURN_GOODS',
  CONFIRM_RETURNED_GOODS: '确认收到退货 CONFIRM_RETURNED_GOODS',
};

export const EVENT_LABELS: Record<string, string> = {
  created: '创建交易',
  order_confirmed: '买家确认订单',
  paid: '买家付款',
  shipped: '卖家发货',
  receipt_confirmed: '买家确认收货',
  confirm_timeout: '超时自动确认收货',
  closed: '关闭交易',
  pay_timeout: '超时未付款关闭',
  refund_window_ended: '退款期结束',
  refund_requested: '买家申请退款',
  refund_agreed: '卖家同意退款',
  refund_refused: '卖家拒绝退款',
  goods_returned: '买家退货',
  returned_goods_received: '卖家收到退货',
  batch_refund: '批量退款',
};

export const ACTOR_LABELS: Record<string, string> = { buyer: '买家', seller: '卖家', merchant: '商户', system: '系统' };
