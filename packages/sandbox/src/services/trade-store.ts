import { GatewayError } from 'alipay-legacy';
import type { Kysely } from 'kysely';
import type { SandboxDeps } from '../deps.js';
import { enqueueNotification } from '../notifications/enqueue.js';
import { tradeStatusParams } from '../notifications/trade-params.js';
import { toMerchant, toTrade, tradeColumns } from '../store/rows.js';
import type { Database } from '../store/schema.js';
import { SandboxError } from './errors.js';
import type { Transition } from './trade-rules.js';
import type { Merchant, Trade } from './types.js';

/** A transaction (or the database) to run queries on. */
export type Tx = Kysely<Database>;

/**
 * Runs `fn` in one transaction and nudges the dispatcher after commit, so notifications written
 * by `fn` go out at once (DESIGN.md: "after commit, nudge the dispatcher").
 */
export async function inTransaction<T>(deps: SandboxDeps, fn: (trx: Tx) => Promise<T>): Promise<T> {
  const result = await deps.db.transaction().execute(fn);
  deps.dispatcher.nudge();
  return result;
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

export async function loadMerchant(trx: Tx, partner: string): Promise<Merchant> {
  const row = await trx.selectFrom('merchants').selectAll().where('partner', '=', partner).executeTakeFirst();
  if (!row) throw new GatewayError('ILLEGAL_PARTNER', `unknown partner ${partner}`, { param: 'partner' });
  return toMerchant(row);
}

export async function insertTrade(trx: Tx, trade: Trade): Promise<void> {
  await trx
    .insertInto('trades')
    .values({ trade_no: trade.tradeNo, partner: trade.partner, out_trade_no: trade.outTradeNo, ...tradeColumns(trade) })
    .execute();
}

/**
 * Records one transition: the trade update (guarded by the version it was read at, so a
 * concurrent change makes this one fail instead of overwriting it), its event, and its
 * notification when the trade has a notify_url.
 */
export async function applyTransition(trx: Tx, merchant: Merchant, transition: Transition, now: number, options: { insert?: boolean } = {}): Promise<Trade> {
  const { trade, event } = transition;
  if (options.insert) {
    await insertTrade(trx, trade);
  } else {
    const result = await trx
      .updateTable('trades')
      .set(tradeColumns(trade))
      .where('trade_no', '=', trade.tradeNo)
      .where('version', '=', trade.version - 1)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) {
      throw new SandboxError('BAD_STATE', `trade ${trade.tradeNo} changed while this action was in progress; reload and retry`);
    }
  }
  await trx
    .insertInto('trade_events')
    .values({
      trade_no: trade.tradeNo,
      at: now,
      actor: event.actor,
      kind: event.kind,
      from_status: event.fromStatus,
      to_status: event.toStatus,
      refund_status: event.refundStatus,
      detail: JSON.stringify(event.detail),
    })
    .execute();
  if (transition.notify && trade.notifyUrl) {
    await enqueueNotification(trx, {
      partner: trade.partner,
      key: merchant.key,
      url: trade.notifyUrl,
      notifyType: 'trade_status_sync',
      charset: trade.charset,
      signType: trade.signType,
      tradeNo: trade.tradeNo,
      now,
      build: (notifyId) => tradeStatusParams(trade, { notifyId, notifyTime: now }),
    });
  }
  return trade;
}

/** Applies transitions in order; returns the last trade. */
export async function applyTransitions(trx: Tx, merchant: Merchant, transitions: Transition[], now: number): Promise<Trade> {
  let last: Trade | undefined;
  for (const t of transitions) last = await applyTransition(trx, merchant, t, now);
  if (!last) throw new Error('applyTransitions needs at least one transition');
  return last;
}
