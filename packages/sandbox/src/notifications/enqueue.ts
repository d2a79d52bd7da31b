import { encodeForm, newNotifyId, signMessage, type Charset, type SignType } from 'alipay-legacy';
import { sql, type Compilable, type Insertable, type Kysely } from 'kysely';
import type { Database, NotificationsTable, TradeEventsTable } from '../store/schema.js';
import { ALIPAY_RSA_PRIVATE_KEY } from '../seed-keys.js';

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
  const notifyId = newNotifyId();
  // RSA messages are signed with the sandbox's "Alipay" key (protocol.md §2.3).
  const params = signMessage(input.build(notifyId), { key: input.key, signType: input.signType, charset: input.charset, privateKey: ALIPAY_RSA_PRIVATE_KEY });
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
 * A trade change with its event and its notification in one PostgreSQL statement: one round trip
 * instead of three or four (data-modifying CTEs; in the caller's transaction, or alone, being
 * atomic by itself). `change` is the
 * trade's insert or guarded update, `returning trade_no`; the event, the notification and its
 * notify_id row are inserted only when it wrote a row (each row built by json_populate_record, so
 * PostgreSQL gives every value its column's type). Returns whether the change wrote a row.
 */
export async function writeChangePostgres(
  trx: Kysely<Database>,
  change: Compilable,
  event: Insertable<TradeEventsTable>,
  notification?: EnqueueInput,
): Promise<boolean> {
  const fromChange = (table: 'trade_events' | 'notifications', row: Record<string, unknown>) => {
    const columns = Object.keys(row);
    return sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
      select ${sql.join(columns.map((c) => sql.ref(`r.${c}`)))} from t, json_populate_record(null::${sql.table(table)}, ${JSON.stringify(row)}::json) as r`;
  };
  let notificationCtes = sql``;
  if (notification) {
    const { notifyId, values } = await notificationValues(trx, notification);
    notificationCtes = sql`, n as (${fromChange('notifications', values)} returning id)
      , i as (insert into notify_ids (notify_id, partner, kind, notification_id, used, acknowledged, created_at)
        select ${notifyId}::text, ${notification.partner}::text, 'async', n.id, 0, 0, ${notification.now}::bigint from n)`;
  }
  const result = await sql<{ changed: number }>`
    with t as (${change}), e as (${fromChange('trade_events', event)})${notificationCtes}
    select count(*)::int as changed from t`.execute(trx);
  const changed = (result.rows[0]?.changed ?? 0) > 0;
  if (changed && notification) wroteNotification.add(trx);
  return changed;
}
