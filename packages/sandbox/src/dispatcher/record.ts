import type { Schedule } from '../deps.js';
import type { Tx } from '../services/trade-store.js';
import type { ClaimedAttempt } from './claim.js';
import { retryDelayMs } from './schedule.js';

export interface AttemptOutcome {
  finishedAt: number;
  durationMs: number;
  httpStatus: number | null;
  responseBody: string | null;
  error: string | null;
  warning: string | null;
  acknowledged: boolean;
}

/** The state a notification takes after an attempt (decisions.md §7). */
export function nextState(claim: ClaimedAttempt, outcome: AttemptOutcome, schedule: Schedule): { state: 'acknowledged' | 'retrying' | 'given_up'; nextAttemptAt: number } {
  if (outcome.acknowledged) return { state: 'acknowledged', nextAttemptAt: claim.notification.next_attempt_at };
  const delay = retryDelayMs(claim.number, schedule);
  if (delay === undefined) return { state: 'given_up', nextAttemptAt: claim.notification.next_attempt_at };
  return { state: 'retrying', nextAttemptAt: claim.startedAt + delay };
}

/**
 * Records attempts' outcomes and their notifications' next states in one transaction (decisions.md
 * §7–8): acknowledged (the notify_id then answers `false` for good), retrying at the attempt's
 * start + the next gap, or given up after the last. Every notification update is guarded by this
 * worker's claim, so a worker whose lock was taken over after a stall does not overwrite the new
 * owner's state.
 */
export async function recordOutcomes(
  trx: Tx,
  items: { claim: ClaimedAttempt; outcome: AttemptOutcome }[],
  options: { workerId: string; schedule: Schedule; now: number },
): Promise<{ unblocked: boolean }> {
  const acked: ClaimedAttempt[] = [];
  let ackedAt = 0;
  for (const { claim, outcome } of items) {
    await trx
      .updateTable('delivery_attempts')
      .set({
        finished_at: outcome.finishedAt,
        duration_ms: outcome.durationMs,
        http_status: outcome.httpStatus,
        response_body: outcome.responseBody,
        error: outcome.error,
        warning: outcome.warning,
        acknowledged: outcome.acknowledged ? 1 : 0,
      })
      .where('id', '=', claim.attemptId)
      .execute();
    const next = nextState(claim, outcome, options.schedule);
    if (next.state === 'acknowledged') {
      acked.push(claim);
      ackedAt = Math.max(ackedAt, outcome.finishedAt);
      continue;
    }
    await trx
      .updateTable('notifications')
      .set({ state: next.state, next_attempt_at: next.nextAttemptAt, locked_until: null, locked_by: null, last_error: outcome.error })
      .where('id', '=', claim.notification.id)
      .where('state', '=', 'delivering')
      .where('locked_by', '=', options.workerId)
      .where('attempts', '=', claim.number)
      .execute();
  }
  if (acked.length > 0) {
    // The happy path in two statements, however many were acknowledged together.
    await trx
      .updateTable('notifications')
      .set({ state: 'acknowledged', locked_until: null, locked_by: null, last_error: null, acknowledged_at: ackedAt })
      .where('id', 'in', acked.map((c) => c.notification.id))
      .where('state', '=', 'delivering')
      .where('locked_by', '=', options.workerId)
      .execute();
    await trx
      .updateTable('notify_ids')
      .set({ acknowledged: 1 })
      .where('notify_id', 'in', acked.map((c) => c.notification.notify_id))
      .execute();
  }
  // Did these ends let another notification of the same trades go (one waiting for its turn)?
  const waiting = await trx
    .selectFrom('notifications')
    .select('id')
    .where('ordering_key', 'in', [...new Set(items.map((i) => i.claim.notification.ordering_key))])
    .where('state', 'in', ['pending', 'retrying'])
    .where('next_attempt_at', '<=', options.now)
    .limit(1)
    .executeTakeFirst();
  return { unblocked: waiting !== undefined };
}
