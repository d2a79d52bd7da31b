import { CompiledQuery, sql, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely';
import type { Dialect } from '../deps.js';
import type { Tx } from '../services/trade-store.js';
import type { Database, FaultsTable, NotificationsTable } from '../store/schema.js';

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
  /** Also take rows whose claim expired (a worker died mid-delivery). Default true; the dispatcher's loop asks about once a second. */
  recover?: boolean;
}

/** Thrown when another process took a row between our read and our write (SQLite); the caller simply claims again. */
export class ClaimConflict extends Error {}

/**
 * Claims due notifications in one transaction (the outbox claim of DESIGN.md; all claim logic
 * lives in this file):
 * - due: pending/retrying with next_attempt_at <= now, or delivering with an expired lock (a worker
 *   died mid-delivery, decisions.md §8);
 * - at most one attempt in flight per ordering key (trade), and never a later notification's first
 *   attempt before an earlier one's (dueCandidatesQuery below);
 * - PostgreSQL: candidate rows are locked FOR UPDATE SKIP LOCKED, and each ordering key with a
 *   transaction-scoped advisory lock, so workers in several processes never claim two
 *   notifications of one trade at once; SQLite: one writer at a time, and the claim UPDATE is
 *   guarded by the rows' state, so a row taken meanwhile aborts the claim (ClaimConflict).
 * For each claimed row the attempt is recorded and the notify_id armed before the commit, so a
 * crash after the send still leaves a trace. A handful of statements per call, whatever the
 * number of rows.
 */
export async function claimDue(trx: Tx, options: ClaimOptions): Promise<ClaimedAttempt[]> {
  const { now, dialect } = options;
  if (options.limit <= 0) return [];
  const template = dueCandidatesQuery(trx, dialect, options.recover ?? true);
  const parameters = template.parameters.map((p) => (p === NOW ? now : p === LIMIT ? options.limit : p));
  const candidates = (await trx.executeQuery<NotificationRow>(CompiledQuery.raw(template.sql, parameters))).rows;
  if (candidates.length === 0) return [];

  // One per ordering key: the lowest sequence.
  const byKey = new Map<string, NotificationRow>();
  for (const row of candidates) {
    const seen = byKey.get(row.ordering_key);
    if (!seen || row.sequence < seen.sequence) byKey.set(row.ordering_key, row);
  }
  let chosen = [...byKey.values()];

  if (dialect === 'postgres') {
    // Keys another worker is claiming right now (its transaction holds the advisory lock) or has
    // claimed since our snapshot are left for later.
    const keys = chosen.map((r) => r.ordering_key);
    const locked = await sql<{ k: string }>`select k from unnest(${keys}::text[]) as k where pg_try_advisory_xact_lock(hashtext(k))`.execute(trx);
    const lockedKeys = new Set(locked.rows.map((r) => r.k));
    chosen = chosen.filter((r) => lockedKeys.has(r.ordering_key));
    if (chosen.length === 0) return [];
    // A statement of its own, run once the locks are held: a snapshot taken before a lock was
    // acquired could miss the claim its previous holder committed just before releasing it.
    const busy = await trx
      .selectFrom('notifications')
      .select('ordering_key')
      .where('ordering_key', 'in', chosen.map((r) => r.ordering_key))
      .where('id', 'not in', chosen.map((r) => r.id))
      .where('state', '=', 'delivering')
      .where('locked_until', '>=', now)
      .execute();
    const busyKeys = new Set(busy.map((r) => r.ordering_key));
    chosen = chosen.filter((r) => !busyKeys.has(r.ordering_key));
    if (chosen.length === 0) return [];
  }

  // Faults (per merchant): a delay postpones a first attempt once; drop and duplicate mark attempts.
  const partners = [...new Set(chosen.map((r) => r.partner))];
  const faultRows = await trx.selectFrom('faults').selectAll().where('partner', 'in', partners).execute();
  const faults = new Map(faultRows.map((f) => [f.partner, { ...f }]));
  const used = new Map<string, number>();
  const take = (fault: Selectable<FaultsTable>): boolean => {
    const n = used.get(fault.partner) ?? 0;
    if (fault.remaining !== null && n >= fault.remaining) return false;
    used.set(fault.partner, n + 1);
    return true;
  };

  const toSend: { row: NotificationRow; fault: ClaimedAttempt['fault'] }[] = [];
  for (const row of chosen) {
    const fault = faults.get(row.partner);
    if (fault?.kind === 'delay' && row.attempts === 0 && row.delayed === 0 && row.state === 'pending' && take(fault)) {
      await trx
        .updateTable('notifications')
        .set({ next_attempt_at: now + (fault.delay_seconds ?? 0) * 1000, delayed: 1 })
        .where('id', '=', row.id)
        .where('state', '=', 'pending')
        .execute();
      continue;
    }
    let injected: ClaimedAttempt['fault'] = null;
    if (fault && (fault.kind === 'drop' || fault.kind === 'duplicate') && take(fault)) injected = fault.kind;
    else if (row.delayed === 1 && row.attempts === 0) injected = 'delay';
    toSend.push({ row, fault: injected });
  }
  for (const [partner, n] of used) {
    const fault = faults.get(partner)!;
    if (fault.remaining === null) continue;
    if (fault.remaining <= n) await trx.deleteFrom('faults').where('partner', '=', partner).execute();
    else await trx.updateTable('faults').set({ remaining: fault.remaining - n }).where('partner', '=', partner).execute();
  }
  if (toSend.length === 0) return [];

  const lockedUntil = now + options.lockMs;
  const attemptIds = dialect === 'postgres' ? await recordClaimPostgres(trx, toSend, options, lockedUntil) : await recordClaim(trx, toSend, options, lockedUntil);
  return toSend.map(({ row, fault }) => ({
    notification: { ...row, state: 'delivering', attempts: row.attempts + 1, locked_until: lockedUntil, locked_by: options.workerId },
    attemptId: attemptIds.get(row.id)!,
    number: row.attempts + 1,
    startedAt: now,
    fault,
  }));
}

type ToSend = { row: NotificationRow; fault: ClaimedAttempt['fault'] }[];

/** The claim's writes (SQLite): the rows taken, stale attempts closed, the attempts recorded, the notify_ids armed. */
async function recordClaim(trx: Tx, toSend: ToSend, options: ClaimOptions, lockedUntil: number): Promise<Map<number, number>> {
  const { now } = options;
  const ids = toSend.map((s) => s.row.id);
  const updated = await trx
    .updateTable('notifications')
    .set((eb) => ({ state: 'delivering', attempts: eb('attempts', '+', 1), locked_until: lockedUntil, locked_by: options.workerId }))
    .where('id', 'in', ids)
    .where((eb) =>
      eb.or([
        eb.and([eb('state', 'in', ['pending', 'retrying']), eb('next_attempt_at', '<=', now)]),
        eb.and([eb('state', '=', 'delivering'), eb('locked_until', '<', now)]),
      ]),
    )
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== ids.length) throw new ClaimConflict('a notification was claimed by another worker meanwhile');

  await closeInterruptedAttempts(trx, toSend, now);

  const attempts = await trx
    .insertInto('delivery_attempts')
    .values(
      toSend.map(({ row, fault }) => ({
        notification_id: row.id,
        number: row.attempts + 1,
        worker_id: options.workerId,
        started_at: now,
        finished_at: null,
        duration_ms: null,
        request_body: row.body,
        http_status: null,
        response_body: null,
        error: null,
        warning: null,
        fault,
        acknowledged: 0,
      })),
    )
    .returning(['id', 'notification_id'])
    .execute();

  await trx
    .updateTable('notify_ids')
    .set({ armed_until: now + NOTIFY_ID_ARM_MS, used: 0 })
    .where('notify_id', 'in', toSend.map((s) => s.row.notify_id))
    .where('acknowledged', '=', 0)
    .execute();
  return new Map(attempts.map((a) => [a.notification_id, a.id]));
}

/**
 * The same writes on PostgreSQL in two round trips at most: stale attempts closed (only after a
 * dead worker), then the rows taken, the attempts inserted and the notify_ids armed in one
 * statement (data-modifying CTEs). A row taken meanwhile makes the count differ: ClaimConflict,
 * and the caller's transaction rolls everything back.
 */
async function recordClaimPostgres(trx: Tx, toSend: ToSend, options: ClaimOptions, lockedUntil: number): Promise<Map<number, number>> {
  const { now } = options;
  const ids = toSend.map((s) => s.row.id);
  await closeInterruptedAttempts(trx, toSend, now);
  const result = await sql<{ claimed: number; id: number; notification_id: number }>`
    with claimed as (
      update notifications
      set state = 'delivering', attempts = attempts + 1, locked_until = ${lockedUntil}::bigint, locked_by = ${options.workerId}
      where id = any(${ids}::int[])
        and ((state in ('pending', 'retrying') and next_attempt_at <= ${now}::bigint) or (state = 'delivering' and locked_until < ${now}::bigint))
      returning id
    ), inserted as (
      insert into delivery_attempts (notification_id, number, worker_id, started_at, request_body, fault, acknowledged)
      select v.notification_id, v.number, ${options.workerId}, ${now}::bigint, v.request_body, v.fault, 0
      from unnest(${ids}::int[], ${toSend.map((s) => s.row.attempts + 1)}::int[], ${toSend.map((s) => s.row.body)}::text[], ${toSend.map((s) => s.fault)}::text[])
        with ordinality as v(notification_id, number, request_body, fault, ord)
      order by v.ord
      returning id, notification_id
    ), armed as (
      update notify_ids set armed_until = ${now + NOTIFY_ID_ARM_MS}::bigint, used = 0
      where notify_id = any(${toSend.map((s) => s.row.notify_id)}::text[]) and acknowledged = 0
    )
    select (select count(*) from claimed)::int as claimed, i.id, i.notification_id from inserted i`.execute(trx);
  if (result.rows.length !== ids.length || result.rows[0]?.claimed !== ids.length) throw new ClaimConflict('a notification was claimed by another worker meanwhile');
  return new Map(result.rows.map((a) => [a.notification_id, a.id]));
}

// The candidates queries are the same every time but for `now` and the limit: build each
// expression tree once per dialect (building it costs more than running it) and fill those in.
const NOW = -1_000_000_001;
const LIMIT = -1_000_000_002;
const templates = new Map<string, CompiledQuery>();
// States are written into the SQL as literals, not parameters: only then can SQLite and
// PostgreSQL's generic plans of a prepared statement prove that a partial index applies.
const PENDING = sql.lit('pending');
const DELIVERING = sql.lit('delivering');
const RETRYING = sql.lit('retrying');

/**
 * Due notifications, oldest first, that no earlier notification of their ordering key is ahead of
 * (a first attempt still pending) and none is being delivered right now; with `recover`, also
 * rows whose worker died mid-delivery (the lock expired).
 *
 * The common query reads only the partial index of undelivered rows, in order, and tests each row
 * with a correlated subquery on its ordering key (migration 0003): on PostgreSQL this is an index
 * scan, which marks the dead entries every state change leaves behind so later claims skip them,
 * where a bitmap scan (the planner's choice for an OR of states or a NOT EXISTS join) would visit
 * them all on every claim until autovacuum. Expired locks only appear when a worker died, so the
 * dispatcher looks for them on the first claim of runDue() and about once a second.
 */
export function dueCandidatesQuery(trx: Tx, dialect: Dialect, recover: boolean): CompiledQuery {
  const name = `${dialect}:${recover ? 'recover' : 'due'}`;
  let compiled = templates.get(name);
  if (compiled) return compiled;
  const clear = (eb: ExpressionBuilder<Database & { d: NotificationsTable }, 'd'>) =>
    eb(
      eb
        .selectFrom('notifications as m')
        .select(eb.lit(1).as('one'))
        .whereRef('m.ordering_key', '=', 'd.ordering_key')
        .whereRef('m.id', '<>', 'd.id')
        .where((e) =>
          e.or([
            e.and([e('m.state', '=', PENDING), e('m.attempts', '=', 0), e('m.sequence', '<', e.ref('d.sequence'))]),
            e.and([e('m.state', '=', DELIVERING), e('m.locked_until', '>=', NOW)]),
          ]),
        )
        .limit(1),
      'is',
      null,
    );
  // Due now; repeated on the outer row so that PostgreSQL's re-check of a row another worker
  // claimed meanwhile (FOR UPDATE) leaves it out instead of failing the whole claim later.
  const due = (alias: 'd' | 'n') => {
    const col = (name: keyof NotificationsTable) => sql.ref(`${alias}.${name}`);
    const undelivered = sql<SqlBool>`${col('state')} in (${PENDING}, ${RETRYING}) and ${col('next_attempt_at')} <= ${NOW}`;
    return recover ? sql<SqlBool>`((${undelivered}) or (${col('state')} = ${DELIVERING} and ${col('locked_until')} < ${NOW}))` : undelivered;
  };
  const ids = trx.selectFrom('notifications as d').select('d.id').where(due('d')).where(clear).orderBy('d.next_attempt_at').orderBy('d.id').limit(LIMIT);
  let query = trx
    .selectFrom('notifications as n')
    .selectAll('n')
    .where('n.id', 'in', ids)
    .where(due('n'))
    .orderBy('n.next_attempt_at')
    .orderBy('n.id')
    .limit(LIMIT);
  if (dialect === 'postgres') query = query.forUpdate('n').skipLocked();
  compiled = query.compile();
  templates.set(name, compiled);
  return compiled;
}

/** The previous worker died during these rows' attempts: close those attempts' records. */
async function closeInterruptedAttempts(trx: Tx, toSend: ToSend, now: number): Promise<void> {
  const stale = toSend.filter((s) => s.row.state === 'delivering').map((s) => s.row.id);
  if (stale.length === 0) return;
  await trx
    .updateTable('delivery_attempts')
    .set({ finished_at: now, error: 'interrupted: the sandbox stopped during this attempt (it may or may not have reached the merchant)' })
    .where('notification_id', 'in', stale)
    .where('finished_at', 'is', null)
    .execute();
}
