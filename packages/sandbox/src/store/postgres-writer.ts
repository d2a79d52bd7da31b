import { sql, type Compilable, type Insertable } from 'kysely';
import { ClaimConflict, claimInTransaction, closeInterruptedAttempts, dueCandidatesTemplates, insertNotification, NOTIFY_ID_ARM_MS } from './outbox-sql.js';
import type { NotificationsTable, TradeEventsTable } from './schema.js';
import type { NewNotification, NotificationRow, RecordedOutcome, StoreWriter, ToSend, Tx, WriteTx } from './store-writer.js';
import { tradeInsert, tradeUpdate } from './trade-sql.js';

/**
 * The store's hot-path writes on PostgreSQL, where several sandbox processes may share the store:
 * claims lock their rows FOR UPDATE SKIP LOCKED and each ordering key with a transaction-scoped
 * advisory lock, and each write is as few round trips as data-modifying CTEs allow (a trade
 * change with its event and notification in one statement; a claim's writes in one; a batch of
 * outcomes in one, outside BEGIN/COMMIT). `outboxDb` is the dispatcher's own small pool, so API
 * traffic waiting on a hot row cannot starve deliveries (bench/README.md).
 */
export function createPostgresWriter(db: Tx, outboxDb: Tx): StoreWriter {
  const candidates = dueCandidatesTemplates(outboxDb, true);

  return {
    dialect: 'postgres',

    async transaction(fn, options = {}) {
      let notified = false;
      const writeTx = (handle: Tx): WriteTx => ({
        db: handle,
        async applyTradeChange(change) {
          const write = change.kind === 'insert' ? tradeInsert(handle, change.trade).returning('trade_no') : tradeUpdate(handle, change.trade).returning('trade_no');
          const changed = await writeChange(handle, write, change.event, change.notification);
          if (changed && change.notification) notified = true;
          return { changed };
        },
        async enqueue(notification) {
          const id = await insertNotification(handle, notification);
          notified = true;
          return { id };
        },
      });
      // One write is atomic by itself: BEGIN and COMMIT would only add two round trips.
      const value = options.oneStatement ? await fn(writeTx(db)) : await db.transaction().execute((trx) => fn(writeTx(trx)));
      return { value, notified };
    },

    claimDue(options, choose) {
      return claimInTransaction(outboxDb, options, choose, { candidates, keysToClaim, takeRows });
    },

    recordOutcomes(items, options) {
      return recordOutcomes(outboxDb, items, options);
    },
  };
}

/**
 * The rows whose ordering key this claim may take: keys another worker is claiming right now (its
 * transaction holds the advisory lock) or has claimed since our snapshot are left for later.
 */
async function keysToClaim(trx: Tx, rows: NotificationRow[], now: number): Promise<NotificationRow[]> {
  const keys = rows.map((r) => r.ordering_key);
  const locked = await sql<{ k: string }>`select k from unnest(${keys}::text[]) as k where pg_try_advisory_xact_lock(hashtext(k))`.execute(trx);
  const lockedKeys = new Set(locked.rows.map((r) => r.k));
  const chosen = rows.filter((r) => lockedKeys.has(r.ordering_key));
  if (chosen.length === 0) return chosen;
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
  return chosen.filter((r) => !busyKeys.has(r.ordering_key));
}

/**
 * The claim's writes in two round trips at most: stale attempts closed (only after a dead worker),
 * then the rows taken, the attempts inserted and the notify_ids armed in one statement. A row
 * taken meanwhile makes the count differ: ClaimConflict, and the claim's transaction rolls
 * everything back.
 */
async function takeRows(trx: Tx, toSend: readonly ToSend[], options: { workerId: string; now: number; lockedUntil: number }): Promise<Map<number, number>> {
  const { now } = options;
  const ids = toSend.map((s) => s.row.id);
  await closeInterruptedAttempts(trx, toSend, now);
  const result = await sql<{ claimed: number; id: number; notification_id: number }>`
    with claimed as (
      update notifications
      set state = 'delivering', attempts = attempts + 1, locked_until = ${options.lockedUntil}::bigint, locked_by = ${options.workerId}
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

/**
 * The outcomes' writes in one statement (atomic by itself, so no BEGIN/COMMIT round trips): the
 * updates as data-modifying CTEs over arrays (one text, prepared once per connection, whatever the
 * batch). The final check runs on the statement's snapshot, which does not see the CTEs' own
 * updates: the notifications recorded here were `delivering` in it, so one of them retrying
 * already due is counted here instead.
 */
async function recordOutcomes(db: Tx, items: readonly RecordedOutcome[], options: { workerId: string; now: number }): Promise<{ unblocked: boolean }> {
  const attempt = { id: [] as number[], finishedAt: [] as number[], durationMs: [] as number[], httpStatus: [] as (number | null)[], responseBody: [] as (string | null)[], error: [] as (string | null)[], warning: [] as (string | null)[], acknowledged: [] as number[] };
  const retry = { id: [] as number[], number: [] as number[], state: [] as string[], nextAt: [] as number[], error: [] as (string | null)[] };
  const ackedIds: number[] = [];
  const ackedNotifyIds: string[] = [];
  let ackedAt = 0;
  let dueAgain = false;
  for (const { claim, outcome, next } of items) {
    attempt.id.push(claim.attemptId);
    attempt.finishedAt.push(outcome.finishedAt);
    attempt.durationMs.push(outcome.durationMs);
    attempt.httpStatus.push(outcome.httpStatus);
    attempt.responseBody.push(outcome.responseBody);
    attempt.error.push(outcome.error);
    attempt.warning.push(outcome.warning);
    attempt.acknowledged.push(outcome.acknowledged ? 1 : 0);
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

/**
 * A trade change with its event and its notification in one statement: one round trip instead of
 * three or four (data-modifying CTEs; in the caller's transaction, or alone, being atomic by
 * itself). `change` is the trade's insert or guarded update, `returning trade_no`; the event, the
 * notification and its notify_id row are inserted only when it wrote a row (each row built by
 * json_populate_record, so PostgreSQL gives every value its column's type). Returns whether the
 * change wrote a row.
 */
async function writeChange(db: Tx, change: Compilable, event: Insertable<TradeEventsTable>, notification: NewNotification | undefined): Promise<boolean> {
  const fromChange = (table: 'trade_events' | 'notifications', row: Insertable<TradeEventsTable> | Insertable<NotificationsTable>) => {
    const columns = Object.keys(row);
    return sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
      select ${sql.join(columns.map((c) => sql.ref(`r.${c}`)))} from t, json_populate_record(null::${sql.table(table)}, ${JSON.stringify(row)}::json) as r`;
  };
  const notificationCtes = notification
    ? sql`, n as (${fromChange('notifications', notification.values)} returning id)
      , i as (insert into notify_ids (notify_id, partner, kind, notification_id, used, acknowledged, created_at)
        select ${notification.notifyId}::text, ${notification.partner}::text, 'async', n.id, 0, 0, ${notification.now}::bigint from n)`
    : sql``;
  const result = await sql<{ changed: number }>`
    with t as (${change}), e as (${fromChange('trade_events', event)})${notificationCtes}
    select count(*)::int as changed from t`.execute(db);
  return (result.rows[0]?.changed ?? 0) > 0;
}
