import { sql, type Selectable } from 'kysely';
import type { Dialect } from '../deps.js';
import type { Tx } from '../services/trade-store.js';
import type { FaultsTable, NotificationsTable } from '../store/schema.js';

/** decisions.md §2: each delivery attempt arms the notify_id for 60 s. */
export const NOTIFY_ID_ARM_MS = 60_000;

export type NotificationRow = Selectable<NotificationsTable>;

/** One attempt this worker now owns: recorded (attempt row, armed notify_id) before anything is sent. */
export interface ClaimedAttempt {
  notification: NotificationRow;
  attemptId: number;
  /** 1-based attempt number. */
  number: number;
  /** Virtual time of the claim: the attempt's start, from which the next gap is counted. */
  startedAt: number;
  /** The fault injected into this attempt, if any. */
  fault: 'drop' | 'duplicate' | 'delay' | null;
}

export interface ClaimOptions {
  dialect: Dialect;
  workerId: string;
  now: number;
  /** How long the claim holds (virtual ms); a worker that dies leaves the row to be re-claimed after it. */
  lockMs: number;
  limit: number;
}

/**
 * Claims due notifications in one transaction (the outbox claim of DESIGN.md; all claim logic
 * lives in this file):
 * - due: pending/retrying with next_attempt_at <= now, or delivering with an expired lock (a worker
 *   died mid-delivery, decisions.md §8);
 * - at most one attempt in flight per ordering key (trade), and never a later notification's first
 *   attempt before an earlier one's (the NOT EXISTS below);
 * - PostgreSQL: candidate rows are locked FOR UPDATE SKIP LOCKED, and each ordering key with a
 *   transaction-scoped advisory lock, so workers in several processes never claim two
 *   notifications of one trade at once; SQLite: one writer at a time, and every claim UPDATE is
 *   guarded by the row's state so a second process cannot take the same row.
 * For each claimed row the attempt is recorded and the notify_id armed before the commit, so a
 * crash after the send still leaves a trace.
 */
export async function claimDue(trx: Tx, options: ClaimOptions): Promise<ClaimedAttempt[]> {
  const { now, dialect } = options;
  let query = trx
    .selectFrom('notifications as n')
    .selectAll('n')
    .where((eb) =>
      eb.or([
        eb.and([eb('n.state', 'in', ['pending', 'retrying']), eb('n.next_attempt_at', '<=', now)]),
        eb.and([eb('n.state', '=', 'delivering'), eb('n.locked_until', '<', now)]),
      ]),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('notifications as m')
            .select('m.id')
            .whereRef('m.ordering_key', '=', 'n.ordering_key')
            .whereRef('m.id', '<>', 'n.id')
            .where((e) =>
              e.or([
                e.and([e('m.state', '=', 'pending'), e('m.attempts', '=', 0), e('m.sequence', '<', e.ref('n.sequence'))]),
                e.and([e('m.state', '=', 'delivering'), e('m.locked_until', '>=', now)]),
              ]),
            ),
        ),
      ),
    )
    .orderBy('n.next_attempt_at')
    .orderBy('n.id')
    .limit(options.limit);
  if (dialect === 'postgres') query = query.forUpdate().skipLocked();
  const candidates = await query.execute();
  if (candidates.length === 0) return [];

  // One per ordering key: the lowest sequence.
  const chosen = new Map<string, NotificationRow>();
  for (const row of candidates) {
    const seen = chosen.get(row.ordering_key);
    if (!seen || row.sequence < seen.sequence) chosen.set(row.ordering_key, row);
  }

  const faults = new Map<string, Selectable<FaultsTable> | null>();
  const claimed: ClaimedAttempt[] = [];
  for (const row of chosen.values()) {
    if (dialect === 'postgres') {
      const lock = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(hashtext(${row.ordering_key})) as locked`.execute(trx);
      if (!lock.rows[0]?.locked) continue;
      // Another worker may have committed a claim for this key after our snapshot.
      const busy = await trx
        .selectFrom('notifications')
        .select('id')
        .where('ordering_key', '=', row.ordering_key)
        .where('id', '<>', row.id)
        .where('state', '=', 'delivering')
        .where('locked_until', '>=', now)
        .executeTakeFirst();
      if (busy) continue;
    }

    let fault = faults.get(row.partner);
    if (fault === undefined) {
      fault = (await trx.selectFrom('faults').selectAll().where('partner', '=', row.partner).executeTakeFirst()) ?? null;
      faults.set(row.partner, fault);
    }

    // A delay fault postpones a notification's first attempt once (decisions.md: faults recorded).
    if (fault?.kind === 'delay' && row.attempts === 0 && row.delayed === 0 && row.state === 'pending') {
      const postponed = await trx
        .updateTable('notifications')
        .set({ next_attempt_at: now + (fault.delay_seconds ?? 0) * 1000, delayed: 1 })
        .where('id', '=', row.id)
        .where('state', '=', 'pending')
        .where('attempts', '=', 0)
        .executeTakeFirst();
      if (Number(postponed.numUpdatedRows) === 1) fault = await useFault(trx, fault, faults);
      continue;
    }

    const number = row.attempts + 1;
    const updated = await trx
      .updateTable('notifications')
      .set({ state: 'delivering', attempts: number, locked_until: now + options.lockMs, locked_by: options.workerId })
      .where('id', '=', row.id)
      .where('attempts', '=', row.attempts)
      .where((eb) =>
        eb.or([
          eb.and([eb('state', 'in', ['pending', 'retrying']), eb('next_attempt_at', '<=', now)]),
          eb.and([eb('state', '=', 'delivering'), eb('locked_until', '<', now)]),
        ]),
      )
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) continue;

    if (row.state === 'delivering') {
      // The previous worker died during its attempt: close that attempt's record.
      await trx
        .updateTable('delivery_attempts')
        .set({ finished_at: now, error: 'interrupted: the sandbox stopped during this attempt (it may or may not have reached the merchant)' })
        .where('notification_id', '=', row.id)
        .where('finished_at', 'is', null)
        .execute();
    }

    let injected: ClaimedAttempt['fault'] = null;
    if (fault && (fault.kind === 'drop' || fault.kind === 'duplicate')) {
      injected = fault.kind;
      fault = await useFault(trx, fault, faults);
    } else if (row.delayed === 1 && number === 1) {
      injected = 'delay';
    }

    const attempt = await trx
      .insertInto('delivery_attempts')
      .values({
        notification_id: row.id,
        number,
        worker_id: options.workerId,
        started_at: now,
        finished_at: null,
        duration_ms: null,
        request_body: row.body,
        http_status: null,
        response_body: null,
        error: null,
        warning: null,
        fault: injected,
        acknowledged: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('notify_ids')
      .set({ armed_until: now + NOTIFY_ID_ARM_MS, used: 0 })
      .where('notify_id', '=', row.notify_id)
      .where('acknowledged', '=', 0)
      .execute();
    claimed.push({
      notification: { ...row, state: 'delivering', attempts: number, locked_until: now + options.lockMs, locked_by: options.workerId },
      attemptId: attempt.id,
      number,
      startedAt: now,
      fault: injected,
    });
  }
  return claimed;
}

/** Counts one use of a limited fault; removes it when used up. Returns the fault still in force. */
async function useFault(trx: Tx, fault: Selectable<FaultsTable>, cache: Map<string, Selectable<FaultsTable> | null>): Promise<Selectable<FaultsTable> | null> {
  if (fault.remaining === null) return fault;
  if (fault.remaining <= 1) {
    await trx.deleteFrom('faults').where('partner', '=', fault.partner).execute();
    cache.set(fault.partner, null);
    return null;
  }
  const next = { ...fault, remaining: fault.remaining - 1 };
  await trx.updateTable('faults').set({ remaining: next.remaining }).where('partner', '=', fault.partner).execute();
  cache.set(fault.partner, next);
  return next;
}
