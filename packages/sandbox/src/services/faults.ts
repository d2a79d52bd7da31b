import type { SandboxDeps } from '../deps.js';
import { SandboxError } from './errors.js';
import { requireMerchant } from './merchants.js';
import type { Fault } from './types.js';

/**
 * Sets (or with kind 'none' removes) the fault injected into a merchant's deliveries:
 * - drop: attempts are "lost": not sent, recorded as failed, retried on the schedule;
 * - delay: each notification's first attempt is postponed by `seconds` (virtual time), so a
 *   return can arrive before its notification;
 * - duplicate: each attempt is sent twice in a row.
 * `count` limits how many attempts (drop, duplicate) or notifications (delay) it applies to.
 */
export async function setFault(deps: SandboxDeps, partner: string, fault: Fault): Promise<void> {
  await requireMerchant(deps, partner);
  await deps.db.deleteFrom('faults').where('partner', '=', partner).execute();
  if (fault.kind === 'none') return;
  if (!['drop', 'delay', 'duplicate'].includes(fault.kind)) throw new SandboxError('BAD_INPUT', `unknown fault kind ${(fault as { kind: string }).kind}`);
  const count = fault.count;
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) throw new SandboxError('BAD_INPUT', 'fault count must be a whole number ≥ 1');
  let delaySeconds: number | null = null;
  if (fault.kind === 'delay') {
    if (!Number.isFinite(fault.seconds) || fault.seconds <= 0) throw new SandboxError('BAD_INPUT', 'a delay fault needs seconds > 0');
    delaySeconds = Math.round(fault.seconds);
  }
  await deps.db
    .insertInto('faults')
    .values({ partner, kind: fault.kind, remaining: count ?? null, delay_seconds: delaySeconds, created_at: deps.clock.now() })
    .execute();
}

export async function getFault(deps: SandboxDeps, partner: string): Promise<Fault> {
  await requireMerchant(deps, partner);
  const row = await deps.db.selectFrom('faults').selectAll().where('partner', '=', partner).executeTakeFirst();
  if (!row) return { kind: 'none' };
  const count = row.remaining === null ? {} : { count: row.remaining };
  if (row.kind === 'delay') return { kind: 'delay', seconds: row.delay_seconds ?? 0, ...count };
  return { kind: row.kind as 'drop' | 'duplicate', ...count };
}
