import type { ShopDeps } from '../deps.js';
import { FIRST_CLOSED_RANK as CLOSED_RANK, FIRST_PAID_RANK as PAID_RANK } from '../rules/rank-bounds.js';
import type { LogEntry, Order, RefundBatch } from './rows.js';

export const PAGE_SIZE = 50;

/** Orders for the admin, newest first, filtered by `all | unpaid | paid | closed`. */
export async function adminOrders(deps: Pick<ShopDeps, 'db'>, filter: string, page: number): Promise<{ orders: Order[]; hasMore: boolean }> {
  let q = deps.db.selectFrom('orders').selectAll();
  if (filter === 'unpaid') q = q.where('progress_rank', '<', PAID_RANK);
  else if (filter === 'paid') q = q.where('progress_rank', '>=', PAID_RANK).where('progress_rank', '<', CLOSED_RANK);
  else if (filter === 'closed') q = q.where('progress_rank', '>=', CLOSED_RANK);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(PAGE_SIZE + 1)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  return { orders: rows.slice(0, PAGE_SIZE), hasMore: rows.length > PAGE_SIZE };
}

/** Log entries, newest first, optionally of one order or one outcome. */
export async function logEntries(deps: Pick<ShopDeps, 'db'>, filter: { outTradeNo?: string; outcome?: string } = {}, limit = 200): Promise<LogEntry[]> {
  let q = deps.db.selectFrom('notification_log').selectAll();
  if (filter.outTradeNo) q = q.where('out_trade_no', '=', filter.outTradeNo);
  if (filter.outcome) q = q.where('outcome', '=', filter.outcome);
  return q.orderBy('id', 'desc').limit(limit).execute();
}

/** An order's refund batches. */
export async function refundBatches(deps: Pick<ShopDeps, 'db'>, orderId: number): Promise<RefundBatch[]> {
  return deps.db.selectFrom('refund_batches').selectAll().where('order_id', '=', orderId).orderBy('created_at').execute();
}
