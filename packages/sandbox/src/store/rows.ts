import type { Selectable } from 'kysely';
import type { Charset, SignType } from 'alipay-legacy';
import type {
  Address,
  Buyer,
  DeliveryAttempt,
  Merchant,
  Notification,
  NotificationState,
  Refund,
  RefundBatch,
  Trade,
  TradeEvent,
} from '../services/types.js';
import type {
  AddressesTable,
  BuyersTable,
  DeliveryAttemptsTable,
  MerchantsTable,
  NotificationsTable,
  RefundBatchesTable,
  RefundsTable,
  TradeEventsTable,
  TradesTable,
} from './schema.js';
import { parseDetailData } from '../services/refund-detail.js';

/** Row ⇄ domain object mapping (snake_case columns, 0/1 flags and JSON text ↔ camelCase values). */

export const flag = (b: boolean): number => (b ? 1 : 0);

export function toMerchant(r: Selectable<MerchantsTable>): Merchant {
  return {
    partner: r.partner,
    key: r.md5_key,
    sellerEmail: r.seller_email,
    sellerId: r.seller_id,
    displayName: r.display_name,
    signTypes: JSON.parse(r.sign_types) as SignType[],
    rsaPublicKey: r.rsa_public_key,
    rsaPrivateKey: r.rsa_private_key,
    services: JSON.parse(r.services) as string[],
    antiPhishing: r.anti_phishing === 1,
    ipCheck: r.ip_check === 1,
    advancedInstant: r.advanced_instant === 1,
    selfTimeout: r.self_timeout === 1,
    refundWindowDays: r.refund_window_days,
  };
}

export function toBuyer(r: Selectable<BuyersTable>): Buyer {
  return { userId: r.user_id, login: r.login, email: r.email, realName: r.real_name, mobile: r.mobile, balanceFen: r.balance_fen };
}

export function toAddress(r: Selectable<AddressesTable>): Address {
  return {
    id: r.id,
    userId: r.user_id,
    position: r.position,
    fullname: r.fullname,
    prov: r.prov,
    city: r.city,
    area: r.area,
    address: r.address,
    addressCode: r.address_code,
    mobilePhone: r.mobile_phone,
    phone: r.phone,
    post: r.post,
  };
}

/** The trade fields not stored as they are (schema.ts `ColumnOf`): the compiler wants each one here. */
type EncodedField = { [K in keyof Trade]: Exclude<Trade[K], null> extends boolean | object ? K : never }[keyof Trade];
const ENCODED: { [K in EncodedField]: 'flag' | 'json' } = { totalFeeAdjust: 'flag', requestParams: 'json', logisticsOptions: 'json' };

const encoding = (field: string) => (Object.prototype.hasOwnProperty.call(ENCODED, field) ? ENCODED[field as EncodedField] : undefined);
const fieldOf = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
const columnOf = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const KEYS = new Set(['tradeNo', 'partner', 'outTradeNo']);

type Mapper = (from: Record<string, unknown>) => Record<string, unknown>;

/**
 * A trade is mapped on every request, so each direction's mapping is written out once, as one
 * object literal, from the names the first object it meets carries (`select *` rows and `Trade`
 * objects all carry the same): `r => ({ tradeNo: r.trade_no, …, totalFeeAdjust: r.total_fee_adjust === 1 })`.
 * A loop over the ~40 names with computed keys costs several times that literal.
 */
function literalMapper(names: string[], entry: (name: string) => [key: string, value: string]): Mapper {
  const parts = names.map((name) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not a column or field name: ${name}`);
    const [key, value] = entry(name);
    return `${JSON.stringify(key)}: ${value}`;
  });
  return new Function('o', `return { ${parts.join(', ')} };`) as Mapper;
}

let rowToTrade: Mapper | undefined;
let tradeToColumns: Mapper | undefined;
let tradeToRow: Mapper | undefined;

/** A trade from its row: each column to its field (schema.ts `TradesTable` is `Trade` column by column). */
export function toTrade(r: Selectable<TradesTable>): Trade {
  rowToTrade ??= literalMapper(Object.keys(r), (column) => {
    const field = fieldOf(column);
    const how = encoding(field);
    const read = `o.${column}`;
    return [field, how === 'flag' ? `${read} === 1` : how === 'json' ? `JSON.parse(${read})` : read];
  });
  // The one cast: the row has every column of TradesTable, which is Trade's fields by construction.
  return rowToTrade(r as unknown as Record<string, unknown>) as unknown as Trade;
}

function writeColumn(field: string): [string, string] {
  const how = encoding(field);
  const read = `o.${field}`;
  return [columnOf(field), how === 'flag' ? `(${read} === true ? 1 : 0)` : how === 'json' ? `JSON.stringify(${read})` : read];
}

/** The columns a trade change may touch, from a domain object (everything but the keys). */
export function tradeColumns(t: Trade): Omit<Selectable<TradesTable>, 'trade_no' | 'partner' | 'out_trade_no'> {
  tradeToColumns ??= literalMapper(Object.keys(t).filter((field) => !KEYS.has(field)), writeColumn);
  // As in toTrade: TradesTable is Trade's fields, column by column.
  return tradeToColumns(t as unknown as Record<string, unknown>) as unknown as Omit<Selectable<TradesTable>, 'trade_no' | 'partner' | 'out_trade_no'>;
}

/** Every column of a trade's row, the keys included (a new trade's insert). */
export function tradeRow(t: Trade): Selectable<TradesTable> {
  tradeToRow ??= literalMapper(Object.keys(t), writeColumn);
  return tradeToRow(t as unknown as Record<string, unknown>) as unknown as Selectable<TradesTable>;
}

export function toTradeEvent(r: Selectable<TradeEventsTable>): TradeEvent {
  return {
    id: r.id,
    tradeNo: r.trade_no,
    at: r.at,
    actor: r.actor,
    kind: r.kind,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    refundStatus: r.refund_status,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  };
}

export function toNotification(r: Selectable<NotificationsTable>): Notification {
  return {
    id: r.id,
    tradeNo: r.trade_no,
    batchNo: r.batch_no,
    sequence: r.sequence,
    partner: r.partner,
    url: r.url,
    notifyType: r.notify_type,
    charset: r.charset as Charset,
    notifyId: r.notify_id,
    params: JSON.parse(r.params) as Record<string, string>,
    body: r.body,
    state: r.state as NotificationState,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lockedUntil: r.locked_until,
    replayOf: r.replay_of,
    lastError: r.last_error,
    createdAt: r.created_at,
    acknowledgedAt: r.acknowledged_at,
  };
}

export function toAttempt(r: Selectable<DeliveryAttemptsTable>): DeliveryAttempt {
  return {
    id: r.id,
    notificationId: r.notification_id,
    number: r.number,
    workerId: r.worker_id,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationMs: r.duration_ms,
    requestBody: r.request_body,
    httpStatus: r.http_status,
    responseBody: r.response_body,
    error: r.error,
    warning: r.warning,
    fault: r.fault,
    acknowledged: r.acknowledged === 1,
  };
}

export function toRefund(r: Selectable<RefundsTable>): Refund {
  return {
    id: r.id,
    tradeNo: r.trade_no,
    kind: r.kind as Refund['kind'],
    batchId: r.batch_id,
    amountFen: r.amount_fen,
    reason: r.reason,
    returnGoods: r.return_goods === 1,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function toRefundBatch(r: Selectable<RefundBatchesTable>): RefundBatch {
  const requestParams = JSON.parse(r.request_params) as Record<string, string>;
  return {
    id: r.id,
    partner: r.partner,
    batchNo: r.batch_no,
    charset: r.charset as Charset,
    signType: r.sign_type as SignType,
    notifyUrl: r.notify_url,
    requestParams,
    batchNum: r.batch_num,
    items: parseDetailData(requestParams.detail_data ?? ''),
    status: r.status as RefundBatch['status'],
    successNum: r.success_num,
    resultDetails: r.result_details,
    createdAt: r.created_at,
    confirmedAt: r.confirmed_at,
  };
}
