import type { Kysely, Transaction } from 'kysely';
import type { ShopDeps } from '../deps.js';
import { planTradeUpdate, type IncomingTradeState, type TradeChanges } from '../rules/trade-update.js';
import { preparedQuery, type Arg } from '../store/prepared-query.js';
import type { ShopDatabase } from '../store/schema.js';
import { addOrderEvent } from './order-events.js';
import type { Order } from './rows.js';

/** Where a trade state came from. */
export type TradeSource = 'return' | 'notify' | 'query' | 'admin';

/** A trade state and the facts that come with it. */
export interface TradeReport extends IncomingTradeState {
  trade_no?: string | undefined;
  buyer_id?: string | undefined;
  buyer_email?: string | undefined;
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'stale';

const selectOrderForUpdate = preparedQuery((db: Kysely<ShopDatabase>, arg: Arg<{ out_trade_no: string }>, dialect) =>
  db
    .selectFrom('orders')
    .selectAll()
    .where('out_trade_no', '=', arg('out_trade_no'))
    .$if(dialect === 'postgres', (q) => q.forUpdate()),
);

/** Reads an order for update: locked on PostgreSQL; SQLite runs one transaction at a time anyway. */
export async function lockOrder(deps: Pick<ShopDeps, 'dialect'>, trx: Kysely<ShopDatabase>, outTradeNo: string): Promise<Order | undefined> {
  return (await selectOrderForUpdate(trx, deps.dialect, { out_trade_no: outTradeNo })).rows[0];
}

type GuardedUpdate = TradeChanges &
  Pick<Order, 'trade_no' | 'buyer_id' | 'buyer_email' | 'updated_at' | 'id'> & { from_rank: number; from_updated_at: number };

/** The forward-only update, guarded by the progress rank and update time the order was read with. */
const updateTradeState = preparedQuery((db: Kysely<ShopDatabase>, arg: Arg<GuardedUpdate>) =>
  db
    .updateTable('orders')
    .set({
      trade_status: arg('trade_status'),
      refund_status: arg('refund_status'),
      progress_rank: arg('progress_rank'),
      last_notify_time: arg('last_notify_time'),
      last_notify_id: arg('last_notify_id'),
      gmt_refund: arg('gmt_refund'),
      paid_way: arg('paid_way'),
      paid_at: arg('paid_at'),
      trade_no: arg('trade_no'),
      buyer_id: arg('buyer_id'),
      buyer_email: arg('buyer_email'),
      updated_at: arg('updated_at'),
    })
    .where('id', '=', arg('id'))
    .where('progress_rank', '=', arg('from_rank'))
    .where('updated_at', '=', arg('from_updated_at')),
);

/**
 * Applies a trade state to a locked order inside the caller's transaction: the order moves only
 * forward and once (protocol.md §12.2), guarded by the progress rank it was read
 * with, so a concurrent writer that got there first makes this one a duplicate.
 */
export async function applyTradeReport(
  deps: Pick<ShopDeps, 'clock' | 'dialect'>,
  trx: Transaction<ShopDatabase>,
  order: Order,
  report: TradeReport,
  source: TradeSource,
): Promise<ApplyOutcome> {
  const now = deps.clock.now();
  const plan = planTradeUpdate(order, report, now);
  if (plan.outcome !== 'apply' || !plan.changes) return plan.outcome === 'duplicate' ? 'duplicate' : 'stale';
  const result = await updateTradeState(trx, deps.dialect, {
    ...plan.changes,
    trade_no: order.trade_no ?? report.trade_no ?? null,
    buyer_id: order.buyer_id ?? report.buyer_id ?? null,
    buyer_email: order.buyer_email ?? report.buyer_email ?? null,
    updated_at: now,
    id: order.id,
    from_rank: plan.fromRank,
    from_updated_at: order.updated_at,
  });
  if (Number(result.numAffectedRows) !== 1) return 'duplicate';
  const detail = [
    plan.changes.refund_status && plan.changes.refund_status !== order.refund_status ? `退款状态 ${plan.changes.refund_status}` : '',
    plan.changes.paid_way && !order.paid_way ? `买家付款方式 ${plan.changes.paid_way === 'escrow' ? '担保交易' : '即时到账'}` : '',
  ]
    .filter(Boolean)
    .join('，');
  // A message that only adds information (the same status, later) changes the record, not the history.
  if (plan.changes.trade_status === order.trade_status && plan.changes.refund_status === order.refund_status) return 'applied';
  await addOrderEvent(deps, trx, {
    order_id: order.id,
    at: now,
    source,
    kind: 'trade_status',
    from_status: order.trade_status,
    to_status: plan.changes.trade_status,
    detail: detail || null,
  });
  return 'applied';
}
