import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { SandboxDeps } from '../../src/deps.js';

/** The tables whose rows a refused request must leave alone, with a stable order for hashing. */
const TABLES = [
  ['trades', 'trade_no'],
  ['trade_events', 'id'],
  ['notifications', 'id'],
  ['delivery_attempts', 'id'],
  ['notify_ids', 'notify_id'],
  ['refund_batches', 'id'],
  ['refunds', 'id'],
  ['tokens', 'token'],
  ['anti_phishing_keys', 'encrypt_key'],
  ['merchants', 'partner'],
  ['buyers', 'user_id'],
  ['faults', 'partner'],
  ['clock', 'id'],
] as const;

export interface Snapshot {
  /** Row count per table. */
  counts: Record<string, number>;
  /** sha256 of every row of every table, in key order. */
  hash: string;
}

/**
 * Everything the sandbox stores, reduced to row counts and one hash: two snapshots are equal iff no
 * row was added, removed or changed (trades, their events, notifications and attempts, notify_ids,
 * refunds, tokens, anti-phishing keys, merchants, balances, faults, the clock offset). Takes the
 * sandbox's deps, or any store opened on its database (`openDb`, beside or after a sandbox process).
 */
export async function snapshot(deps: Pick<SandboxDeps, 'db'>): Promise<Snapshot> {
  const hash = createHash('sha256');
  const counts: Record<string, number> = {};
  for (const [table, key] of TABLES) {
    // The table names come from the constant list above, never from input.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const rows = await (deps.db as unknown as Kysely<any>).selectFrom(table).selectAll().orderBy(key).execute();
    counts[table] = rows.length;
    hash.update(table);
    for (const row of rows) hash.update(JSON.stringify(row));
  }
  return { counts, hash: hash.digest('hex') };
}
