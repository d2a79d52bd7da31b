import type { FaultKind } from '../dispatcher/faults/index.js';
import type { LogisticsPayment, LogisticsType, PayMethod, RefundStatus, TradeStatus } from '../services/types.js';

/** Chinese names of the protocol's enumerations, as the cashier and consoles show them. */

export const LOGISTICS_TYPE_LABELS: Record<LogisticsType, string> = {
  EXPRESS: '快递',
  POST: '平邮',
  EMS: 'EMS',
  DIRECT: '无需物流',
};

export const LOGISTICS_PAYMENT_LABELS: Record<LogisticsPayment, string> = {
  SELLER_PAY: '卖家承担运费',
  BUYER_PAY: '买家承担运费',
  BUYER_PAY_AFTER_RECEIVE: '买家到货付款',
};

export const TRADE_STATUS_LABELS: Record<TradeStatus, string> = {
  WAIT_BUYER_PAY: '等待买家付款',
  WAIT_SELLER_SEND_GOODS: '买家已付款，等待卖家发货',
  WAIT_BUYER_CONFIRM_GOODS: '卖家已发货，等待买家确认收货',
  TRADE_SUCCESS: '交易成功（可退款）',
  TRADE_FINISHED: '交易完成',
  TRADE_CLOSED: '交易关闭',
};

export const REFUND_STATUS_LABELS: Record<RefundStatus, string> = {
  WAIT_SELLER_AGREE: '等待卖家同意退款',
  SELLER_REFUSE_BUYER: '卖家拒绝退款，等待买家修改',
  WAIT_BUYER_RETURN_GOODS: '卖家同意退款，等待买家退货',
  WAIT_SELLER_CONFIRM_GOODS: '买家已退货，等待卖家确认收货',
  REFUND_SUCCESS: '退款成功',
  REFUND_CLOSED: '退款关闭',
};

/** The injectable faults, as the dashboard names them (dispatcher/faults/: one label per fault). */
export const FAULT_LABELS: Record<FaultKind, string> = {
  drop: '丢弃',
  delay: '延迟',
  duplicate: '重复',
  bad_sign: '签名错误',
  reorder: '乱序',
  skip_return: '不返回商户',
};

/** The ways to pay, as the dual interface's cashier offers them (decisions.md §12). */
export const PAY_METHOD_LABELS: Record<PayMethod, string> = {
  escrow: '担保交易（收到货后再确认付款给卖家）',
  instant: '即时到账（付款后卖家立即收到款项）',
};

export { yuan } from '../yuan.js';
