import { ClaimConflict, claimInTransaction, closeInterruptedAttempts, dueCandidatesTemplates, insertNotification, NOTIFY_ID_ARM_MS } from './outbox-sql.js';
import type { ClaimedAttempt, RecordedOutcome, StoreWriter, ToSend, Tx, WriteTx } from './store-writer.js';
import { tradeInsert, tradeUpdate } from './trade-sql.js';

/**
 * The store's hot-path writes on SQLite: one connection and one writer at a time, so a claim is
 * safe without row locks (its UPDATE is guarded by the rows' state: a row taken meanwhile aborts
 * the claim), and each write is a plain statement in an ordinary transaction.
 */
export function createSqliteWriter(db: Tx): StoreWriter {
  const candidates = dueCandidatesTemplates(db, false);

  return {
    dialect: 'sqlite',

    // Always BEGIN … COMMIT (`oneStatement` saves nothing here: there are no round trips to save).
    async transaction(fn) {
      let notified = false;
      const value = await db.transaction().execute((trx) => {
        const tx: WriteTx = {
          db: trx,
          async applyTradeChange(change) {
            const rows =
              change.kind === 'insert'
                ? (await tradeInsert(trx, change.trade).executeTakeFirst()).numInsertedOrUpdatedRows
                : (await tradeUpdate(trx, change.trade).executeTakeFirst()).numUpdatedRows;
            const changed = Number(rows ?? 0) === 1;
            if (changed) {
              await trx.insertInto('trade_events').values(change.event).execute();
              if (change.notification) {
                await insertNotification(trx, change.notification);
                notified = true;
              }
            }
            return { changed };
          },
          async enqueue(notification) {
            const id = await insertNotification(trx, notification);
            notified = true;
            return { id };
          },
        };
        return fn(tx);
      });
      return { value, notified };
    },

    claimDue(options, choose) {
      return claimInTransaction(db, options, choose, { candidates, takeRows });
    },

    recordOutcomes(items, options) {
      return db.transaction().execute((trx) => recordOutcomes(trx, items, options));
    },
  };
}

/** The claim's writes: the rows taken, stale attempts closed, the attempts recorded, the notify_ids armed. */
async function takeRows(trx: Tx, toSend: readonly ToSend[], options: { workerId: string; now: number; lockedUntil: number }): Promise<Map<number, number>> {
  const { now } = options;
  const ids = toSend.map((s) => s.row.id);
  const updated = await trx
    .updateTable('notifications')
    .set((eb) => ({ state: 'delivering', attempts: eb('attempts', '+', 1), locked_until: options.lockedUntil, locked_by: options.workerId }))
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
 * The outcomes' writes: each attempt's result, then its notification's next state; the happy path
 * (acknowledged) in two statements however many were acknowledged together.
 */
async function recordOutcomes(trx: Tx, items: readonly RecordedOutcome[], options: { workerId: string; now: number }): Promise<{ unblocked: boolean }> {
  const acked: ClaimedAttempt[] = [];
  let ackedAt = 0;
  for (const { claim, outcome, next } of items) {
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
