import { GatewayError } from 'alipay-legacy';
import { newEncryptKey } from 'alipay-legacy/protocol';
import type { SandboxDeps } from '../deps.js';

/** decisions.md §18: the key is valid for 30 s, once. */
export const ANTI_PHISHING_TTL_MS = 30_000;

/** query_timestamp: a key valid 30 s and once (decisions.md §18). */
export async function issueAntiPhishingKey(deps: SandboxDeps, partner: string): Promise<{ key: string; expiresAt: number }> {
  const now = deps.clock.now();
  const key = newEncryptKey();
  const expiresAt = now + ANTI_PHISHING_TTL_MS;
  await deps.db.insertInto('anti_phishing_keys').values({ encrypt_key: key, partner, expires_at: expiresAt, used: 0, created_at: now }).execute();
  return { key, expiresAt };
}

/**
 * Uses up an anti_phishing_key. Throws ILLEGAL_ANTI_PHISHING_KEY for a missing, unknown, used or
 * other partner's key and ANTI_PHISHING_KEY_TIMEOUT for an expired one (protocol.md §4.8).
 */
export async function consumeAntiPhishingKey(deps: SandboxDeps, partner: string, key: string | undefined): Promise<void> {
  if (!key) throw new GatewayError('ILLEGAL_ANTI_PHISHING_KEY', 'anti_phishing_key is required: get one from query_timestamp first', { param: 'anti_phishing_key' });
  const now = deps.clock.now();
  const result = await deps.db
    .updateTable('anti_phishing_keys')
    .set({ used: 1 })
    .where('encrypt_key', '=', key)
    .where('partner', '=', partner)
    .where('used', '=', 0)
    .where('expires_at', '>=', now)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 1) return;
  const row = await deps.db.selectFrom('anti_phishing_keys').selectAll().where('encrypt_key', '=', key).where('partner', '=', partner).executeTakeFirst();
  if (row && row.used === 0 && row.expires_at < now) {
    throw new GatewayError('ANTI_PHISHING_KEY_TIMEOUT', 'anti_phishing_key expired: it is valid for 30 seconds after query_timestamp', { param: 'anti_phishing_key' });
  }
  throw new GatewayError('ILLEGAL_ANTI_PHISHING_KEY', row ? 'anti_phishing_key was already used: each key is good once' : 'unknown anti_phishing_key', { param: 'anti_phishing_key' });
}
