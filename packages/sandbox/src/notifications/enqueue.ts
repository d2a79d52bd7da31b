import { encodeForm, type Charset, type SignType } from 'alipay-legacy';
import { sql, type Insertable, type Kysely } from 'kysely';
import { newAsyncNotifyId } from '../ids.js';
import type { Database, NotificationsTable, TradeEventsTable } from '../store/schema.js';
import { signMessage } from './sign-message.js';

export interface EnqueueInput {
  partner: string;
  /** The merchant's MD5 key (RSA messages are signed with the sandbox's "Alipay" key). */
  key: string;
  url: string;
  notifyType: string;
  charset: Charset;
  signType: SignType;
  /** Everything but notify_id, sign and sign_type; built with the notify_id given to `build`. */
  build: (notifyId: string) => Record<string, string | undefined>;
  tradeNo?: string;
  batchNo?: string;
  /** The place in the ordering key's order, when the caller keeps count (trades do); else max + 1. */
  sequence?: number;
  now: number;
  replayOf?: number;
}

/** Transactions that wrote a notification: only those need to wake the dispatcher after commit. */
export const wroteNotification = new WeakSet<object>();

/**
 * Writes a notification into the outbox, inside the caller's transaction (decisions.md §8: the
 * notification commits with the change that causes it). Its notify_id is stored unarmed: each
 * delivery attempt arms it for 60 s (decisions.md §2). Returns the new notification's id.
 */
export async function enqueueNotification(trx: Kysely<Database>, input: EnqueueInput): Promise<number> {
  const { notifyId, values } = await notificationValues(trx, input);
  const row = await trx.insertInto('notifications').values(values).returning('id').executeTakeFirstOrThrow();
  wroteNotification.add(trx);
  await trx
    .insertInto('notify_ids')
    .values({ notify_id: notifyId, partner: input.partner, kind: 'async', notification_id: row.id, armed_until: null, used: 0, acknowledged: 0, created_at: input.now })
    .execute();
  return row.id;
}

/** The notifications row to insert (signed message, body, place in its order) and its notify_id. */
async function notificationValues(trx: Kysely<Database>, input: EnqueueInput): Promise<{ notifyId: string; values: Insertable<NotificationsTable> }> {
  const notifyId = newAsyncNotifyId();
  const params = signMessage(input.build(notifyId), { key: input.key, signType: input.signType, charset: input.charset });
  const orderingKey = input.tradeNo ?? `batch:${input.partner}:${input.batchNo ?? ''}`;
  let sequence = input.sequence;
  if (sequence === undefined) {
    // The batch row was updated under a guard earlier in this transaction, so concurrent writers
    // for the same key are serialized and max(sequence) is stable.
    const last = await trx
      .selectFrom('notifications')
      .select((eb) => eb.fn.max('sequence').as('seq'))
      .where('ordering_key', '=', orderingKey)
      .executeTakeFirst();
    sequence = Number(last?.seq ?? 0) + 1;
  }
  return {
    notifyId,
    values: {
      trade_no: input.tradeNo ?? null,
      batch_no: input.batchNo ?? null,
      ordering_key: orderingKey,
      sequence,
      partner: input.partner,
      url: input.url,
      notify_type: input.notifyType,
      charset: input.charset,
      notify_id: notifyId,
      params: JSON.stringify(params),
      body: encodeForm(params, input.charset),
      state: 'pending',
      attempts: 0,
      next_attempt_at: input.now,
      locked_until: null,
      locked_by: null,
      delayed: 0,
      replay_of: input.replayOf ?? null,
      last_error: null,
      created_at: input.now,
      acknowledged_at: null,
    },
  };
}

/**
 * enqueueNotification on PostgreSQL in one statement (one round trip instead of two, three with
 * the trade event that causes it): the event, the notification and its notify_id row inserted by
 * data-modifying CTEs, in the caller's transaction.
 */
export async function enqueueNotificationPostgres(trx: Kysely<Database>, input: EnqueueInput, event?: Insertable<TradeEventsTable>): Promise<number> {
  const { notifyId, values } = await notificationValues(trx, input);
  const insertOf = (table: string, row: Record<string, unknown>) => {
    const columns = Object.keys(row);
    return sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))}) values (${sql.join(columns.map((c) => row[c]))})`;
  };
  const eventCte = event ? sql`e as (${insertOf('trade_events', event)}), ` : sql``;
  const result = await sql<{ id: number }>`
    with ${eventCte}n as (${insertOf('notifications', values)} returning id)
    insert into notify_ids (notify_id, partner, kind, notification_id, used, acknowledged, created_at)
    select ${notifyId}::text, ${input.partner}::text, 'async', n.id, 0, 0, ${input.now}::bigint from n
    returning notification_id as id`.execute(trx);
  wroteNotification.add(trx);
  const id = result.rows[0]?.id;
  if (id === undefined) throw new Error('the notification was not inserted');
  return id;
}
