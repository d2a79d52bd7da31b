import { normalizeCharset, type Charset } from '../charset.js';
import type { ResolvedConfig } from '../config.js';
import { parseMessage, type AlipayMessage } from '../messages/parse-message.js';
import type { MessageVia } from '../messages/message-base.js';
import { verifyMessageSign } from './check-sign.js';
import { checkNotifyId } from './notify-verify.js';
import { readMessageParams, type RawMessage } from './read-message.js';

/** Per-call options of `verifyReturn` and `verifyNotification`. */
export interface VerifyMessageOptions {
  /** Ask notify_verify (default config.notifyVerify, itself true by default). */
  notifyVerify?: boolean;
  /** The charset the message arrives in, when it differs from config.charset (the trade's `_input_charset`). */
  charset?: Charset | string;
  /** Cancels the notify_verify call. */
  signal?: AbortSignal;
}

/** The shared path of both: decode once, check the sign, read the message, then notify_verify. */
export async function verifyMessage(config: ResolvedConfig, input: RawMessage, via: MessageVia, options: VerifyMessageOptions = {}): Promise<AlipayMessage> {
  const charset = options.charset === undefined ? config.charset : normalizeCharset(options.charset);
  const params = readMessageParams(input, charset);
  verifyMessageSign(params, { signType: config.signType, charset, key: config.key, publicKey: config.alipayPublicKey });
  // Read before notify_verify: a message we cannot use does not spend its single-use notify_id.
  const message = parseMessage(params, { via });
  // Both official verifiers skip the call when there is no notify_id (protocol.md §4.7).
  if ((options.notifyVerify ?? config.notifyVerify) && params.notify_id) {
    await checkNotifyId(config, params.notify_id, options.signal ? { signal: options.signal } : {});
  }
  return message;
}
