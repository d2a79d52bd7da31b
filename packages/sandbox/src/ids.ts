import { randomBytes, randomInt } from 'node:crypto';
import { formatAlipayTime } from 'alipay-legacy';

/** Identifier formats (decisions.md §9, §16; protocol.md §3.2). All random, from node:crypto. */

const DIGITS = '0123456789';
const LOWER_ALNUM = '0123456789abcdefghijklmnopqrstuvwxyz';
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function pick(alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[randomInt(alphabet.length)]!;
  return out;
}

/** yyyyMMdd in Beijing time. */
export function beijingDate(ms: number): string {
  return formatAlipayTime(ms).slice(0, 10).replaceAll('-', '');
}

/** `trade_no`: 28 digits, the Beijing date + 20 digits (decisions.md §9). */
export function newTradeNo(nowMs: number): string {
  return beijingDate(nowMs) + pick(DIGITS, 20);
}

/** A user id: `2088` + 12 digits (decisions.md §9). */
export function newUserId(): string {
  return '2088' + pick(DIGITS, 12);
}

/**
 * An async notification's notify_id: 34 characters of [0-9a-z], as real ones (32 hex + 2, e.g.
 * `1d583bc9cf21ed879bcd428fd53ed5e16w`, protocol.md §3.2).
 */
export function newAsyncNotifyId(): string {
  return randomBytes(16).toString('hex') + pick(LOWER_ALNUM, 2);
}

/**
 * A return's notify_id, as real returns carried it: base64-like text that already contains percent
 * escapes (`RqPnCoPT3K9%2Fvwbh…`, protocol.md §2.1, §3.2). The `%2F`/`%2B` are part of the value:
 * the sign covers them literally and the URL carries them as `%252F`.
 */
export function newReturnNotifyId(): string {
  const b64 = 'RqPnCoPT3K9/vwbh3In' + randomBytes(39).toString('base64').replace(/=+$/, '');
  return b64.replaceAll('/', '%2F').replaceAll('+', '%2B');
}

/** A quick-login token: 40 characters like `20170516dc13a31c01ba44b09df31ebe53486X86` (protocol.md §4.5). */
export function newToken(nowMs: number): string {
  return beijingDate(nowMs) + randomBytes(15).toString('hex').slice(0, 29) + 'X' + pick(DIGITS, 2);
}

/** A query_timestamp encrypt_key, like the real `KPrzY9IGG9iM9PgLGw==` (protocol.md §4.8). */
export function newEncryptKey(): string {
  return randomBytes(14).toString('base64');
}

/** A process-unique worker id for the dispatcher. */
export function newWorkerId(): string {
  return `w-${process.pid}-${pick(ALNUM, 8)}`;
}
