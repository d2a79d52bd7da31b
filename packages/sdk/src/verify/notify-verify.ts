import type { ResolvedConfig } from '../config.js';
import { VerificationError } from '../errors.js';

/** Per-call options of `checkNotifyId`. */
export interface NotifyVerifyOptions {
  /** Cancels the call (combined with config.timeoutMs). */
  signal?: AbortSignal;
}

/**
 * The ATN URL for a notify_id (protocol.md §1.2): `…/notify_query.do?partner=&notify_id=` when
 * config.notifyVerifyUrl is the legacy `notify_query.do`, else `…?service=notify_verify&partner=&notify_id=`.
 * The notify_id is percent-encoded once more, so a return's `RqPn…%2F…` goes as `%252F` (§1.2).
 * @example notifyVerifyUrl(config, 'RqPn%2Fvw') // 'https://mapi.alipay.com/gateway.do?service=notify_verify&partner=2088…&notify_id=RqPn%252Fvw'
 */
export function notifyVerifyUrl(config: Pick<ResolvedConfig, 'notifyVerifyUrl' | 'partner'>, notifyId: string): string {
  const base = config.notifyVerifyUrl;
  const path = base.split(/[?#]/, 1)[0] ?? base;
  const query = `${path.endsWith('notify_query.do') ? '' : 'service=notify_verify&'}partner=${encodeURIComponent(config.partner)}&notify_id=${encodeURIComponent(notifyId)}`;
  const joiner = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  return base + joiner + query;
}

/**
 * Asks Alipay whether a notify_id is genuine and still valid (`notify_verify`, protocol.md §4.7).
 * Resolves when the reply is `true`; otherwise throws `VerificationError` with reason
 * `notify_verify_false` (not from Alipay, expired after a minute, or already verified: a replay),
 * `notify_verify_invalid` (empty or wrong partner/notify_id), or `notify_verify_unreachable`
 * (network error, timeout after config.timeoutMs, a status other than 200, or any other reply).
 * A notify_id is single-use: check it once per message.
 * @example await checkNotifyId(config, message.notify_id)
 */
export async function checkNotifyId(config: ResolvedConfig, notifyId: string, options: NotifyVerifyOptions = {}): Promise<void> {
  const url = notifyVerifyUrl(config, notifyId);
  const signals = [AbortSignal.timeout(config.timeoutMs)];
  if (options.signal) signals.push(options.signal);
  let status: number;
  let text: string;
  try {
    const response = await config.fetch(url, { method: 'GET', signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals), redirect: 'manual' });
    status = response.status;
    text = await response.text();
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    throw new VerificationError(
      'notify_verify_unreachable',
      `notify_verify could not be asked at ${redact(url)}: ${timedOut ? `no answer within ${config.timeoutMs} ms` : describe(err)}. ` +
        'The message was not accepted; Alipay sends notifications again, so answering "fail" now loses nothing',
      { cause: err },
    );
  }
  const reply = text.trim();
  if (status === 200 && reply === 'true') return;
  if (status === 200 && reply === 'false') {
    throw new VerificationError(
      'notify_verify_false',
      `notify_verify answered "false" for notify_id ${notifyId}: the message is not from Alipay, or its notify_id was ` +
        'already verified once (a replay), or it expired (a return is valid one minute; a notification until it is ' +
        'acknowledged) (protocol.md §4.7)',
    );
  }
  if (status === 200 && reply === 'invalid') {
    throw new VerificationError(
      'notify_verify_invalid',
      `notify_verify answered "invalid": the partner ("${config.partner}") or the notify_id is empty or malformed (protocol.md §4.7)`,
    );
  }
  throw new VerificationError(
    'notify_verify_unreachable',
    `notify_verify at ${redact(url)} answered HTTP ${status} ${JSON.stringify(text.slice(0, 80))}, not true/false/invalid: is config.notifyVerifyUrl right?`,
  );
}

function redact(url: string): string {
  return url.replace(/([?&]notify_id=)[^&]*/, '$1…');
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
  }
  return String(err);
}
