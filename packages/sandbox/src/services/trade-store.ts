import { GatewayError } from 'alipay-legacy';
import type { SandboxDeps } from '../deps.js';
import { newNotification } from '../notifications/enqueue.js';
import { tradeStatusParams } from '../notifications/trade-params.js';
import { toTrade } from '../store/rows.js';
import type { Tx, WriteTx } from '../store/store-writer.js';
import { cachedMerchant } from './merchant-cache.js';
import { unknownPartner } from './merchants.js';
import { SandboxError } from './errors.js';
import type { Transition } from './trade-rules.js';
import type { Merchant, Trade } from './types.js';

export type { Tx, WriteTx };

/**
 * Runs `fn` in one transaction and, when it wrote a notification, nudges the dispatcher after
 * commit so the notification goes out at once.
 * `oneStatement`: the caller promises that `fn` makes at most one write (applyTransition's is one),
 * which lets a dialect whose statements are atomic by themselves skip BEGIN and COMMIT.
 */
export async function inTransaction<T>(deps: SandboxDeps, fn: (tx: WriteTx) => Promise<T>, options: { oneStatement?: boolean } = {}): Promise<T> {
  const { value, notified } = await deps.writer.transaction(fn, options);
  if (notified) deps.dispatcher.nudge();
  return value;
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

/** Thrown when a trade changed between the read an action started from and its guarded update. */
export class TradeChanged extends SandboxError {
  constructor(readonly tradeNo: string) {
    super('BAD_STATE', `trade ${tradeNo} changed while this action was in progress; reload and retry`);
  }
}

/**
 * Records one transition: the trade insert or update (guarded by the version it was read at, so a
 * concurrent change makes this one fail instead of overwriting it), its event, and its
 * notification when the trade has a notify_url, all in one write of the store's writer.
 */
export async function applyTransition(tx: WriteTx, merchant: Merchant, transition: Transition, now: number, options: { insert?: boolean } = {}): Promise<Trade> {
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
  const notification =
    notifyUrl === null
      ? undefined
      : await newNotification(tx.db, {
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
        });
  const { changed } = await tx.applyTradeChange({ kind: options.insert ? 'insert' : 'update', trade, event: eventRow, ...(notification ? { notification } : {}) });
  if (!changed) throw options.insert ? new TradeExists(trade.outTradeNo) : new TradeChanged(trade.tradeNo);
  return trade;
}

/**
 * Applies transitions computed one from another, in order; returns the last trade. Each step's
 * notification sequence carries over from the step before (the pure rules do not count them).
 */
export async function applyTransitions(tx: WriteTx, merchant: Merchant, transitions: Transition[], now: number): Promise<Trade> {
  let last: Trade | undefined;
  for (const t of transitions) {
    const step = last ? { ...t, trade: { ...t.trade, notifySeq: last.notifySeq } } : t;
    last = await applyTransition(tx, merchant, step, now);
  }
  if (!last) throw new Error('applyTransitions needs at least one transition');
  return last;
}
