import { randomBytes } from 'node:crypto';

/**
 * The signed returns of payments just made, kept in the process under a short random id, so the
 * success page's URL carries that id and not the return itself (decisions.md §35). The newest
 * entries are kept; an id the process no longer knows (it restarted, or many payments came after)
 * shows the success page without the way back.
 */
export interface PaidReturns {
  /** Keeps the payment's way back (no `returnUrl`: the trade has no return_url); its id. */
  add(tradeNo: string, paid: PaidReturn): string;
  /** The entry of `id` when it belongs to the trade. */
  get(id: string | undefined, tradeNo: string): PaidReturn | undefined;
}

/** How the success page of a payment sends the buyer back. */
export interface PaidReturn {
  /** The signed return URL. */
  returnUrl?: string;
  /** A skip_return fault acted on this payment: no way back (decisions.md §28). */
  returnSkipped?: boolean;
}

/** How many payments' returns are kept. */
export const PAID_RETURNS_KEPT = 1000;

export function createPaidReturns(kept = PAID_RETURNS_KEPT): PaidReturns {
  const entries = new Map<string, { tradeNo: string; paid: PaidReturn }>();
  return {
    add(tradeNo, paid) {
      const id = randomBytes(9).toString('base64url');
      entries.set(id, { tradeNo, paid });
      while (entries.size > kept) entries.delete(entries.keys().next().value!);
      return id;
    },
    get(id, tradeNo) {
      const entry = id === undefined ? undefined : entries.get(id);
      if (!entry || entry.tradeNo !== tradeNo) return undefined;
      return entry.paid;
    },
  };
}
