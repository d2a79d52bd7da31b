import { isPaid, isTerminalStatus, progressRank, TRADE_STATUSES } from 'alipay-legacy';

/** The lowest progress rank at which an order counts as paid, from the SDK's scale and `isPaid`. */
export const FIRST_PAID_RANK = Math.min(...TRADE_STATUSES.filter((s) => isPaid(s)).map((s) => progressRank({ trade_status: s })));

/** The lowest progress rank of a terminal (closed) trade. */
export const FIRST_CLOSED_RANK = Math.min(...TRADE_STATUSES.filter((s) => isTerminalStatus(s)).map((s) => progressRank({ trade_status: s })));
