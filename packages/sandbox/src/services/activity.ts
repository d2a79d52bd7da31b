import { formatAlipayTime } from 'alipay-legacy';
import type { SandboxDeps } from '../deps.js';
import type { AttemptActivity, TradeActivity } from '../activity/activity.js';
import { advanceWindow, openWindow, watchedIds, type IdWindow } from '../activity/id-window.js';

/**
 * What the store recorded since a cursor: trade changes (trade_events) and finished delivery
 * attempts (delivery_attempts), read by id so that the dispatcher needs no hook, and so that on
 * PostgreSQL the attempts of every sandbox process sharing the store show.
 */
export interface ActivityCursor {
  events: IdWindow;
  attempts: IdWindow;
}

/** Rows read per table and call; the rest comes on the next call. */
const BATCH = 500;

/** A cursor at the store's newest rows: reading from it reports only what happens next. */
export async function activityCursor(deps: SandboxDeps): Promise<ActivityCursor> {
  const [events, attempts] = await Promise.all([
    deps.db.selectFrom('trade_events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst(),
    deps.db.selectFrom('delivery_attempts').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst(),
  ]);
  return { events: openWindow(Number(events?.id ?? 0)), attempts: openWindow(Number(attempts?.id ?? 0)) };
}

/** Trade changes and finished attempts after the cursor, oldest first; moves the cursor past them. */
export async function readActivity(deps: SandboxDeps, cursor: ActivityCursor, realNow = Date.now()): Promise<Array<TradeActivity | AttemptActivity>> {
  const [events, attempts] = await Promise.all([readTradeEvents(deps, cursor.events, realNow), readAttempts(deps, cursor.attempts, realNow)]);
  return [...events, ...attempts].sort((a, b) => a.at - b.at);
}

async function readTradeEvents(deps: SandboxDeps, window: IdWindow, realNow: number): Promise<TradeActivity[]> {
  const watched = watchedIds(window);
  const rows = await deps.db
    .selectFrom('trade_events as e')
    .innerJoin('trades as t', 't.trade_no', 'e.trade_no')
    .select(['e.id', 'e.at', 'e.trade_no', 'e.actor', 'e.kind', 'e.from_status', 'e.to_status', 'e.refund_status', 't.out_trade_no', 't.partner'])
    .where((eb) => (watched.length === 0 ? eb('e.id', '>', window.after) : eb.or([eb('e.id', '>', window.after), eb('e.id', 'in', watched)])))
    .orderBy('e.id')
    .limit(BATCH)
    .execute();
  return advanceWindow(window, rows, () => true, realNow).map((r) => ({
    type: 'trade',
    id: r.id,
    at: r.at,
    time: formatAlipayTime(r.at),
    trade_no: r.trade_no,
    out_trade_no: r.out_trade_no,
    partner: r.partner,
    actor: r.actor,
    kind: r.kind,
    from_status: r.from_status,
    to_status: r.to_status,
    refund_status: r.refund_status,
  }));
}

async function readAttempts(deps: SandboxDeps, window: IdWindow, realNow: number): Promise<AttemptActivity[]> {
  const watched = watchedIds(window);
  const rows = await deps.db
    .selectFrom('delivery_attempts as a')
    .innerJoin('notifications as n', 'n.id', 'a.notification_id')
    .leftJoin('trades as t', 't.trade_no', 'n.trade_no')
    .select([
      'a.id',
      'a.notification_id',
      'a.number',
      'a.started_at',
      'a.finished_at',
      'a.duration_ms',
      'a.http_status',
      'a.response_body',
      'a.error',
      'a.warning',
      'a.fault',
      'a.acknowledged',
      'n.trade_no',
      'n.batch_no',
      'n.partner',
      'n.notify_type',
      'n.url',
      'n.params',
      'n.state',
      'n.attempts',
      'n.next_attempt_at',
      'n.replay_of',
      't.out_trade_no',
    ])
    // When a later attempt exists, this one was followed by a retry that started then.
    .select((eb) =>
      eb
        .selectFrom('delivery_attempts as b')
        .select((b) => b.fn.min('b.started_at').as('at'))
        .whereRef('b.notification_id', '=', 'a.notification_id')
        .whereRef('b.number', '>', 'a.number')
        .as('next_started_at'),
    )
    .where((eb) => (watched.length === 0 ? eb('a.id', '>', window.after) : eb.or([eb('a.id', '>', window.after), eb('a.id', 'in', watched)])))
    .orderBy('a.id')
    .limit(BATCH)
    .execute();
  return advanceWindow(window, rows, (r) => r.finished_at !== null, realNow).map((r) => {
    const params = JSON.parse(r.params) as Record<string, string>;
    const latest = r.attempts === r.number;
    const state = r.acknowledged === 1 ? 'acknowledged' : latest ? r.state : 'retrying';
    const nextAt = state !== 'retrying' ? null : latest ? r.next_attempt_at : r.next_started_at === null ? null : Number(r.next_started_at);
    return {
      type: 'attempt',
      id: r.id,
      at: r.started_at,
      time: formatAlipayTime(r.started_at),
      notification_id: r.notification_id,
      number: r.number,
      trade_no: r.trade_no,
      batch_no: r.batch_no,
      out_trade_no: r.out_trade_no ?? params.out_trade_no ?? null,
      partner: r.partner,
      notify_type: r.notify_type,
      trade_status: params.trade_status ?? null,
      refund_status: params.refund_status ?? null,
      url: r.url,
      http_status: r.http_status,
      response_body: r.response_body,
      error: r.error,
      warning: r.warning,
      fault: r.fault,
      duration_ms: r.duration_ms,
      acknowledged: r.acknowledged === 1,
      state,
      next_attempt_at: nextAt,
      next_attempt_time: nextAt === null ? null : formatAlipayTime(nextAt),
      replay_of: r.replay_of,
    };
  });
}
