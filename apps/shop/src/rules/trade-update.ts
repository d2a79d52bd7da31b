import {
  dualPaymentWay,
  isPaid,
  isRefundStatus,
  isTradeStatus,
  progressRank,
  updateOutcome,
  type RefundStatus,
  type TradeStatus,
  type UpdateOutcome,
} from 'alipay-legacy';

/** What the shop keeps of an order's Alipay state. */
export interface OrderTradeState {
  payment_service: string;
  trade_status: string | null;
  refund_status: string | null;
  last_notify_time: string | null;
  last_notify_id: string | null;
  gmt_refund: string | null;
  paid_way: string | null;
  paid_at: number | null;
}

/** What a return, a notification, a trade query or a seller action says about the trade. */
export interface IncomingTradeState {
  trade_status: TradeStatus;
  refund_status?: RefundStatus | null | undefined;
  notify_time?: string | null | undefined;
  notify_id?: string | null | undefined;
  gmt_refund?: string | null | undefined;
}

/** The columns an applied update writes. */
export interface TradeChanges {
  trade_status: TradeStatus;
  refund_status: RefundStatus | null;
  progress_rank: number;
  last_notify_time: string | null;
  last_notify_id: string | null;
  gmt_refund: string | null;
  paid_way: string | null;
  paid_at: number | null;
}

export interface TradeUpdatePlan {
  outcome: UpdateOutcome;
  /** Present when the outcome is `apply`. */
  changes?: TradeChanges;
  /** The guard of the update: the stored progress rank it was planned from. */
  fromRank: number;
}

/**
 * Plans an order update from an incoming trade state: never backwards, never twice (the SDK's
 * `updateOutcome`, protocol.md §12.2), the dual interface's way recorded from the first paid
 * status (protocol.md §12.9), and the time the order was first paid.
 */
export function planTradeUpdate(order: OrderTradeState, incoming: IncomingTradeState, now: number): TradeUpdatePlan {
  const current = storedProgress(order);
  const fromRank = current ? progressRank(current) : 0;
  const outcome = updateOutcome(current, incoming);
  if (outcome !== 'apply') return { outcome, fromRank };
  // A message without refund_status (a later TRADE_FINISHED after a partial refund) keeps what was known.
  const refund = incoming.refund_status ?? current?.refund_status ?? null;
  let paidWay = order.paid_way;
  if (order.payment_service === 'trade_create_by_buyer' && !paidWay) {
    paidWay = dualPaymentWay(current?.trade_status, incoming.trade_status) ?? null;
  }
  return {
    outcome,
    fromRank,
    changes: {
      trade_status: incoming.trade_status,
      refund_status: refund,
      progress_rank: progressRank({ trade_status: incoming.trade_status, refund_status: refund }),
      last_notify_time: incoming.notify_time ?? order.last_notify_time,
      last_notify_id: incoming.notify_id ?? order.last_notify_id,
      gmt_refund: incoming.gmt_refund ?? order.gmt_refund,
      paid_way: paidWay,
      paid_at: order.paid_at ?? (isPaid(incoming.trade_status, refund) ? now : null),
    },
  };
}

/** The stored state in the SDK's terms, or undefined when Alipay has said nothing yet. */
export function storedProgress(order: Pick<OrderTradeState, 'trade_status' | 'refund_status' | 'last_notify_time' | 'last_notify_id' | 'gmt_refund'>) {
  if (!order.trade_status || !isTradeStatus(order.trade_status)) return undefined;
  return {
    trade_status: order.trade_status,
    refund_status: order.refund_status && isRefundStatus(order.refund_status) ? order.refund_status : null,
    notify_time: order.last_notify_time,
    notify_id: order.last_notify_id,
    gmt_refund: order.gmt_refund,
  };
}

/** Whether the order counts as paid now. */
export function orderIsPaid(order: Pick<OrderTradeState, 'trade_status' | 'refund_status'>): boolean {
  const p = storedProgress({ ...order, last_notify_time: null, last_notify_id: null, gmt_refund: null });
  return p ? isPaid(p.trade_status, p.refund_status) : false;
}
