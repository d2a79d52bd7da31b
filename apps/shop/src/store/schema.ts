import type { Generated } from 'kysely';

/**
 * The shop's tables. Times are epoch milliseconds (bigint), money is
 * integer fen, booleans are 0/1 integers: one schema for SQLite and PostgreSQL.
 */
export interface ShopDatabase {
  customers: CustomersTable;
  sessions: SessionsTable;
  cart_items: CartItemsTable;
  orders: OrdersTable;
  order_events: OrderEventsTable;
  notification_log: NotificationLogTable;
  refund_batches: RefundBatchesTable;
  settings: SettingsTable;
  job_runs: JobRunsTable;
}

/** A buyer known from quick login, keyed by Alipay's `user_id`, never the email (protocol.md §12.10). */
export interface CustomersTable {
  user_id: string;
  real_name: string | null;
  email: string | null;
  /** The quick-login token, kept for the address query and payments (protocol.md §12.10). */
  token: string | null;
  token_expires_at: number | null;
  /** The address last chosen at Alipay (JSON of the parsed `receive_address`). */
  alipay_address: string | null;
  /** Present when the buyer came through etao (the login return carried `target_url`, protocol.md §12.13). */
  via_etao: number;
  created_at: number;
  updated_at: number;
}

/** A browser session: a random id in an HttpOnly cookie; a row exists once there is something to keep. */
export interface SessionsTable {
  id: string;
  user_id: string | null;
  is_admin: number;
  /** Where quick login sends the buyer back to (protocol.md §12.10: the page they were on, or the order form). */
  login_back: string | null;
  created_at: number;
}

export interface CartItemsTable {
  session_id: string;
  product_id: string;
  quantity: number;
}

export interface OrdersTable {
  id: Generated<number>;
  out_trade_no: string;
  /** `cart` (from the catalogue) or `direct` (the direct-payment page). */
  kind: string;
  session_id: string | null;
  customer_user_id: string | null;
  subject: string;
  body: string | null;
  /** JSON: [{product_id, name, price_fen, quantity}]. */
  items: string;
  total_fen: number;
  /** The payment service the order was sent with, or `cod` (cash on delivery, no Alipay). */
  payment_service: string;
  paymethod: string | null;
  defaultbank: string | null;
  item_orders_info: string | null;
  /** The seller the order was placed with: notifications must name it. */
  seller_id: string;
  receive_name: string | null;
  receive_prov: string | null;
  receive_city: string | null;
  receive_area: string | null;
  receive_address: string | null;
  receive_zip: string | null;
  receive_mobile: string | null;
  trade_no: string | null;
  /** The last applied Alipay trade status; null until Alipay said anything. */
  trade_status: string | null;
  refund_status: string | null;
  /** The SDK's progressRank of (trade_status, refund_status): the guard of every update. */
  progress_rank: number;
  last_notify_time: string | null;
  last_notify_id: string | null;
  gmt_refund: string | null;
  buyer_id: string | null;
  buyer_email: string | null;
  /** Dual interface: how the buyer paid, `escrow` or `instant` (protocol.md §12.9). */
  paid_way: string | null;
  logistics_name: string | null;
  invoice_no: string | null;
  created_at: number;
  updated_at: number;
  /** When the buyer was last sent to Alipay to pay: reconciliation asks about the order some minutes later. */
  pay_started_at: number | null;
  paid_at: number | null;
  last_queried_at: number | null;
}

/** Every change of an order, with where it came from, for the admin's history. */
export interface OrderEventsTable {
  id: Generated<number>;
  order_id: number;
  at: number;
  /** `shop`, `return`, `notify`, `query`, `admin`. */
  source: string;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  detail: string | null;
}

/** Every return and notification received, as protocol.md §12.3 recommends. */
export interface NotificationLogTable {
  id: Generated<number>;
  received_at: number;
  /** `return`, `notify`, `login_return`, `address_return`. */
  kind: string;
  /** The raw body (notify, address return) or query string (return), as received; a login token is masked. */
  raw: string;
  charset: string;
  verified: number;
  /** The refusal reason (the SDK's VerificationError reason), when refused. */
  reason: string | null;
  detail: string | null;
  message_kind: string | null;
  out_trade_no: string | null;
  trade_status: string | null;
  refund_status: string | null;
  batch_no: string | null;
  notify_id: string | null;
  /** `applied`, `duplicate`, `stale`, `refused`, `recorded` (a message that changes no order). */
  outcome: string;
}

/** A refund sent with refund_fastpay_by_platform_pwd; batch_refund_notify completes it. */
export interface RefundBatchesTable {
  batch_no: string;
  order_id: number;
  amount_fen: number;
  reason: string;
  created_at: number;
  /** `sent`, `succeeded`, `failed`. */
  status: string;
  result_details: string | null;
  notified_at: number | null;
}

export interface SettingsTable {
  name: string;
  value: string;
}

/** The background reconciliation job's runs, shown in the admin. */
export interface JobRunsTable {
  id: Generated<number>;
  job: string;
  started_at: number;
  finished_at: number | null;
  checked: number;
  updated: number;
  error: string | null;
}
