import type { ResolvedConfig } from '../config.js';
import type { AlipayMessage } from '../messages/parse-message.js';
import type { RawMessage } from './read-message.js';
import { verifyMessage, type VerifyMessageOptions } from './verify-message.js';

/**
 * Verifies what the buyer's browser brought back to `return_url` and returns the typed message.
 * Give it the raw query string (with or without `?`, or `req.url` whole), a `URL`, or, for the
 * address query's POSTed return, the raw body bytes: it decodes exactly once in config.charset,
 * never mixes in route parameters, checks the sign (MD5 with config.key, RSA with
 * config.alipayPublicKey), then asks `notify_verify` (unless config.notifyVerify is false; a
 * message without notify_id skips it, as the official SDKs did). Failures are `VerificationError`
 * with a `reason`: `malformed`, `missing_sign`, `bad_sign_type`, `sign_mismatch` (see
 * `error.presign`), `notify_verify_false`, `notify_verify_invalid`, `notify_verify_unreachable`.
 *
 * A return is only shown to the buyer; the notification is what changes the order (protocol.md §12.1).
 * @example
 * // Node http / Express: req.url is the raw path and query.
 * const message = await verifyReturn(config, req.url);
 * if (message.kind === 'trade_status_sync' && isPaid(message.trade_status)) showThanks(message.out_trade_no);
 */
export function verifyReturn(config: ResolvedConfig, input: RawMessage, options?: VerifyMessageOptions): Promise<AlipayMessage> {
  return verifyMessage(config, input, 'return', options);
}
