import type { ColumnType, Generated } from 'kysely';
import type { Actor, RefundStatus, Trade, TradeStatus } from '../services/types.js';

/**
 * The sandbox's tables, one schema for SQLite and PostgreSQL.
 * Conventions that keep both dialects identical:
 * - times are epoch milliseconds in `bigint` columns (PostgreSQL's int8 is parsed back to a number
 *   by the pool's type parser, see open-db.ts);
 * - money is integer fen (`bigint`);
 * - booleans are integers 0/1 (SQLite has no boolean);
 * - lists and maps are JSON text.
 */

/** Epoch milliseconds. */
export type Millis = number;
/** 0 or 1. */
export type Flag = number;
/** JSON text. */
export type Json = string;

export interface MerchantsTable {
  partner: string;
  /** The 32-character MD5 key (安全校验码). */
  md5_key: string;
  seller_email: string;
  seller_id: string;
  /** Shown on the cashier page. */
  display_name: string;
  /** JSON string[]: sign types the merchant may use ('MD5', 'RSA'). */
  sign_types: Json;
  /** The merchant's RSA public key (PEM), to verify its RSA-signed requests. */
  rsa_public_key: string | null;
  /** The merchant's RSA private key (PEM), kept only so the CLI can print it for tests. */
  rsa_private_key: string | null;
  /** JSON string[]: the services the merchant has contracted. */
  services: Json;
  anti_phishing: Flag;
  ip_check: Flag;
  advanced_instant: Flag;
  /** Whether it_b_pay / t_s_send_* / t_b_rec_post are allowed (SELF_TIMEOUT_NOT_SUPPORT otherwise). */
  self_timeout: Flag;
  refund_window_days: number;
  created_at: Millis;
}

export interface BuyersTable {
  user_id: string;
  /** Login name (email or mobile). */
  login: string;
  email: string;
  real_name: string;
  mobile: string | null;
  /** scrypt$<salt hex>$<hash hex> */
  login_password_hash: string;
  pay_password_hash: string;
  balance_fen: number;
  /** Order in which buyers were seeded (lists show the first buyer first). */
  position: number;
  created_at: Millis;
}

export interface AddressesTable {
  id: Generated<number>;
  user_id: string;
  /** Order of the address in the buyer's list; 0 is the first (default) one. */
  position: number;
  fullname: string;
  prov: string;
  city: string;
  area: string;
  address: string;
  address_code: string;
  mobile_phone: string;
  phone: string;
  post: string;
}

/** `tBRecPostMs` → `t_b_rec_post_ms`: each capital letter becomes `_` and its lower case. */
export type SnakeCase<S extends string> = S extends `${infer C}${infer Rest}`
  ? `${C extends Lowercase<C> ? C : `_${Lowercase<C>}`}${SnakeCase<Rest>}`
  : S;

/** How a domain value is stored: booleans as a Flag, lists and maps as JSON text, the rest as it is. */
export type ColumnOf<V> = V extends boolean ? Flag : V extends object ? Json : V;

/**
 * A trade's row: the `Trade` of services/types.ts, column by column (its fields in snake_case,
 * stored as `ColumnOf` says), so the table, the domain object and the row mapping (rows.ts) cannot
 * drift apart. A new trade field is a line in `Trade` and its column in a migration.
 */
export type TradesTable = {
  // notify_seq has a default (migration 0002), so an insert may leave it out.
  [K in keyof Trade as SnakeCase<K>]: K extends 'notifySeq' ? ColumnType<number, number | undefined, number> : ColumnOf<Trade[K]>;
};

export interface TradeEventsTable {
  id: Generated<number>;
  trade_no: string;
  at: Millis;
  actor: Actor;
  /** e.g. 'created', 'confirmed', 'paid', 'shipped', 'receipt_confirmed', 'closed', 'refund_requested', … */
  kind: string;
  from_status: TradeStatus | null;
  to_status: TradeStatus;
  refund_status: RefundStatus | null;
  /** JSON object with event details. */
  detail: Json;
}

export interface NotificationsTable {
  id: Generated<number>;
  /** The trade this notification belongs to; null for batch_refund_notify. */
  trade_no: string | null;
  batch_no: string | null;
  /** Ordering scope: the trade_no, or `batch:<partner>:<batch_no>`. */
  ordering_key: string;
  /** Order within ordering_key, from 1. */
  sequence: number;
  partner: string;
  url: string;
  notify_type: string;
  charset: string;
  notify_id: string;
  /** JSON Record<string,string>: the signed parameters, sign and sign_type included. */
  params: Json;
  /** The form body sent (encodeForm in the charset). */
  body: string;
  /** 'pending' | 'delivering' | 'acknowledged' | 'retrying' | 'given_up' */
  state: string;
  attempts: number;
  next_attempt_at: Millis;
  locked_until: Millis | null;
  locked_by: string | null;
  /** Set once a 'delay' fault has postponed the first attempt. */
  delayed: Flag;
  /** The fault that took it out of its trade's order ('reorder'; migration 0005), kept once it goes. */
  held_by: string | null;
  /** The notification this one replays, when it is a replay. */
  replay_of: number | null;
  last_error: string | null;
  created_at: Millis;
  acknowledged_at: Millis | null;
}

export interface DeliveryAttemptsTable {
  id: Generated<number>;
  notification_id: number;
  number: number;
  worker_id: string;
  started_at: Millis;
  finished_at: Millis | null;
  duration_ms: number | null;
  request_body: string;
  http_status: number | null;
  response_body: string | null;
  error: string | null;
  warning: string | null;
  /** The kind of the fault injected into this attempt (dispatcher/faults/), if any. */
  fault: string | null;
  acknowledged: Flag;
}

export interface NotifyIdsTable {
  notify_id: string;
  partner: string;
  /** 'return' | 'async' | 'login' | 'address' */
  kind: string;
  notification_id: number | null;
  /** The id answers `true` once until this time (decisions.md §1–2). */
  armed_until: Millis | null;
  /** 1 once verified in the current arming. */
  used: Flag;
  /** 1 once the merchant acknowledged the async notification: `false` for good. */
  acknowledged: Flag;
  created_at: Millis;
}

export interface TokensTable {
  token: string;
  partner: string;
  user_id: string;
  expires_at: Millis;
  login_until: Millis;
  created_at: Millis;
}

export interface AntiPhishingKeysTable {
  encrypt_key: string;
  partner: string;
  expires_at: Millis;
  used: Flag;
  created_at: Millis;
}

export interface ClockTable {
  id: number;
  offset_ms: number;
}

export interface FaultsTable {
  partner: string;
  /** A fault's kind (dispatcher/faults/: 'drop' | 'delay' | 'duplicate'). */
  kind: string;
  /** How many more attempts it applies to; null = until removed. */
  remaining: number | null;
  /** The `seconds` of the faults that take them (delay: how long the first attempt is postponed). */
  delay_seconds: number | null;
  created_at: Millis;
}

export interface RefundBatchesTable {
  id: Generated<number>;
  partner: string;
  batch_no: string;
  charset: string;
  sign_type: string;
  notify_url: string | null;
  /** JSON Record<string,string>: the verified request parameters. */
  request_params: Json;
  batch_num: number;
  /** 'WAIT_SELLER_CONFIRM' | 'DONE' */
  status: string;
  success_num: number | null;
  result_details: string | null;
  created_at: Millis;
  confirmed_at: Millis | null;
}

export interface RefundsTable {
  id: Generated<number>;
  trade_no: string;
  /** 'escrow' (buyer's request, protocol.md §12.8) | 'batch' (refund_fastpay_by_platform_pwd) */
  kind: string;
  batch_id: number | null;
  amount_fen: number;
  reason: string;
  return_goods: Flag;
  /** refund_status values (protocol.md §5.4), or a result code for a failed batch item. */
  status: string;
  created_at: Millis;
  updated_at: Millis;
}

export interface Database {
  merchants: MerchantsTable;
  buyers: BuyersTable;
  addresses: AddressesTable;
  trades: TradesTable;
  trade_events: TradeEventsTable;
  notifications: NotificationsTable;
  delivery_attempts: DeliveryAttemptsTable;
  notify_ids: NotifyIdsTable;
  tokens: TokensTable;
  anti_phishing_keys: AntiPhishingKeysTable;
  clock: ClockTable;
  faults: FaultsTable;
  refund_batches: RefundBatchesTable;
  refunds: RefundsTable;
}

// Kept for callers that want insert-time optional columns spelled out.
export type { ColumnType };
