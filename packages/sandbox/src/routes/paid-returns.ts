import { randomBytes } from 'node:crypto';

/**
 * The signed returns of payments just made, kept in the process under a short random id, so the
 * success page's URL carries that id and not the return itself (decisions.md §35). The newest
 * entries are kept; an id the process no longer knows (it restarted, or many payments came after)
 * shows the success page without the way back.
 */
export interface PaidReturns {
  /** Keeps the payment's return (undefined: the trade has no return_url); its id. */
  add(tradeNo: string, returnUrl: string | undefined): string;
  /** The entry of `id` when it belongs to the trade. */
  get(id: string | undefined, tradeNo: string): { returnUrl?: string } | undefined;
}

/** How many payments' returns are kept. */
export const PAID_RETURNS_KEPT = 1000;

export function createPaidReturns(kept = PAID_RETURNS_KEPT): PaidReturns {
  const entries = new Map<string, { tradeNo: string; returnUrl?: string }>();
  return {
    add(tradeNo, returnUrl) {
      const id = randomBytes(9).toString('base64url');
      entries.set(id, returnUrl === undefined ? { tradeNo } : { tradeNo, returnUrl });
      while (entries.size > kept) entries.delete(entries.keys().next().value!);
      return id;
    },
    get(id, tradeNo) {
      const entry = id === undefined ? undefined : entries.get(id);
      if (!entry || entry.tradeNo !== tradeNo) return undefined;
      return entry.returnUrl === undefined ? {} : { returnUrl: entry.returnUrl };
    },
  };
}
