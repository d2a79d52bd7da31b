import { AlipayError, VerificationError, type AlipayMessage } from 'alipay-legacy';
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { ShopDeps } from '../deps.js';
import { preparedQuery, type Arg } from '../store/prepared-query.js';
import type { NotificationLogTable, ShopDatabase } from '../store/schema.js';
import { applyTradeReport, lockOrder } from './apply-trade-state.js';
import { addOrderEvent } from './order-events.js';

/** How a message reached the shop. */
export type MessageChannel = 'return' | 'notify' | 'login_return' | 'address_return';

/** A message as received: what the log keeps. */
export interface ReceivedMessage {
  channel: MessageChannel;
  /** The raw query string (returns) or body (notifications, the address return), as received. */
  raw: string;
}

export type LogOutcome = 'applied' | 'duplicate' | 'stale' | 'refused' | 'recorded';

/** What applying a verified message did. */
export interface IntakeResult {
  outcome: LogOutcome;
  outTradeNo?: string;
}

/**
 * Applies a verified message and logs it, in one transaction (protocol.md §12.2:
 * apply each result once; §12.3: keep every notification in the database). Returns after the
 * commit, so a notification is answered `success` only once both are stored. A refund
 * notification for a batch the shop never sent is refused (`VerificationError('unknown_order')`).
 */
export async function applyVerifiedMessage(deps: ShopDeps, received: ReceivedMessage, message: AlipayMessage): Promise<IntakeResult> {
  return deps.db.transaction().execute(async (trx) => {
    let outcome: LogOutcome = 'recorded';
    let outTradeNo: string | undefined;
    if (message.kind === 'trade_status_sync') {
      outTradeNo = message.out_trade_no;
      const order = await lockOrder(deps, trx, message.out_trade_no);
      if (!order) throw new VerificationError('unknown_order', `no order ${message.out_trade_no}`);
      outcome = await applyTradeReport(
        deps,
        trx,
        order,
        {
          trade_status: message.trade_status,
          refund_status: message.refund_status,
          notify_time: message.notify_time,
          notify_id: message.notify_id,
          gmt_refund: message.gmt_refund,
          trade_no: message.trade_no,
          buyer_id: message.buyer_id,
          buyer_email: message.buyer_email,
        },
        received.channel === 'return' ? 'return' : 'notify',
      );
    } else if (message.kind === 'batch_refund_notify') {
      outcome = await applyRefundBatch(deps, trx, message.batch_no, message.result_details ?? null, message.items.every((i) => i.succeeded) && message.items.length > 0);
    }
    await writeLog(deps, trx, received, { verified: true, reason: null, detail: null, outcome, message });
    return outTradeNo ? { outcome, outTradeNo } : { outcome };
  });
}

async function applyRefundBatch(deps: ShopDeps, trx: Transaction<ShopDatabase>, batchNo: string, details: string | null, succeeded: boolean): Promise<LogOutcome> {
  const batch = await trx
    .selectFrom('refund_batches')
    .selectAll()
    .where('batch_no', '=', batchNo)
    .$if(deps.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst();
  if (!batch) throw new VerificationError('unknown_order', `no refund batch ${batchNo} was sent by this shop`);
  if (batch.notified_at !== null) return 'duplicate';
  const now = deps.clock.now();
  await trx
    .updateTable('refund_batches')
    .set({ status: succeeded ? 'succeeded' : 'failed', result_details: details, notified_at: now })
    .where('batch_no', '=', batchNo)
    .where('notified_at', 'is', null)
    .execute();
  await addOrderEvent(deps, trx, {
    order_id: batch.order_id,
    at: now,
    source: 'notify',
    kind: 'refund_result',
    detail: `退款批次 ${batchNo} ${succeeded ? '成功' : '失败'}：${details ?? ''}`,
  });
  return 'applied';
}

/**
 * Logs a message that was refused (forged, replayed, wrong amount or seller, unknown order) or
 * whose handling failed; nothing else changes. The reason is the SDK's VerificationError reason.
 */
export async function logRefusal(deps: ShopDeps, received: ReceivedMessage, error: unknown, message?: AlipayMessage): Promise<void> {
  const reason = error instanceof VerificationError ? error.reason : error instanceof AlipayError ? error.code : 'internal_error';
  const detail = error instanceof Error ? error.message.slice(0, 2000) : String(error);
  try {
    await deps.db.transaction().execute((trx) => writeLog(deps, trx, received, { verified: false, reason, detail, outcome: 'refused', message }));
  } catch (logError) {
    // The refusal is answered anyway; a log that cannot be written must not turn it into a 5xx.
    console.error('[shop] could not log a refused message:', logError instanceof Error ? logError.message : logError);
  }
}

const insertLogEntry = preparedQuery((db: Kysely<ShopDatabase>, arg: Arg<Required<Omit<Insertable<NotificationLogTable>, 'id'>>>) =>
  db.insertInto('notification_log').values({
    received_at: arg('received_at'),
    kind: arg('kind'),
    raw: arg('raw'),
    charset: arg('charset'),
    verified: arg('verified'),
    reason: arg('reason'),
    detail: arg('detail'),
    message_kind: arg('message_kind'),
    out_trade_no: arg('out_trade_no'),
    trade_status: arg('trade_status'),
    refund_status: arg('refund_status'),
    batch_no: arg('batch_no'),
    notify_id: arg('notify_id'),
    outcome: arg('outcome'),
  }),
);

async function writeLog(
  deps: ShopDeps,
  trx: Transaction<ShopDatabase>,
  received: ReceivedMessage,
  entry: { verified: boolean; reason: string | null; detail: string | null; outcome: LogOutcome; message: AlipayMessage | undefined },
): Promise<void> {
  const m = entry.message;
  const raw = m?.raw ?? peekParams(received.raw);
  await insertLogEntry(trx, deps.dialect, {
    received_at: deps.clock.now(),
    kind: received.channel,
    raw: storable(maskToken(received.raw)),
    charset: deps.alipay.config.charset,
    verified: entry.verified ? 1 : 0,
    reason: entry.reason,
    detail: entry.detail === null ? null : storable(entry.detail),
    message_kind: m?.kind ?? null,
    out_trade_no: short(raw.out_trade_no),
    trade_status: short(raw.trade_status),
    refund_status: short(raw.refund_status),
    batch_no: short(raw.batch_no),
    notify_id: short(raw.notify_id),
    outcome: entry.outcome,
  });
}

/** The quick-login token is a credential: the log keeps only its first characters. */
export function maskToken(raw: string): string {
  if (!raw.includes('token=')) return raw;
  return raw.replace(/(^|[?&])token=([^&]{0,8})[^&]*/g, '$1token=$2…');
}

function short(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : storable(value.slice(0, 128));
}

/**
 * Text PostgreSQL can store: a NUL (a forged message may carry one) is kept as its escape `%00`,
 * or the refusal would not be logged at all.
 */
function storable(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '%00') : text;
}

/** The parameters of an unverified message, for the log's columns only (never trusted). */
function peekParams(raw: string): Record<string, string> {
  try {
    return Object.fromEntries(new URLSearchParams(raw.startsWith('?') ? raw.slice(1) : raw));
  } catch {
    return {};
  }
}

/** Logs a verified message that changes no order (a quick-login return). */
export async function logVerified(deps: ShopDeps, received: ReceivedMessage, message: AlipayMessage): Promise<void> {
  await deps.db.transaction().execute((trx) => writeLog(deps, trx, received, { verified: true, reason: null, detail: null, outcome: 'recorded', message }));
}
