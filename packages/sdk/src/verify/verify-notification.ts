import type { ResolvedConfig } from '../config.js';
import type { AlipayMessage } from '../messages/parse-message.js';
import { verifyMessage, type VerifyMessageOptions } from './verify-message.js';

/**
 * Verifies an asynchronous notification POSTed to `notify_url` and returns the typed message.
 * Give it the raw body (the bytes as received, or that text: it is percent-encoded ASCII): it
 * decodes exactly once in config.charset, checks the sign, then asks `notify_verify` (unless
 * config.notifyVerify is false). Failures are `VerificationError` with a `reason` (see
 * `verifyReturn`). Answer `success` only after the order was updated; `createNotificationHandler`
 * does all of this for Node http, Express, Fastify and Web Request handlers.
 * @example
 * const message = await verifyNotification(config, rawBodyBuffer);
 * if (message.kind === 'trade_status_sync') await applyToOrder(message);
 */
export async function verifyNotification(config: ResolvedConfig, body: string | Uint8Array, options?: VerifyMessageOptions): Promise<AlipayMessage> {
  if (!(body instanceof Uint8Array) && typeof body !== 'string') {
    throw new TypeError(
      'verifyNotification needs the raw body (a Buffer/Uint8Array or its text); a parsed object cannot be verified byte for byte',
    );
  }
  return verifyMessage(config, body, 'notify', options);
}
