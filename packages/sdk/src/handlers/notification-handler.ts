import type { ResolvedConfig } from '../config.js';
import { AlipayError, VerificationError } from '../errors.js';
import type { AlipayMessage } from '../messages/parse-message.js';
import type { TradeStatusSyncMessage } from '../messages/trade-status-sync.js';
import { toFen } from '../money.js';
import { checkNotifyId } from '../verify/notify-verify.js';
import { verifyMessage, type VerifyMessageOptions } from '../verify/verify-message.js';

/** The merchant's record of an order, as `expect` returns it, for the amount and seller checks. */
export interface ExpectedOrder {
  /** The order's total: yuan as text (`'88.00'`) or fen as a number (`8800`). */
  totalFee?: string | number;
  /** The seller's user id the order was placed with; default config.sellerId. */
  sellerId?: string;
}

/** What the callbacks get besides the message. */
export interface NotificationContext {
  /** The raw body bytes exactly as received (for a log of what arrived). */
  body: Uint8Array;
  /** The framework's request object, when an adapter ran (IncomingMessage, Request, FastifyRequest). */
  request?: unknown;
  /** The order `expect` returned, for a trade_status_sync message. */
  expected?: ExpectedOrder;
}

/** What `onError` gets: the context, and the message when it was verified before the failure. */
export interface NotificationErrorContext extends NotificationContext {
  message?: AlipayMessage;
}

/** Options of `createNotificationHandler`. */
export interface NotificationHandlerOptions {
  /**
   * Applies a verified message (update the order inside a transaction). `success` is answered only
   * after it resolves; if it throws, `fail` is answered and Alipay sends the notification again.
   */
  onNotification(message: AlipayMessage, ctx: NotificationContext): Promise<void> | void;
  /**
   * Looks up the order of a `trade_status_sync` message. `undefined` refuses the message
   * (`unknown_order`); otherwise `total_fee` must equal `totalFee` (`amount_mismatch`) and
   * `seller_id` must be `sellerId ?? config.sellerId` (`seller_mismatch`). Runs before
   * notify_verify, so a refused message does not spend its notify_id. Not called for other kinds.
   */
  expect?(message: TradeStatusSyncMessage): Promise<ExpectedOrder | undefined> | ExpectedOrder | undefined;
  /** Every failure: refusals (`VerificationError`), callback errors, misconfiguration. Default: console.error. */
  onError?(error: unknown, ctx: NotificationErrorContext): void;
  /** Passed to the verification (e.g. `charset` when it differs from config.charset). */
  verify?: VerifyMessageOptions;
  /** Bodies larger than this are refused with 413 (default 1 MiB; real notifications are a few KB). */
  maxBodyBytes?: number;
}

/** How the handler answered. */
export interface NotificationOutcome {
  /** 200 for `success`; 400 refused, 405 not a POST, 413 too large, 500 callback error or misconfiguration. */
  status: number;
  /** Exactly `success` or `fail`, no newline (protocol.md §6, §8.6). */
  body: 'success' | 'fail';
  contentType: 'text/plain; charset=utf-8';
  /** The verified message, when verification passed. */
  message?: AlipayMessage;
  /** Why the answer is `fail`. */
  error?: unknown;
}

/** The core every adapter calls. */
export type HandleNotification = (body: Uint8Array | string, request?: unknown) => Promise<NotificationOutcome>;

/** The resolved options adapters need. */
export interface NotificationCore {
  handle: HandleNotification;
  maxBodyBytes: number;
  /** Answers a failure that happened before the core could run (a parsed body, a GET). */
  refuse(status: number, error: unknown, request?: unknown): NotificationOutcome;
}

const CONTENT_TYPE = 'text/plain; charset=utf-8' as const;

/**
 * The shared core: verify (decode once, sign, read), the amount and seller checks, notify_verify,
 * the callback, and the answer. Adapters only read the body and write the outcome.
 */
export function createNotificationCore(config: ResolvedConfig, options: NotificationHandlerOptions): NotificationCore {
  const onError = options.onError ?? defaultOnError;
  const report = (error: unknown, ctx: NotificationErrorContext) => {
    try {
      onError(error, ctx);
    } catch {
      // A failing error hook must not change the answer.
    }
  };
  const refuse = (status: number, error: unknown, request?: unknown): NotificationOutcome => {
    report(error, { body: new Uint8Array(0), request });
    return { status, body: 'fail', contentType: CONTENT_TYPE, error };
  };
  const handle: HandleNotification = async (input, request) => {
    const body = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
    const ctx: NotificationErrorContext = { body };
    if (request !== undefined) ctx.request = request;
    try {
      if (typeof input === 'string' && /[^\x00-\xff]/.test(input)) {
        throw new VerificationError('malformed', 'the body holds characters that are not percent-encoded: pass the raw body bytes');
      }
      const message = await verifyMessage(config, body, 'notify', { ...options.verify, notifyVerify: false });
      ctx.message = message;
      if (message.kind === 'trade_status_sync' && options.expect) {
        const expected = await options.expect(message);
        checkExpected(config, message, expected);
        ctx.expected = expected;
      }
      const askNotifyVerify = options.verify?.notifyVerify ?? config.notifyVerify;
      if (askNotifyVerify && message.notify_id) {
        await checkNotifyId(config, message.notify_id, options.verify?.signal ? { signal: options.verify.signal } : {});
      }
      const { message: _m, ...callbackCtx } = ctx;
      await options.onNotification(message, callbackCtx);
      return { status: 200, body: 'success', contentType: CONTENT_TYPE, message };
    } catch (error) {
      report(error, ctx);
      const outcome: NotificationOutcome = { status: error instanceof VerificationError ? 400 : 500, body: 'fail', contentType: CONTENT_TYPE, error };
      if (ctx.message) outcome.message = ctx.message;
      return outcome;
    }
  };
  return { handle, refuse, maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024 };
}

/**
 * The amount and seller checks, made before a notification or a return changes anything (a
 * notified amount is never trusted as it is): throws `VerificationError` `unknown_order`,
 * `amount_mismatch` or `seller_mismatch`.
 * @example checkExpected(config, message, { totalFee: order.totalFen })
 */
export function checkExpected(config: Pick<ResolvedConfig, 'sellerId'>, message: TradeStatusSyncMessage, expected: ExpectedOrder | undefined): void {
  if (!expected) {
    throw new VerificationError('unknown_order', `no order ${message.out_trade_no} is known here (expect() returned nothing)`);
  }
  if (expected.totalFee !== undefined) {
    const want = typeof expected.totalFee === 'number' ? expected.totalFee : toFen(expected.totalFee);
    if (message.totalFen === undefined || message.totalFen !== want) {
      throw new VerificationError(
        'amount_mismatch',
        `order ${message.out_trade_no}: the message says total_fee=${message.total_fee ?? '(none)'} but the order's total is ${want} fen`,
      );
    }
  }
  const seller = expected.sellerId ?? config.sellerId;
  if (message.seller_id !== seller) {
    throw new VerificationError(
      'seller_mismatch',
      `order ${message.out_trade_no}: the message is for seller_id=${message.seller_id ?? '(none)'}, not this seller (${seller})`,
    );
  }
}

function defaultOnError(error: unknown, ctx: NotificationErrorContext): void {
  const what = error instanceof AlipayError ? `${error.code}: ${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error);
  const order = ctx.message && 'out_trade_no' in ctx.message ? ` (out_trade_no ${ctx.message.out_trade_no})` : '';
  console.error(`[alipay-legacy] notification answered "fail"${order}: ${what}`);
}
