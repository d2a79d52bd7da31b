import type { Insertable, Kysely } from 'kysely';
import type { ShopDeps } from '../deps.js';
import { preparedQuery, type Arg } from '../store/prepared-query.js';
import type { OrderEventsTable, ShopDatabase } from '../store/schema.js';
import type { OrderEvent } from './rows.js';

type NewOrderEvent = Required<Omit<Insertable<OrderEventsTable>, 'id'>>;

const insertOrderEvent = preparedQuery((db: Kysely<ShopDatabase>, arg: Arg<NewOrderEvent>) =>
  db.insertInto('order_events').values({
    order_id: arg('order_id'),
    at: arg('at'),
    source: arg('source'),
    kind: arg('kind'),
    from_status: arg('from_status'),
    to_status: arg('to_status'),
    detail: arg('detail'),
  }),
);

/** Appends one entry to an order's history (inside the caller's transaction). */
export async function addOrderEvent(
  deps: Pick<ShopDeps, 'dialect'>,
  db: Kysely<ShopDatabase>,
  event: { order_id: number; at: number; source: string; kind: string; from_status?: string | null; to_status?: string | null; detail?: string | null },
): Promise<void> {
  await insertOrderEvent(db, deps.dialect, {
    order_id: event.order_id,
    at: event.at,
    source: event.source,
    kind: event.kind,
    from_status: event.from_status ?? null,
    to_status: event.to_status ?? null,
    detail: event.detail ?? null,
  });
}

/** An order's history, oldest first. */
export async function orderHistory(db: Kysely<ShopDatabase>, orderId: number): Promise<OrderEvent[]> {
  return db.selectFrom('order_events').selectAll().where('order_id', '=', orderId).orderBy('id').execute();
}
