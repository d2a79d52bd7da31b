import { GatewayError } from 'alipay-legacy';
import { PostgresAdapter, type Kysely } from 'kysely';
import type { SandboxDeps } from '../deps.js';
import { enqueueNotification, writeChangePostgres, wroteNotification, type EnqueueInput } from '../notifications/enqueue.js';
import { tradeStatusParams } from '../notifications/trade-params.js';
import { toTrade, tradeColumns } from '../store/rows.js';
import { cachedMerchant } from './merchant-cache.js';
import { unknownPartner } from './merchants.js';
import type { Database } from '../store/schema.js';
import { SandboxError } from './errors.js';
import type { Transition } from './trade-rules.js';
import type { Merchant, Trade } from './types.js';

/** A transaction (or the database) to run queries on. */
export type Tx = Kysely<Database>;

/**
 * Runs `fn` in one transaction and, when it wrote a notification, nudges the dispatcher after
 * commit so the notification goes out at once (DESIGN.md: "after commit, nudge the dispatcher").
 * `oneStatementOnPostgres`: the caller promises that on PostgreSQL `fn` writes with a single
 * statement (applyTransition does), which then runs outside an explicit transaction.
 */
export async function inTransaction<T>(deps: SandboxDeps, fn: (trx: Tx) => Promise<T>, options: { oneStatementOnPostgres?: boolean } = {}): Promise<T> {
  if (options.oneStatementOnPostgres && deps.dialect === 'postgres') {
    // `fn` writes with one statement there (reads aside), atomic by itself: BEGIN and COMMIT would
    // only add two round trips. A handle of its own tells whether it wrote a notification.
    const handle = deps.db.withoutPlugins();
    const value = await fn(handle);
    if (wroteNotification.has(handle)) deps.dispatcher.nudge();
    return value;
  }
  let notified = false;
  const result = await deps.db.transaction().execute(async (trx) => {
    const value = await fn(trx);
    notified = wroteNotification.has(trx);
    return value;
  });
  if (notified) deps.dispatcher.nudge();
  return result;
}

/** True when the transaction runs on PostgreSQL (where several writes can share one statement). */
export function isPostgres(trx: Tx): boolean {
  return trx.getExecutor().adapter instanceof PostgresAdapter;
}

export async function loadTrade(trx: Tx, tradeNo: string): Promise<Trade | undefined> {
  const row = await trx.selectFrom('trades').selectAll().where('trade_no', '=', tradeNo).executeTakeFirst();
  return row ? toTrade(row) : undefined;
}

export async function requireTrade(trx: Tx, tradeNo: string, partner?: string): Promise<Trade> {
  const trade = await loadTrade(trx, tradeNo);
  if (!trade || (partner !== undefined && trade.partner !== partner)) {
    throw new GatewayError('TRADE_NOT_EXIST', `no trade ${tradeNo}${partner ? ` for partner ${partner}` : ''}`, { param: 'trade_no' });
  }
  return trade;
}

export async function loadMerchant(deps: SandboxDeps, trx: Tx, partner: string): Promise<Merchant> {
  const merchant = await cachedMerchant(deps, partner, trx);
  if (!merchant) throw unknownPartner(partner);
  return merchant;
}

/** Thrown inside openTrade's transaction when the partner already has a trade with that out_trade_no. */
export class TradeExists extends Error {
  constructor(readonly outTradeNo: string) {
    super(`out_trade_no ${outTradeNo} already has a trade`);
  }
}

/** The insert of a new trade; it writes no row when the partner's out_trade_no is taken (the unique key decides, race-free). */
function tradeInsert(trx: Tx, trade: Trade) {
  return trx
    .insertInto('trades')
    .values({ trade_no: trade.tradeNo, partner: trade.partner, out_trade_no: trade.outTradeNo, ...tradeColumns(trade) })
    .onConflict((oc) => oc.columns(['partner', 'out_trade_no']).doNothing());
}

/** The update of a trade, guarded by the version it was read at: a concurrent change makes it write no row. */
function tradeUpdate(trx: Tx, trade: Trade) {
  return trx
    .updateTable('trades')
    .set(tradeColumns(trade))
    .where('trade_no', '=', trade.tradeNo)
    .where('version', '=', trade.version - 1);
}

/** Thrown when a trade changed between the read an action started from and its guarded update. */
export class TradeChanged extends SandboxError {
  constructor(readonly tradeNo: string) {
    super('BAD_STATE', `trade ${tradeNo} changed while this action was in progress; reload and retry`);
  }
}

/**
 * Records one transition: the trade insert or update (guarded by the version it was read at, so a
 * concurrent change makes this one fail instead of overwriting it), its event, and its
 * notification when the trade has a notify_url. On PostgreSQL all of it is one statement.
 */
export async function applyTransition(trx: Tx, merchant: Merchant, transition: Transition, now: number, options: { insert?: boolean } = {}): Promise<Trade> {
  const { event } = transition;
  const notifyUrl = transition.notify ? transition.trade.notifyUrl : null;
  // The notification's place in the trade's order is kept on the trade row (migration 0002).
  const trade = notifyUrl !== null ? { ...transition.trade, notifySeq: transition.trade.notifySeq + 1 } : transition.trade;
  const eventRow = {
    trade_no: trade.tradeNo,
    at: now,
    actor: event.actor,
    kind: event.kind,
    from_status: event.fromStatus,
    to_status: event.toStatus,
    refund_status: event.refundStatus,
    detail: JSON.stringify(event.detail),
  };
  const notification: EnqueueInput | undefined =
    notifyUrl === null
      ? undefined
      : {
          sequence: trade.notifySeq,
          partner: trade.partner,
          key: merchant.key,
          url: notifyUrl,
          notifyType: 'trade_status_sync',
          charset: trade.charset,
          signType: trade.signType,
          tradeNo: trade.tradeNo,
          now,
          build: (notifyId) => tradeStatusParams(trade, { notifyId, notifyTime: now }),
        };
  let changed: boolean;
  if (isPostgres(trx)) {
    const change = options.insert ? tradeInsert(trx, trade).returning('trade_no') : tradeUpdate(trx, trade).returning('trade_no');
    changed = await writeChangePostgres(trx, change, eventRow, notification);
  } else {
    const rows = options.insert
      ? (await tradeInsert(trx, trade).executeTakeFirst()).numInsertedOrUpdatedRows
      : (await tradeUpdate(trx, trade).executeTakeFirst()).numUpdatedRows;
    changed = Number(rows ?? 0) === 1;
    if (changed) {
      await trx.insertInto('trade_events').values(eventRow).execute();
      if (notification) await enqueueNotification(trx, notification);
    }
  }
  if (!changed) throw options.insert ? new TradeExists(trade.outTradeNo) : new TradeChanged(trade.tradeNo);
  return trade;
}

/**
 * Applies transitions computed one from another, in order; returns the last trade. Each step's
 * notification sequence carries over from the step before (the pure rules do not count them).
 */
export async function applyTransitions(trx: Tx, merchant: Merchant, transitions: Transition[], now: number): Promise<Trade> {
  let last: Trade | undefined;
  for (const t of transitions) {
    const step = last ? { ...t, trade: { ...t.trade, notifySeq: last.notifySeq } } : t;
    last = await applyTransition(trx, merchant, step, now);
  }
  if (!last) throw new Error('applyTransitions needs at least one transition');
  return last;
}
