import { isPaid, isTerminalStatus, type TradeStatus } from './trade-status.js';

/** How a buyer paid a `trade_create_by_buyer` (标准双接口) order. */
export type DualPaymentWay = 'escrow' | 'instant';

/**
 * Which way the buyer chose at the dual interface's cashier, read from the first paid status a
 * merchant receives (protocol.md §12.9): from an unpaid order, WAIT_SELLER_SEND_GOODS
 * means escrow (担保交易) and TRADE_FINISHED means instant payment (即时到帐). The later escrow
 * statuses (WAIT_BUYER_CONFIRM_GOODS, reached when the earlier notification was lost) say escrow
 * too, and TRADE_SUCCESS instant. `undefined` when the message does not tell (the order was already
 * paid, or is not paid by it).
 * @example
 * dualPaymentWay('WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS') // 'escrow'
 * dualPaymentWay(undefined, 'TRADE_FINISHED') // 'instant'
 * dualPaymentWay('WAIT_SELLER_SEND_GOODS', 'TRADE_FINISHED') // undefined: decided already
 */
export function dualPaymentWay(previous: TradeStatus | null | undefined, incoming: TradeStatus): DualPaymentWay | undefined {
  if (previous && (isPaid(previous) || isTerminalStatus(previous))) return undefined;
  if (incoming === 'WAIT_SELLER_SEND_GOODS' || incoming === 'WAIT_BUYER_CONFIRM_GOODS') return 'escrow';
  if (incoming === 'TRADE_FINISHED' || incoming === 'TRADE_SUCCESS') return 'instant';
  return undefined;
}
