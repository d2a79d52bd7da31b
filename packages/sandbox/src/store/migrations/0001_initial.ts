import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../../deps.js';

/**
 * The first schema (schema.ts describes every column). Identical on both dialects except the
 * auto-increment id column.
 */
export function initialMigration(dialect: Dialect): Migration {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const id = (db: Kysely<any>, table: string) =>
    dialect === 'postgres'
      ? db.schema.createTable(table).addColumn('id', 'serial', (c) => c.primaryKey())
      : db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());

  return {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('merchants')
        .addColumn('partner', 'text', (c) => c.primaryKey())
        .addColumn('md5_key', 'text', (c) => c.notNull())
        .addColumn('seller_email', 'text', (c) => c.notNull())
        .addColumn('seller_id', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('sign_types', 'text', (c) => c.notNull())
        .addColumn('rsa_public_key', 'text')
        .addColumn('rsa_private_key', 'text')
        .addColumn('services', 'text', (c) => c.notNull())
        .addColumn('anti_phishing', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('ip_check', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('advanced_instant', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('self_timeout', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('refund_window_days', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('buyers')
        .addColumn('user_id', 'text', (c) => c.primaryKey())
        .addColumn('login', 'text', (c) => c.notNull().unique())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('real_name', 'text', (c) => c.notNull())
        .addColumn('mobile', 'text')
        .addColumn('login_password_hash', 'text', (c) => c.notNull())
        .addColumn('pay_password_hash', 'text', (c) => c.notNull())
        .addColumn('balance_fen', 'bigint', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await id(db, 'addresses')
        .addColumn('user_id', 'text', (c) => c.notNull().references('buyers.user_id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('fullname', 'text', (c) => c.notNull())
        .addColumn('prov', 'text', (c) => c.notNull())
        .addColumn('city', 'text', (c) => c.notNull())
        .addColumn('area', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('address_code', 'text', (c) => c.notNull())
        .addColumn('mobile_phone', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('post', 'text', (c) => c.notNull())
        .addUniqueConstraint('addresses_user_position', ['user_id', 'position'])
        .execute();

      await db.schema
        .createTable('trades')
        .addColumn('trade_no', 'text', (c) => c.primaryKey())
        .addColumn('partner', 'text', (c) => c.notNull().references('merchants.partner'))
        .addColumn('out_trade_no', 'text', (c) => c.notNull())
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('charset', 'text', (c) => c.notNull())
        .addColumn('sign_type', 'text', (c) => c.notNull())
        .addColumn('request_params', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text')
        .addColumn('payment_type', 'text', (c) => c.notNull())
        .addColumn('price_fen', 'bigint', (c) => c.notNull())
        .addColumn('quantity', 'integer', (c) => c.notNull())
        .addColumn('total_fee_fen', 'bigint', (c) => c.notNull())
        .addColumn('discount_fen', 'bigint', (c) => c.notNull())
        .addColumn('total_fee_adjust', 'integer', (c) => c.notNull())
        .addColumn('logistics_options', 'text', (c) => c.notNull())
        .addColumn('logistics_index', 'integer')
        .addColumn('method', 'text')
        .addColumn('buyer_id', 'text')
        .addColumn('buyer_email', 'text')
        .addColumn('seller_id', 'text', (c) => c.notNull())
        .addColumn('seller_email', 'text', (c) => c.notNull())
        .addColumn('trade_status', 'text', (c) => c.notNull())
        .addColumn('refund_status', 'text')
        .addColumn('address_id', 'integer')
        .addColumn('receive_name', 'text')
        .addColumn('receive_address', 'text')
        .addColumn('receive_zip', 'text')
        .addColumn('receive_phone', 'text')
        .addColumn('receive_mobile', 'text')
        .addColumn('logistics_name', 'text')
        .addColumn('invoice_no', 'text')
        .addColumn('transport_type', 'text')
        .addColumn('notify_url', 'text')
        .addColumn('return_url', 'text')
        .addColumn('extra_common_param', 'text')
        .addColumn('show_url', 'text')
        .addColumn('gmt_create', 'bigint', (c) => c.notNull())
        .addColumn('gmt_payment', 'bigint')
        .addColumn('gmt_send_goods', 'bigint')
        .addColumn('gmt_logistics_modify', 'bigint')
        .addColumn('gmt_close', 'bigint')
        .addColumn('gmt_refund', 'bigint')
        .addColumn('close_at', 'bigint')
        .addColumn('t_b_rec_post_days', 'integer')
        .addColumn('confirm_deadline', 'bigint')
        .addColumn('refund_window_end', 'bigint')
        .addColumn('refunded_fen', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('trades_partner_out_trade_no', ['partner', 'out_trade_no'])
        .execute();
      // The timeout sweeps look trades up by state and deadline.
      await db.schema.createIndex('trades_status_close_at').on('trades').columns(['trade_status', 'close_at']).execute();
      await db.schema.createIndex('trades_status_confirm').on('trades').columns(['trade_status', 'confirm_deadline']).execute();
      await db.schema.createIndex('trades_status_refund_window').on('trades').columns(['trade_status', 'refund_window_end']).execute();

      await id(db, 'trade_events')
        .addColumn('trade_no', 'text', (c) => c.notNull().references('trades.trade_no'))
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('from_status', 'text')
        .addColumn('to_status', 'text', (c) => c.notNull())
        .addColumn('refund_status', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('trade_events_trade').on('trade_events').columns(['trade_no', 'id']).execute();

      await id(db, 'notifications')
        .addColumn('trade_no', 'text')
        .addColumn('batch_no', 'text')
        .addColumn('ordering_key', 'text', (c) => c.notNull())
        .addColumn('sequence', 'integer', (c) => c.notNull())
        .addColumn('partner', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('notify_type', 'text', (c) => c.notNull())
        .addColumn('charset', 'text', (c) => c.notNull())
        .addColumn('notify_id', 'text', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('locked_until', 'bigint')
        .addColumn('locked_by', 'text')
        .addColumn('delayed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('replay_of', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('acknowledged_at', 'bigint')
        .addUniqueConstraint('notifications_order', ['ordering_key', 'sequence'])
        .execute();
      await db.schema.createIndex('notifications_due').on('notifications').columns(['state', 'next_attempt_at']).execute();
      await db.schema.createIndex('notifications_trade').on('notifications').columns(['trade_no']).execute();

      await id(db, 'delivery_attempts')
        .addColumn('notification_id', 'integer', (c) => c.notNull().references('notifications.id'))
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('worker_id', 'text', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint')
        .addColumn('duration_ms', 'integer')
        .addColumn('request_body', 'text', (c) => c.notNull())
        .addColumn('http_status', 'integer')
        .addColumn('response_body', 'text')
        .addColumn('error', 'text')
        .addColumn('warning', 'text')
        .addColumn('fault', 'text')
        .addColumn('acknowledged', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.createIndex('delivery_attempts_notification').on('delivery_attempts').columns(['notification_id', 'id']).execute();

      await db.schema
        .createTable('notify_ids')
        .addColumn('notify_id', 'text', (c) => c.primaryKey())
        .addColumn('partner', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('notification_id', 'integer')
        .addColumn('armed_until', 'bigint')
        .addColumn('used', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('acknowledged', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('tokens')
        .addColumn('token', 'text', (c) => c.primaryKey())
        .addColumn('partner', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('login_until', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('anti_phishing_keys')
        .addColumn('encrypt_key', 'text', (c) => c.primaryKey())
        .addColumn('partner', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('used', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('clock')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('offset_ms', 'bigint', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('faults')
        .addColumn('partner', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('remaining', 'integer')
        .addColumn('delay_seconds', 'integer')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();

      await id(db, 'refund_batches')
        .addColumn('partner', 'text', (c) => c.notNull())
        .addColumn('batch_no', 'text', (c) => c.notNull())
        .addColumn('charset', 'text', (c) => c.notNull())
        .addColumn('sign_type', 'text', (c) => c.notNull())
        .addColumn('notify_url', 'text')
        .addColumn('request_params', 'text', (c) => c.notNull())
        .addColumn('batch_num', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('success_num', 'integer')
        .addColumn('result_details', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('confirmed_at', 'bigint')
        .addUniqueConstraint('refund_batches_partner_batch_no', ['partner', 'batch_no'])
        .execute();

      await id(db, 'refunds')
        .addColumn('trade_no', 'text', (c) => c.notNull().references('trades.trade_no'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('batch_id', 'integer')
        .addColumn('amount_fen', 'bigint', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('return_goods', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('refunds_trade').on('refunds').columns(['trade_no', 'id']).execute();

      await db.insertInto('clock').values({ id: 1, offset_ms: 0 }).execute();
    },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    async down(db: Kysely<any>) {
      for (const table of [
        'refunds',
        'refund_batches',
        'faults',
        'clock',
        'anti_phishing_keys',
        'tokens',
        'notify_ids',
        'delivery_attempts',
        'notifications',
        'trade_events',
        'trades',
        'addresses',
        'buyers',
        'merchants',
      ]) {
        await db.schema.dropTable(table).ifExists().execute();
      }
    },
  };
}
