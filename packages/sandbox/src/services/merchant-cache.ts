import type { SandboxDeps } from '../deps.js';
import { toMerchant } from '../store/rows.js';
import type { Tx } from './trade-store.js';
import type { Merchant } from './types.js';

/**
 * Merchants are read on every request and every trade change but change only when someone flips
 * a setting, so they are kept for a second per sandbox. A change made in this process clears the
 * entry at once; one made by another process sharing the store shows within a second.
 */
const TTL_MS = 1000;

const caches = new WeakMap<object, Map<string, { merchant: Merchant; until: number }>>();

function cacheOf(deps: SandboxDeps): Map<string, { merchant: Merchant; until: number }> {
  let cache = caches.get(deps.db);
  if (!cache) {
    cache = new Map();
    caches.set(deps.db, cache);
  }
  return cache;
}

/** The merchant, from the cache or read through `executor` (pass the transaction when inside one). */
export async function cachedMerchant(deps: SandboxDeps, partner: string, executor: Tx = deps.db): Promise<Merchant | undefined> {
  const cache = cacheOf(deps);
  const hit = cache.get(partner);
  const now = Date.now();
  if (hit && hit.until > now) return hit.merchant;
  const row = await executor.selectFrom('merchants').selectAll().where('partner', '=', partner).executeTakeFirst();
  if (!row) {
    cache.delete(partner);
    return undefined;
  }
  const merchant = toMerchant(row);
  cache.set(partner, { merchant, until: now + TTL_MS });
  return merchant;
}

export function forgetMerchant(deps: SandboxDeps, partner: string): void {
  cacheOf(deps).delete(partner);
}
