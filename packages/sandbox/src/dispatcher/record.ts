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

/**
 * Records an attempt's outcome and the notification's next state (decisions.md §7–8): acknowledged
 * (its notify_id then answers `false` for good), retrying at the attempt's start + the next gap,
 * or given up after the last. Guarded by the claim, so a worker whose lock was taken over after a
 * stall does not overwrite the new owner's state.
 */
export async function recordOutcome(trx: Tx, claim: ClaimedAttempt, outcome: AttemptOutcome, options: { workerId: string; schedule: Schedule }): Promise<'acknowledged' | 'retrying' | 'given_up' | 'lost'> {
  const n = claim.notification;
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
  let state: 'acknowledged' | 'retrying' | 'given_up';
  let nextAttemptAt = n.next_attempt_at;
  if (outcome.acknowledged) state = 'acknowledged';
  else {
    const delay = retryDelayMs(claim.number, options.schedule);
    if (delay === undefined) state = 'given_up';
    else {
      state = 'retrying';
      nextAttemptAt = claim.startedAt + delay;
    }
  }
  const result = await trx
    .updateTable('notifications')
    .set({
      state,
      next_attempt_at: nextAttemptAt,
      locked_until: null,
      locked_by: null,
      last_error: outcome.acknowledged ? null : outcome.error,
      acknowledged_at: outcome.acknowledged ? outcome.finishedAt : null,
    })
    .where('id', '=', n.id)
    .where('state', '=', 'delivering')
    .where('locked_by', '=', options.workerId)
    .where('attempts', '=', claim.number)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return 'lost';
  if (outcome.acknowledged) {
    await trx.updateTable('notify_ids').set({ acknowledged: 1 }).where('notify_id', '=', n.notify_id).execute();
  }
  return state;
}
