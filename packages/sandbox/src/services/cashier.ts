import type { SandboxDeps } from '../deps.js';
import type { PayMethod, Trade } from './types.js';

export interface ConfirmOrderInput {
  buyerId: string;
  /** Which logistics group (0, 1, 2) the buyer chose. */
  logisticsIndex: number;
  addressId: number;
}

/** Escrow: the buyer confirmed logistics and address at the cashier; notifies WAIT_BUYER_PAY with logistics_* and receive_* (decisions.md §11). */
export async function confirmOrder(deps: SandboxDeps, tradeNo: string, input: ConfirmOrderInput): Promise<Trade> {
  void deps; void tradeNo; void input;
  throw new Error('not implemented');
}

export interface PayTradeInput {
  buyerId: string;
  /** Default: the service's only way (direct → instant, escrow → escrow); required choice for trade_create_by_buyer (defaults to escrow). */
  method?: PayMethod;
  /** Escrow not yet confirmed: the group to confirm with (default 0). */
  logisticsIndex?: number;
  /** Escrow not yet confirmed: the address to confirm with (default the buyer's first). */
  addressId?: number;
}

export interface PayTradeResult {
  trade: Trade;
  /** The signed return URL with a fresh notify_id (decisions.md §1), when the trade has a return_url. */
  returnUrl?: string;
}

/** The buyer pays (decisions.md §10–12). */
export async function payTrade(deps: SandboxDeps, tradeNo: string, input: PayTradeInput): Promise<PayTradeResult> {
  void deps; void tradeNo; void input;
  throw new Error('not implemented');
}
