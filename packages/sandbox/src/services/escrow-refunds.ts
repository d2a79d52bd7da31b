import type { SandboxDeps } from '../deps.js';
import type { Refund, Trade } from './types.js';

export interface RequestRefundInput {
  buyerId: string;
  amountFen: number;
  reason: string;
  returnGoods: boolean;
}

/** The buyer asks for a refund (seed 001 §4.4): refund_status WAIT_SELLER_AGREE. */
export async function requestRefund(deps: SandboxDeps, tradeNo: string, input: RequestRefundInput): Promise<Trade> {
  void deps; void tradeNo; void input;
  throw new Error('not implemented');
}
/** The seller agrees: WAIT_BUYER_RETURN_GOODS (goods to return) or REFUND_SUCCESS. */
export async function agreeRefund(deps: SandboxDeps, tradeNo: string, input: { partner: string }): Promise<Trade> {
  void deps; void tradeNo; void input;
  throw new Error('not implemented');
}
/** The seller refuses: SELLER_REFUSE_BUYER (the buyer may ask again). */
export async function refuseRefund(deps: SandboxDeps, tradeNo: string, input: { partner: string }): Promise<Trade> {
  void deps; void tradeNo; void input;
  throw new Error('not implemented');
}
/** The buyer sent the goods back: WAIT_SELLER_CONFIRM_GOODS. */
export async function markGoodsReturned(deps: SandboxDeps, tradeNo: string, input: { buyerId: string; logisticsName?: string; invoiceNo?: string }): Promise<Trade> {
  void deps; void tradeNo; void input;
  throw new Error('not implemented');
}
/** The seller received the returned goods: REFUND_SUCCESS. */
export async function confirmReturnedGoods(deps: SandboxDeps, tradeNo: string, input: { partner: string }): Promise<Trade> {
  void deps; void tradeNo; void input;
  throw new Error('not implemented');
}
export async function listRefunds(deps: SandboxDeps, tradeNo: string): Promise<Refund[]> {
  void deps; void tradeNo;
  throw new Error('not implemented');
}
