import { sql } from 'kysely';
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

/**
 * recordOutcomes on PostgreSQL in one statement (atomic by itself, so no BEGIN/COMMIT round
 * trips): the same updates as data-modifying CTEs over arrays (one text, prepared once per
 * connection, whatever the batch). The final check runs on the statement's snapshot, which does
 * not see the CTEs' own updates: the notifications recorded here were `delivering` in it, so one
 * of them retrying already due is counted here instead.
 */
export async function recordOutcomesPostgres(
  db: Tx,
  items: { claim: ClaimedAttempt; outcome: AttemptOutcome }[],
  options: { workerId: string; schedule: Schedule; now: number },
): Promise<{ unblocked: boolean }> {
  const attempt = { id: [] as number[], finishedAt: [] as number[], durationMs: [] as number[], httpStatus: [] as (number | null)[], responseBody: [] as (string | null)[], error: [] as (string | null)[], warning: [] as (string | null)[], acknowledged: [] as number[] };
  const retry = { id: [] as number[], number: [] as number[], state: [] as string[], nextAt: [] as number[], error: [] as (string | null)[] };
  const ackedIds: number[] = [];
  const ackedNotifyIds: string[] = [];
  let ackedAt = 0;
  let dueAgain = false;
  for (const { claim, outcome } of items) {
    attempt.id.push(claim.attemptId);
    attempt.finishedAt.push(outcome.finishedAt);
    attempt.durationMs.push(outcome.durationMs);
    attempt.httpStatus.push(outcome.httpStatus);
    attempt.responseBody.push(outcome.responseBody);
    attempt.error.push(outcome.error);
    attempt.warning.push(outcome.warning);
    attempt.acknowledged.push(outcome.acknowledged ? 1 : 0);
    const next = nextState(claim, outcome, options.schedule);
    if (next.state === 'acknowledged') {
      ackedIds.push(claim.notification.id);
      ackedNotifyIds.push(claim.notification.notify_id);
      ackedAt = Math.max(ackedAt, outcome.finishedAt);
      continue;
    }
    retry.id.push(claim.notification.id);
    retry.number.push(claim.number);
    retry.state.push(next.state);
    retry.nextAt.push(next.nextAttemptAt);
    retry.error.push(outcome.error);
    if (next.state === 'retrying' && next.nextAttemptAt <= options.now) dueAgain = true;
  }
  const keys = [...new Set(items.map((i) => i.claim.notification.ordering_key))];
  const result = await sql<{ waiting: boolean }>`
    with att as (
      update delivery_attempts d
      set finished_at = v.finished_at, duration_ms = v.duration_ms, http_status = v.http_status,
          response_body = v.response_body, error = v.error, warning = v.warning, acknowledged = v.acknowledged
      from unnest(${attempt.id}::int[], ${attempt.finishedAt}::bigint[], ${attempt.durationMs}::int[], ${attempt.httpStatus}::int[],
                  ${attempt.responseBody}::text[], ${attempt.error}::text[], ${attempt.warning}::text[], ${attempt.acknowledged}::int[])
        as v(id, finished_at, duration_ms, http_status, response_body, error, warning, acknowledged)
      where d.id = v.id
    ), retried as (
      update notifications n
      set state = r.state, next_attempt_at = r.next_at, locked_until = null, locked_by = null, last_error = r.error
      from unnest(${retry.id}::int[], ${retry.number}::int[], ${retry.state}::text[], ${retry.nextAt}::bigint[], ${retry.error}::text[])
        as r(id, number, state, next_at, error)
      where n.id = r.id and n.state = 'delivering' and n.locked_by = ${options.workerId} and n.attempts = r.number
    ), acked as (
      update notifications
      set state = 'acknowledged', locked_until = null, locked_by = null, last_error = null, acknowledged_at = ${ackedAt}::bigint
      where id = any(${ackedIds}::int[]) and state = 'delivering' and locked_by = ${options.workerId}
    ), acked_ids as (
      update notify_ids set acknowledged = 1 where notify_id = any(${ackedNotifyIds}::text[])
    )
    select exists (
      select 1 from notifications
      where ordering_key = any(${keys}::text[]) and state in ('pending', 'retrying') and next_attempt_at <= ${options.now}::bigint
    ) as waiting`.execute(db);
  return { unblocked: dueAgain || result.rows[0]?.waiting === true };
}
