import type { SandboxDeps } from '../deps.js';
import type { Actor, Trade } from './types.js';

export interface ShipTradeInput {
  partner: string;
  tradeNo: string;
  logisticsName: string;
  invoiceNo?: string;
  transportType?: string;
}

/** send_goods_confirm_by_platform or the seller page: WAIT_SELLER_SEND_GOODS → WAIT_BUYER_CONFIRM_GOODS. */
export async function shipTrade(deps: SandboxDeps, input: ShipTradeInput): Promise<Trade> {
  void deps; void input;
  throw new Error('not implemented');
}

/** The buyer confirms receipt: WAIT_BUYER_CONFIRM_GOODS → TRADE_FINISHED. */
export async function confirmReceipt(deps: SandboxDeps, tradeNo: string, input: { buyerId: string }): Promise<Trade> {
  void deps; void tradeNo; void input;
  throw new Error('not implemented');
}

export interface CloseTradeInput {
  partner: string;
  tradeNo?: string;
  outTradeNo?: string;
  /** trade_role: B (buyer) or S (seller). */
  role?: 'B' | 'S';
  actor?: Actor;
}

/** close_trade: WAIT_BUYER_PAY → TRADE_CLOSED (notified for escrow-type trades only, decisions.md §13). */
export async function closeTrade(deps: SandboxDeps, input: CloseTradeInput): Promise<Trade> {
  void deps; void input;
  throw new Error('not implemented');
}
