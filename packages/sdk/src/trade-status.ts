/**
 * Trade and refund statuses, and the merchant's side of their order: a merchant applies a
 * `trade_status_sync` message only when it moves the order forward (protocol.md §5, §12.8:
 * statuses are ordered by the time each was first notified). Notifications can arrive late,
 * twice, or out of order (retries, return and notify racing), so "never backwards" is a rule the
 * merchant applies, not one the wire guarantees.
 */

/** Every `trade_status` value of protocol.md §5.1. */
export type TradeStatus =
  | 'WAIT_SELLER_CONFIRM_TRADE'
  | 'WAIT_BUYER_PAY'
  | 'WAIT_SYS_CONFIRM_PAY'
  | 'TRADE_PENDING'
  | 'BUYER_PRE_AUTH'
  | 'WAIT_SELLER_SEND_GOODS'
  | 'COD_WAIT_SELLER_SEND_GOODS'
  | 'WAIT_BUYER_CONFIRM_GOODS'
  | 'COD_WAIT_BUYER_PAY'
  | 'WAIT_SYS_PAY_SELLER'
  | 'COD_WAIT_SYS_PAY_SELLER'
  | 'TRADE_SUCCESS'
  | 'TRADE_FINISHED'
  | 'TRADE_REFUSE_DEALING'
  | 'TRADE_REFUSE'
  | 'TRADE_CANCEL'
  | 'TRADE_CLOSED';

/** Every `refund_status` value of protocol.md §5.4. */
export type RefundStatus =
  | 'WAIT_SELLER_AGREE'
  | 'SELLER_REFUSE_BUYER'
  | 'WAIT_BUYER_RETURN_GOODS'
  | 'WAIT_SELLER_CONFIRM_GOODS'
  | 'REFUND_SUCCESS'
  | 'REFUND_CLOSED';

/**
 * Rank of each trade status on the merchant's "never backwards" scale. The main line is protocol.md
 * §12.8 and §5.2: WAIT_BUYER_PAY < WAIT_SELLER_SEND_GOODS < WAIT_BUYER_CONFIRM_GOODS <
 * TRADE_SUCCESS < TRADE_FINISHED, and TRADE_CLOSED is terminal. The rarer statuses of §5.1 are
 * placed where their meaning puts them (the COD line beside the escrow line).
 */
const TRADE_RANK: Readonly<Record<TradeStatus, number>> = {
  WAIT_SELLER_CONFIRM_TRADE: 5,
  WAIT_BUYER_PAY: 10,
  WAIT_SYS_CONFIRM_PAY: 15, // bank transfer being confirmed: "暂勿发货"
  TRADE_PENDING: 18, // paid, seller account frozen
  BUYER_PRE_AUTH: 18,
  WAIT_SELLER_SEND_GOODS: 20,
  COD_WAIT_SELLER_SEND_GOODS: 20,
  WAIT_BUYER_CONFIRM_GOODS: 30,
  COD_WAIT_BUYER_PAY: 30,
  WAIT_SYS_PAY_SELLER: 35,
  COD_WAIT_SYS_PAY_SELLER: 35,
  TRADE_SUCCESS: 40,
  TRADE_FINISHED: 50,
  TRADE_REFUSE_DEALING: 55,
  TRADE_REFUSE: 60,
  TRADE_CANCEL: 60,
  TRADE_CLOSED: 60,
};

/**
 * Refund ranks (protocol.md §12.8): WAIT_SELLER_AGREE → (WAIT_BUYER_RETURN_GOODS →
 * WAIT_SELLER_CONFIRM_GOODS →) REFUND_SUCCESS. SELLER_REFUSE_BUYER shares WAIT_SELLER_AGREE's rank
 * because the buyer may ask again (back to WAIT_SELLER_AGREE): between the two, the later
 * notification wins. REFUND_CLOSED ends a refund like REFUND_SUCCESS does.
 */
const REFUND_RANK: Readonly<Record<RefundStatus, number>> = {
  WAIT_SELLER_AGREE: 1,
  SELLER_REFUSE_BUYER: 1,
  WAIT_BUYER_RETURN_GOODS: 2,
  WAIT_SELLER_CONFIRM_GOODS: 3,
  REFUND_SUCCESS: 4,
  REFUND_CLOSED: 4,
};

/**
 * Every trade status, in rank order.
 * @example TRADE_STATUSES.indexOf('WAIT_BUYER_PAY') < TRADE_STATUSES.indexOf('TRADE_FINISHED') // true
 */
export const TRADE_STATUSES = Object.freeze(
  (Object.keys(TRADE_RANK) as TradeStatus[]).sort((a, b) => TRADE_RANK[a] - TRADE_RANK[b]),
) as readonly TradeStatus[];

/**
 * Every refund status, in rank order.
 * @example REFUND_STATUSES[0] // 'WAIT_SELLER_AGREE'
 */
export const REFUND_STATUSES = Object.freeze(
  (Object.keys(REFUND_RANK) as RefundStatus[]).sort((a, b) => REFUND_RANK[a] - REFUND_RANK[b]),
) as readonly RefundStatus[];

/**
 * True for a value of protocol.md §5.1.
 * @example isTradeStatus('TRADE_SUCCESS') // true
 */
export function isTradeStatus(value: unknown): value is TradeStatus {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(TRADE_RANK, value);
}

/**
 * True for a value of protocol.md §5.4.
 * @example isRefundStatus('REFUND_SUCCESS') // true
 */
export function isRefundStatus(value: unknown): value is RefundStatus {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(REFUND_RANK, value);
}

/**
 * The rank of a trade status on the merchant's scale (higher = further along).
 * @example tradeStatusRank('WAIT_BUYER_PAY') < tradeStatusRank('TRADE_FINISHED') // true
 */
export function tradeStatusRank(status: TradeStatus): number {
  return TRADE_RANK[status];
}

/**
 * The rank of a refund status; 0 for no refund.
 * @example refundStatusRank(undefined) // 0
 */
export function refundStatusRank(status: RefundStatus | undefined | null): number {
  return status ? REFUND_RANK[status] : 0;
}

/**
 * True for the terminal statuses (TRADE_CLOSED, TRADE_REFUSE, TRADE_CANCEL): nothing moves a trade out of them.
 * @example isTerminalStatus('TRADE_CLOSED') // true
 */
export function isTerminalStatus(status: TradeStatus): boolean {
  return status === 'TRADE_CLOSED' || status === 'TRADE_REFUSE' || status === 'TRADE_CANCEL';
}

/** Statuses in which the buyer's money has been paid (to the seller or into escrow). */
const PAID: ReadonlySet<TradeStatus> = new Set<TradeStatus>([
  'TRADE_PENDING',
  'BUYER_PRE_AUTH',
  'WAIT_SELLER_SEND_GOODS',
  'WAIT_BUYER_CONFIRM_GOODS',
  'WAIT_SYS_PAY_SELLER',
  'COD_WAIT_SYS_PAY_SELLER',
  'TRADE_SUCCESS',
  'TRADE_FINISHED',
]);

/**
 * Whether an order in this state counts as paid. A full refund closes the trade (protocol.md §5.4,
 * §12.8), so TRADE_CLOSED is never paid, with or without REFUND_SUCCESS. A REFUND_SUCCESS on a
 * trade that stays TRADE_SUCCESS/TRADE_FINISHED is a partial refund: the rest is still paid. A TRADE_FINISHED that arrives after the trade was closed
 * by a full refund must not be applied at all (see `shouldApply`), so it never re-opens the order.
 * `WAIT_SYS_CONFIRM_PAY` (a bank transfer Alipay is still confirming, "暂勿发货") is not paid, and
 * neither is an escrow status carrying REFUND_SUCCESS (on the escrow line a refund closes the trade).
 * @example
 * isPaid('TRADE_SUCCESS') // true
 * isPaid('TRADE_CLOSED', 'REFUND_SUCCESS') // false
 * isPaid('TRADE_SUCCESS', 'REFUND_SUCCESS') // true: a partial refund
 */
export function isPaid(status: TradeStatus, refundStatus?: RefundStatus | null): boolean {
  if (!PAID.has(status)) return false;
  // On the escrow line a successful refund is the whole trade's ("退款成功，交易关闭"): the money is
  // back with the buyer even if the message still names an open status. On TRADE_SUCCESS /
  // TRADE_FINISHED (direct pay) it is a partial refund.
  if (refundStatus === 'REFUND_SUCCESS' && TRADE_RANK[status] < TRADE_RANK.TRADE_SUCCESS) return false;
  return true;
}

/** What `compareProgress` and `shouldApply` compare: a message, or the merchant's stored state. */
export interface TradeProgress {
  trade_status: TradeStatus;
  refund_status?: RefundStatus | null;
  /** `notify_time` (`yyyy-MM-dd HH:mm:ss`, Beijing time): orders notifications of equal status. */
  notify_time?: string | null;
  /** `gmt_refund`: orders repeated REFUND_SUCCESS notifications of partial refunds. */
  gmt_refund?: string | null;
  /** `notify_id`: the same notification delivered again. */
  notify_id?: string | null;
}

/**
 * Orders two states: negative when `a` is behind `b`, positive when ahead, 0 when neither is.
 * Trade status rank first, then refund status rank, then `notify_time` and `gmt_refund` (the
 * `yyyy-MM-dd HH:mm:ss` format orders as text). Same-status notifications that add information
 * (an escrow WAIT_BUYER_PAY sent again once the buyer chose logistics, protocol.md §5.2) differ
 * only by their later `notify_time`.
 * @example compareProgress({ trade_status: 'TRADE_FINISHED' }, { trade_status: 'WAIT_SELLER_SEND_GOODS' }) > 0 // true
 */
export function compareProgress(a: TradeProgress, b: TradeProgress): number {
  const trade = TRADE_RANK[a.trade_status] - TRADE_RANK[b.trade_status];
  if (trade !== 0) return trade;
  const refund = refundStatusRank(a.refund_status) - refundStatusRank(b.refund_status);
  if (refund !== 0) return refund;
  return compareTimes(a.notify_time, b.notify_time) || compareTimes(a.gmt_refund, b.gmt_refund);
}

/** Outcome of comparing an incoming message with the stored state. */
export type UpdateOutcome = 'apply' | 'duplicate' | 'stale';

/**
 * Decides what to do with an incoming message, given the order's stored state (`undefined` when
 * nothing was applied yet): `apply` when it moves the order forward or adds information,
 * `duplicate` when it says nothing new (the same notification again, or the return and the
 * notification of the same event), `stale` when it would move the order backwards (a late
 * WAIT_SELLER_SEND_GOODS after TRADE_FINISHED, a TRADE_FINISHED after a full refund closed the
 * trade). Terminal statuses are never left.
 *
 * One exception to pure rank order: a new refund request (WAIT_SELLER_AGREE) after a refund that
 * ended (REFUND_CLOSED, or REFUND_SUCCESS on a trade that stayed open) applies when its
 * `notify_time` is later (protocol.md §12.8: the buyer may ask again). After SELLER_REFUSE_BUYER,
 * which shares WAIT_SELLER_AGREE's rank, the later notification wins anyway.
 * @example
 * updateOutcome({ trade_status: 'TRADE_FINISHED' }, { trade_status: 'WAIT_SELLER_SEND_GOODS' }) // 'stale'
 */
export function updateOutcome(current: TradeProgress | undefined | null, incoming: TradeProgress): UpdateOutcome {
  if (!current) return 'apply';
  if (current.notify_id && incoming.notify_id && current.notify_id === incoming.notify_id) return 'duplicate';
  const order = compareProgress(incoming, current);
  if (isTerminalStatus(current.trade_status)) {
    // Nothing leaves a terminal status; the same status may still gain information.
    if (incoming.trade_status !== current.trade_status) return 'stale';
    return order > 0 ? 'apply' : order === 0 ? 'duplicate' : 'stale';
  }
  if (order > 0) return 'apply';
  if (
    order < 0 &&
    current.trade_status === incoming.trade_status &&
    incoming.refund_status === 'WAIT_SELLER_AGREE' &&
    (current.refund_status === 'REFUND_CLOSED' || current.refund_status === 'REFUND_SUCCESS') &&
    compareTimes(incoming.notify_time, current.notify_time) > 0
  ) {
    return 'apply';
  }
  return order === 0 ? 'duplicate' : 'stale';
}

/**
 * True when an incoming message should be applied to the order (`updateOutcome` says `apply`).
 * @example
 * shouldApply({ trade_status: 'TRADE_CLOSED', refund_status: 'REFUND_SUCCESS' }, { trade_status: 'TRADE_FINISHED' }) // false
 */
export function shouldApply(current: TradeProgress | undefined | null, incoming: TradeProgress): boolean {
  return updateOutcome(current, incoming) === 'apply';
}

/**
 * One number per (trade status, refund status), increasing along the merchant's order, for a
 * database guard such as `UPDATE orders SET … WHERE out_trade_no = ? AND status_rank < ?`, so a
 * result is applied once (protocol.md §12.2) even when two deliveries race. Equal-status updates that add information need the
 * `notify_time` comparison of `updateOutcome` as well.
 * @example progressRank({ trade_status: 'TRADE_SUCCESS', refund_status: 'REFUND_SUCCESS' }) // 404
 */
export function progressRank(state: Pick<TradeProgress, 'trade_status' | 'refund_status'>): number {
  return TRADE_RANK[state.trade_status] * 10 + refundStatusRank(state.refund_status);
}

function compareTimes(a: string | null | undefined, b: string | null | undefined): number {
  if (!a || !b || a === b) return 0;
  return a < b ? -1 : 1;
}
