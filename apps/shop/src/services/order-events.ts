import type { Kysely } from 'kysely';
import type { ShopDatabase } from '../store/schema.js';
import type { OrderEvent } from './rows.js';

/** Appends one entry to an order's history (inside the caller's transaction). */
export async function addOrderEvent(
  db: Kysely<ShopDatabase>,
  event: { order_id: number; at: number; source: string; kind: string; from_status?: string | null; to_status?: string | null; detail?: string | null },
): Promise<void> {
  await db
    .insertInto('order_events')
    .values({
      order_id: event.order_id,
      at: event.at,
      source: event.source,
      kind: event.kind,
      from_status: event.from_status ?? null,
      to_status: event.to_status ?? null,
      detail: event.detail ?? null,
    })
    .execute();
}

/** An order's history, oldest first. */
export async function orderHistory(db: Kysely<ShopDatabase>, orderId: number): Promise<OrderEvent[]> {
  return db.selectFrom('order_events').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
}
