import { formatAlipayTime } from 'alipay-legacy';
import type { Selectable } from 'kysely';
import type { SandboxDeps } from '../deps.js';
import { enqueueNotification } from '../notifications/enqueue.js';
import { toAttempt, toNotification } from '../store/rows.js';
import type { NotificationsTable } from '../store/schema.js';
import { SandboxError } from './errors.js';
import { inTransaction, loadMerchant } from './trade-store.js';
import type { DeliveryAttempt, Notification, NotificationWithAttempts } from './types.js';

/** Notifications (oldest first, after `afterId` when given, at most `limit`, default 500) with every delivery attempt, by partner, trade or out_trade_no. */
export async function listNotifications(
  deps: SandboxDeps,
  query: { partner?: string; outTradeNo?: string; tradeNo?: string; limit?: number; afterId?: number } = {},
): Promise<NotificationWithAttempts[]> {
  let q = deps.db.selectFrom('notifications').selectAll('notifications');
  if (query.afterId !== undefined) q = q.where('notifications.id', '>', query.afterId);
  if (query.partner) q = q.where('notifications.partner', '=', query.partner);
  if (query.tradeNo) q = q.where('notifications.trade_no', '=', query.tradeNo);
  if (query.outTradeNo) {
    const outTradeNo = query.outTradeNo;
    q = q.where('notifications.trade_no', 'in', (eb) => {
      let sub = eb.selectFrom('trades').select('trades.trade_no').where('trades.out_trade_no', '=', outTradeNo);
      if (query.partner) sub = sub.where('trades.partner', '=', query.partner);
      return sub;
    });
  }
  const rows = await q.orderBy('notifications.id').limit(query.limit ?? 500).execute();
  return withAttempts(deps, rows);
}

/** Notification rows with each one's delivery attempts, in order. */
export async function withAttempts(deps: SandboxDeps, rows: Selectable<NotificationsTable>[]): Promise<NotificationWithAttempts[]> {
  if (rows.length === 0) return [];
  const attempts = await deps.db
    .selectFrom('delivery_attempts')
    .selectAll()
    .where(
      'notification_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('id')
    .execute();
  const byNotification = new Map<number, DeliveryAttempt[]>();
  for (const a of attempts) {
    const list = byNotification.get(a.notification_id) ?? [];
    list.push(toAttempt(a));
    byNotification.set(a.notification_id, list);
  }
  return rows.map((r) => ({ ...toNotification(r), deliveryAttempts: byNotification.get(r.id) ?? [] }));
}

/**
 * Sends a notification again, as a new one: the same parameters with a fresh notify_id and
 * notify_time, re-signed, queued after the trade's other notifications. Lets a merchant test that
 * it handles a repeated status idempotently (protocol.md §12.2).
 */
export async function replayNotification(deps: SandboxDeps, id: number): Promise<Notification> {
  const now = deps.clock.now();
  return inTransaction(deps, async (tx) => {
    const trx = tx.db;
    const row = await trx.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new SandboxError('NOT_FOUND', `no notification ${id}`);
    const original = toNotification(row);
    const merchant = await loadMerchant(deps, trx, original.partner);
    const { sign: _sign, sign_type: signType, ...rest } = original.params;
    void _sign;
    // A trade's notifications are numbered on the trade row (migration 0002).
    const bumped = original.tradeNo
      ? await trx.updateTable('trades').set((eb) => ({ notify_seq: eb('notify_seq', '+', 1) })).where('trade_no', '=', original.tradeNo).returning('notify_seq').executeTakeFirst()
      : undefined;
    const newId = await enqueueNotification(tx, {
      partner: original.partner,
      key: merchant.key,
      url: original.url,
      notifyType: original.notifyType,
      charset: original.charset,
      signType: signType === 'RSA' ? 'RSA' : 'MD5',
      ...(original.tradeNo ? { tradeNo: original.tradeNo } : {}),
      ...(original.batchNo ? { batchNo: original.batchNo } : {}),
      ...(bumped ? { sequence: bumped.notify_seq } : {}),
      now,
      replayOf: original.id,
      build: (notifyId) => ({ ...rest, notify_id: notifyId, notify_time: formatAlipayTime(now) }),
    });
    const created = await trx.selectFrom('notifications').selectAll().where('id', '=', newId).executeTakeFirstOrThrow();
    return toNotification(created);
  });
}

export interface RecoverInput {
  /** Notifications written at or after this time (sandbox clock, ms). */
  since: number;
  partner?: string;
  /** At most this many per call (default 500): `more` says when others wait. */
  limit?: number;
}

export interface RecoverResult {
  recovered: Array<{ original: Notification; replay: Notification }>;
  more: boolean;
}

/**
 * "Recover every failed notification since …": each notification written since `since` whose
 * delivery was given up, and that was not replayed yet, is sent again as a replay linked to its
 * original (replayNotification), oldest first. A merchant that was down for a day gets its day back.
 */
export async function recoverGivenUp(deps: SandboxDeps, input: RecoverInput): Promise<RecoverResult> {
  const limit = input.limit ?? 500;
  let q = deps.db
    .selectFrom('notifications as n')
    .selectAll('n')
    .where('n.state', '=', 'given_up')
    .where('n.created_at', '>=', input.since)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('notifications as r').select('r.id').whereRef('r.replay_of', '=', 'n.id'))));
  if (input.partner) q = q.where('n.partner', '=', input.partner);
  const rows = await q.orderBy('n.id').limit(limit + 1).execute();
  const recovered: RecoverResult['recovered'] = [];
  for (const row of rows.slice(0, limit)) recovered.push({ original: toNotification(row), replay: await replayNotification(deps, row.id) });
  return { recovered, more: rows.length > limit };
}
