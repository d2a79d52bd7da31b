import { CompiledQuery, sql, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Database, NotificationsTable } from './schema.js';
import type { ChooseToSend, ClaimedAttempt, ClaimOptions, NewNotification, NotificationRow, ToSend, Tx } from './store-writer.js';

// The outbox SQL every dialect's writer shares: what is due, and the claim's steps that do not differ.

/** decisions.md §2: each delivery attempt arms the notify_id for 60 s. */
export const NOTIFY_ID_ARM_MS = 60_000;

/** Thrown inside a claim's transaction when another worker took a row meanwhile: the writer rolls back and claims nothing. */
export class ClaimConflict extends Error {}

// The candidates query is the same every time but for `now` and the limit: each writer compiles it
// once per `recover` (building the expression tree costs more than running it) and fills those in.
const NOW = -1_000_000_001;
const LIMIT = -1_000_000_002;
// States are written into the SQL as literals, not parameters: only then can SQLite and
// PostgreSQL's generic plans of a prepared statement prove that a partial index applies.
const PENDING = sql.lit('pending');
const DELIVERING = sql.lit('delivering');
const RETRYING = sql.lit('retrying');

/**
 * Due notifications, oldest first, that no earlier notification of their ordering key is ahead of
 * (a first attempt still pending) and none is being delivered right now; with `recover`, also
 * rows whose worker died mid-delivery (the lock expired). `lockRows`: the rows are locked FOR
 * UPDATE SKIP LOCKED, for dialects where several processes claim at once.
 *
 * The common query reads only the partial index of undelivered rows, in order, and tests each row
 * with a correlated subquery on its ordering key (migration 0003): on PostgreSQL this is an index
 * scan, which marks the dead entries every state change leaves behind so later claims skip them,
 * where a bitmap scan (the planner's choice for an OR of states or a NOT EXISTS join) would visit
 * them all on every claim until autovacuum. Expired locks only appear when a worker died, so the
 * dispatcher looks for them on the first claim of runDue() and about once a second.
 */
export function compileDueCandidates(db: Tx, options: { recover: boolean; lockRows: boolean }): CompiledQuery {
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
    return options.recover ? sql<SqlBool>`((${undelivered}) or (${col('state')} = ${DELIVERING} and ${col('locked_until')} < ${NOW}))` : undelivered;
  };
  const ids = db.selectFrom('notifications as d').select('d.id').where(due('d')).where(clear).orderBy('d.next_attempt_at').orderBy('d.id').limit(LIMIT);
  const query = db
    .selectFrom('notifications as n')
    .selectAll('n')
    .where('n.id', 'in', ids)
    .where(due('n'))
    .orderBy('n.next_attempt_at')
    .orderBy('n.id')
    .limit(LIMIT);
  return (options.lockRows ? query.forUpdate('n').skipLocked() : query).compile();
}

/** Runs a compiled candidates query for `now` and `limit`. */
async function dueCandidates(trx: Tx, template: CompiledQuery, now: number, limit: number): Promise<NotificationRow[]> {
  const parameters = template.parameters.map((p) => (p === NOW ? now : p === LIMIT ? limit : p));
  return (await trx.executeQuery<NotificationRow>(CompiledQuery.raw(template.sql, parameters))).rows;
}

/** One row per ordering key: its lowest sequence. */
function firstPerOrderingKey(rows: NotificationRow[]): NotificationRow[] {
  const byKey = new Map<string, NotificationRow>();
  for (const row of rows) {
    const seen = byKey.get(row.ordering_key);
    if (!seen || row.sequence < seen.sequence) byKey.set(row.ordering_key, row);
  }
  return [...byKey.values()];
}

/** What a dialect brings to the claim (claimInTransaction). */
export interface ClaimSteps {
  /** The candidates query, compiled once per `recover` (compileDueCandidates). */
  candidates(recover: boolean): CompiledQuery;
  /** Keeps the rows whose ordering key this claim may take, where other processes may be claiming too. */
  keysToClaim?(trx: Tx, rows: NotificationRow[], now: number): Promise<NotificationRow[]>;
  /** The claim's writes: rows taken, attempts recorded, notify_ids armed; the attempts' ids by notification id. Throws ClaimConflict when a row was taken meanwhile. */
  takeRows(trx: Tx, toSend: readonly ToSend[], claim: { workerId: string; now: number; lockedUntil: number }): Promise<Map<number, number>>;
}

/**
 * A claim as every dialect makes it (StoreWriter.claimDue), in one transaction on `db`: the due
 * candidates, the first of each ordering key, the dialect's key locks, `choose` (the faults), the
 * dialect's writes. A ClaimConflict rolls it all back and claims nothing.
 */
export async function claimInTransaction(db: Tx, options: ClaimOptions, choose: ChooseToSend, steps: ClaimSteps): Promise<ClaimedAttempt[]> {
  const { now, workerId } = options;
  if (options.limit <= 0) return [];
  try {
    return await db.transaction().execute(async (trx) => {
      const candidates = await dueCandidates(trx, steps.candidates(options.recover ?? true), now, options.limit);
      if (candidates.length === 0) return [];
      let rows = firstPerOrderingKey(candidates);
      if (steps.keysToClaim) rows = await steps.keysToClaim(trx, rows, now);
      if (rows.length === 0) return [];
      const toSend = await choose(trx, rows, now);
      if (toSend.length === 0) return [];
      const claim = { workerId, now, lockedUntil: now + options.lockMs };
      return claimedAttempts(toSend, await steps.takeRows(trx, toSend, claim), claim);
    });
  } catch (error) {
    if (error instanceof ClaimConflict) return [];
    throw error;
  }
}

/** compileDueCandidates once per `recover`, for one Kysely instance. */
export function dueCandidatesTemplates(db: Tx, lockRows: boolean): (recover: boolean) => CompiledQuery {
  const templates = new Map<boolean, CompiledQuery>();
  return (recover) => {
    let template = templates.get(recover);
    if (!template) templates.set(recover, (template = compileDueCandidates(db, { recover, lockRows })));
    return template;
  };
}

/** The previous worker died during these rows' attempts: close those attempts' records. */
export async function closeInterruptedAttempts(trx: Tx, toSend: readonly ToSend[], now: number): Promise<void> {
  const stale = toSend.filter((s) => s.row.state === 'delivering').map((s) => s.row.id);
  if (stale.length === 0) return;
  await trx
    .updateTable('delivery_attempts')
    .set({ finished_at: now, error: 'interrupted: the sandbox stopped during this attempt (it may or may not have reached the merchant)' })
    .where('notification_id', 'in', stale)
    .where('finished_at', 'is', null)
    .execute();
}

/** Writes a notification and its notify_id, stored unarmed: each attempt arms it (decisions.md §2). Returns the notification's id. */
export async function insertNotification(trx: Tx, notification: NewNotification): Promise<number> {
  const row = await trx.insertInto('notifications').values(notification.values).returning('id').executeTakeFirstOrThrow();
  await trx
    .insertInto('notify_ids')
    .values({ notify_id: notification.notifyId, partner: notification.partner, kind: 'async', notification_id: row.id, armed_until: null, used: 0, acknowledged: 0, created_at: notification.now })
    .execute();
  return row.id;
}

/** The claimed attempts as the dispatcher sees them, once the claim's writes are done. */
function claimedAttempts(toSend: readonly ToSend[], attemptIds: Map<number, number>, claim: { workerId: string; now: number; lockedUntil: number }): ClaimedAttempt[] {
  return toSend.map(({ row, fault }) => ({
    notification: { ...row, state: 'delivering', attempts: row.attempts + 1, locked_until: claim.lockedUntil, locked_by: claim.workerId },
    attemptId: attemptIds.get(row.id)!,
    number: row.attempts + 1,
    startedAt: claim.now,
    fault,
  }));
}
