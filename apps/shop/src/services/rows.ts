import type { Selectable } from 'kysely';
import type { CustomersTable, JobRunsTable, NotificationLogTable, OrderEventsTable, OrdersTable, RefundBatchesTable, SessionsTable } from '../store/schema.js';

export type Order = Selectable<OrdersTable>;
export type OrderEvent = Selectable<OrderEventsTable>;
export type Customer = Selectable<CustomersTable>;
export type Session = Selectable<SessionsTable>;
export type LogEntry = Selectable<NotificationLogTable>;
export type RefundBatch = Selectable<RefundBatchesTable>;
export type JobRun = Selectable<JobRunsTable>;

/** One line of an order's items. */
export interface OrderItem {
  product_id: string;
  name: string;
  price_fen: number;
  quantity: number;
}

export function orderItems(order: Pick<Order, 'items'>): OrderItem[] {
  try {
    const items = JSON.parse(order.items) as unknown;
    return Array.isArray(items) ? (items as OrderItem[]) : [];
  } catch {
    return [];
  }
}
