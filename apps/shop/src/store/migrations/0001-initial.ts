import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../open-store.js';

/** The first schema (schema.ts describes every column); identical on both dialects except the id columns. */
export function initialMigration(dialect: Dialect): Migration {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const withId = (db: Kysely<any>, table: string) =>
    dialect === 'postgres'
      ? db.schema.createTable(table).addColumn('id', 'serial', (c) => c.primaryKey())
      : db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('customers')
        .addColumn('user_id', 'text', (c) => c.primaryKey())
        .addColumn('real_name', 'text')
        .addColumn('email', 'text')
        .addColumn('token', 'text')
        .addColumn('token_expires_at', 'bigint')
        .addColumn('alipay_address', 'text')
        .addColumn('via_etao', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text')
        .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('login_back', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('cart_items')
        .addColumn('session_id', 'text', (c) => c.notNull())
        .addColumn('product_id', 'text', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('cart_items_pk', ['session_id', 'product_id'])
        .execute();
      await withId(db, 'orders')
        .addColumn('out_trade_no', 'text', (c) => c.notNull().unique())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('session_id', 'text')
        .addColumn('customer_user_id', 'text')
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text')
        .addColumn('items', 'text', (c) => c.notNull())
        .addColumn('total_fen', 'bigint', (c) => c.notNull())
        .addColumn('payment_service', 'text', (c) => c.notNull())
        .addColumn('paymethod', 'text')
        .addColumn('defaultbank', 'text')
        .addColumn('item_orders_info', 'text')
        .addColumn('seller_id', 'text', (c) => c.notNull())
        .addColumn('receive_name', 'text')
        .addColumn('receive_prov', 'text')
        .addColumn('receive_city', 'text')
        .addColumn('receive_area', 'text')
        .addColumn('receive_address', 'text')
        .addColumn('receive_zip', 'text')
        .addColumn('receive_mobile', 'text')
        .addColumn('trade_no', 'text')
        .addColumn('trade_status', 'text')
        .addColumn('refund_status', 'text')
        .addColumn('progress_rank', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('last_notify_time', 'text')
        .addColumn('last_notify_id', 'text')
        .addColumn('gmt_refund', 'text')
        .addColumn('buyer_id', 'text')
        .addColumn('buyer_email', 'text')
        .addColumn('paid_way', 'text')
        .addColumn('logistics_name', 'text')
        .addColumn('invoice_no', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('pay_started_at', 'bigint')
        .addColumn('paid_at', 'bigint')
        .addColumn('last_queried_at', 'bigint')
        .execute();
      await db.schema.createIndex('orders_session').on('orders').column('session_id').execute();
      await db.schema.createIndex('orders_customer').on('orders').column('customer_user_id').execute();
      await db.schema.createIndex('orders_unpaid').on('orders').columns(['progress_rank', 'pay_started_at']).execute();
      await withId(db, 'order_events')
        .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text')
        .addColumn('detail', 'text')
        .execute();
      await db.schema.createIndex('order_events_order').on('order_events').column('order_id').execute();
      await withId(db, 'notification_log')
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('raw', 'text', (c) => c.notNull())
        .addColumn('charset', 'text', (c) => c.notNull())
        .addColumn('verified', 'integer', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('detail', 'text')
        .addColumn('message_kind', 'text')
        .addColumn('out_trade_no', 'text')
        .addColumn('trade_status', 'text')
        .addColumn('refund_status', 'text')
        .addColumn('batch_no', 'text')
        .addColumn('notify_id', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('notification_log_order').on('notification_log').column('out_trade_no').execute();
      await db.schema
        .createTable('refund_batches')
        .addColumn('batch_no', 'text', (c) => c.primaryKey())
        .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
        .addColumn('amount_fen', 'bigint', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('result_details', 'text')
        .addColumn('notified_at', 'bigint')
        .execute();
      await db.schema
        .createTable('settings')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
      await withId(db, 'job_runs')
        .addColumn('job', 'text', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .addColumn('checked', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('error', 'text')
        .execute();
    },
  };
}
