import { sql, type ExpressionBuilder } from 'kysely';
import type { SandboxDeps } from '../deps.js';
import { toTrade } from '../store/rows.js';
import type { Database } from '../store/schema.js';
import { withAttempts } from './observation.js';
import type { NotificationState, NotificationWithAttempts, Trade, TradeStatus } from './types.js';

/**
 * The dashboard's lists: trades and notifications newest first, filtered and cut into pages.
 * Delivery states are what a developer asks about, over the outbox's states: `pending` (not tried
 * yet, or its first try in flight), `failing` (tried, failed, to be tried again), `given_up`
 * (every try of the schedule failed), `acknowledged` (the merchant answered `success`).
 */
export const DELIVERY_STATES = ['pending', 'failing', 'given_up', 'acknowledged'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

export interface ListFilter {
  partner?: string;
  /** A trade_status: the trade's own, or for a notification the status it reports. */
  status?: string;
  outTradeNo?: string;
  delivery?: DeliveryState;
}

export interface Paging {
  /** From 1. */
  page: number;
  perPage: number;
}

export interface ListPage<T> {
  items: T[];
  page: number;
  perPage: number;
  total: number;
}

/** A trade in a list, with how many of its notifications are in each delivery state. */
export interface TradeRow extends Trade {
  deliveries: Partial<Record<DeliveryState, number>>;
}

type NotificationRef = ExpressionBuilder<Database, 'notifications'>;

/** The outbox states a delivery state stands for. */
function deliveryCondition(eb: NotificationRef, state: DeliveryState) {
  const delivering = eb('notifications.state', '=', 'delivering');
  switch (state) {
    case 'pending':
      return eb.or([eb('notifications.state', '=', 'pending'), eb.and([delivering, eb('notifications.last_error', 'is', null)])]);
    case 'failing':
      return eb.or([eb('notifications.state', '=', 'retrying'), eb.and([delivering, eb('notifications.last_error', 'is not', null)])]);
    case 'given_up':
      return eb('notifications.state', '=', 'given_up');
    case 'acknowledged':
      return eb('notifications.state', '=', 'acknowledged');
  }
}

/** The delivery state of one notification. */
export function deliveryStateOf(state: NotificationState, lastError: string | null): DeliveryState {
  if (state === 'retrying' || (state === 'delivering' && lastError !== null)) return 'failing';
  if (state === 'pending' || state === 'delivering') return 'pending';
  return state;
}

export async function searchTrades(deps: SandboxDeps, filter: ListFilter, paging: Paging): Promise<ListPage<TradeRow>> {
  let q = deps.db.selectFrom('trades');
  if (filter.partner) q = q.where('trades.partner', '=', filter.partner);
  // A status that is not one of the protocol's matches no trade.
  if (filter.status) q = q.where('trades.trade_status', '=', filter.status as TradeStatus);
  if (filter.outTradeNo) q = q.where('trades.out_trade_no', '=', filter.outTradeNo);
  const delivery = filter.delivery;
  if (delivery) {
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('notifications')
          .select('notifications.id')
          .whereRef('notifications.trade_no', '=', 'trades.trade_no')
          .where((eb) => deliveryCondition(eb, delivery)),
      ),
    );
  }
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    q
      .selectAll('trades')
      .orderBy('trades.gmt_create', 'desc')
      .orderBy('trades.trade_no', 'desc')
      .limit(paging.perPage)
      .offset((paging.page - 1) * paging.perPage)
      .execute(),
  ]);
  const trades = rows.map(toTrade);
  const counts =
    trades.length === 0
      ? []
      : await deps.db
          .selectFrom('notifications')
          .select(['notifications.trade_no', 'notifications.state', 'notifications.last_error'])
          .where(
            'notifications.trade_no',
            'in',
            trades.map((t) => t.tradeNo),
          )
          .execute();
  const byTrade = new Map<string, Partial<Record<DeliveryState, number>>>();
  for (const n of counts) {
    const summary = byTrade.get(n.trade_no!) ?? {};
    const state = deliveryStateOf(n.state as NotificationState, n.last_error);
    summary[state] = (summary[state] ?? 0) + 1;
    byTrade.set(n.trade_no!, summary);
  }
  return { items: trades.map((t) => ({ ...t, deliveries: byTrade.get(t.tradeNo) ?? {} })), page: paging.page, perPage: paging.perPage, total: Number(count?.n ?? 0) };
}

export async function searchNotifications(deps: SandboxDeps, filter: ListFilter, paging: Paging): Promise<ListPage<NotificationWithAttempts>> {
  let q = deps.db.selectFrom('notifications');
  if (filter.partner) q = q.where('notifications.partner', '=', filter.partner);
  if (filter.outTradeNo) {
    const outTradeNo = filter.outTradeNo;
    q = q.where('notifications.trade_no', 'in', (eb) => eb.selectFrom('trades').select('trades.trade_no').where('trades.out_trade_no', '=', outTradeNo));
  }
  if (filter.status) {
    // The status the notification reports, read from its signed parameters (JSON text written by
    // JSON.stringify, so the pair always reads exactly like this). `_` is escaped for LIKE.
    const pattern = `%${JSON.stringify({ trade_status: filter.status }).slice(1, -1).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where(sql<boolean>`notifications.params like ${pattern} escape '\\'`);
  }
  const delivery = filter.delivery;
  if (delivery) q = q.where((eb) => deliveryCondition(eb, delivery));
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    q
      .selectAll('notifications')
      .orderBy('notifications.id', 'desc')
      .limit(paging.perPage)
      .offset((paging.page - 1) * paging.perPage)
      .execute(),
  ]);
  return { items: await withAttempts(deps, rows), page: paging.page, perPage: paging.perPage, total: Number(count?.n ?? 0) };
}

/** One notification with its attempts. */
export async function getNotification(deps: SandboxDeps, id: number): Promise<NotificationWithAttempts | undefined> {
  const row = await deps.db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await withAttempts(deps, [row]))[0] : undefined;
}

/** The replays of a notification, oldest first. */
export async function replaysOf(deps: SandboxDeps, id: number): Promise<NotificationWithAttempts[]> {
  return withAttempts(deps, await deps.db.selectFrom('notifications').selectAll().where('replay_of', '=', id).orderBy('id').execute());
}
