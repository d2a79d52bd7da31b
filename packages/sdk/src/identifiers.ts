import { randomBytes, randomInt } from 'node:crypto';
import { formatAlipayTime } from './clock.js';

/**
 * The shapes of the identifiers Alipay hands out (decisions.md §9, §16, §18; protocol.md §3.2,
 * §4.5, §4.8), for whoever has to make new ones: the sandbox, and `alipay-legacy/testing`. All
 * random, from node:crypto.
 */

const DIGITS = '0123456789';
const LOWER_ALNUM = '0123456789abcdefghijklmnopqrstuvwxyz';

function pick(alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[randomInt(alphabet.length)]!;
  return out;
}

/**
 * The date in Beijing time as `yyyyMMdd` (decisions.md §9), the head of trade numbers, tokens and
 * refund `batch_no`s.
 * @example beijingDate(Date.UTC(2015, 4, 18, 16, 0, 0)) // '20150519'
 */
export function beijingDate(ms: number): string {
  return formatAlipayTime(ms).slice(0, 10).replace(/-/g, '');
}

/**
 * A new `trade_no`: 28 digits, the Beijing date + 20 digits (decisions.md §9).
 * @example newTradeNo(Date.now()) // '2015051900001000980052833539'
 */
export function newTradeNo(nowMs: number): string {
  return beijingDate(nowMs) + pick(DIGITS, 20);
}

/**
 * A new user id: `2088` + 12 digits (decisions.md §9).
 * @example newUserId() // '2088627882813857'
 */
export function newUserId(): string {
  return '2088' + pick(DIGITS, 12);
}

/**
 * A new asynchronous notification's `notify_id`: 34 characters of `[0-9a-z]`, 32 hex + 2, as real
 * ones are (protocol.md §3.2; decisions.md §9).
 * @example newNotifyId() // '1d583bc9cf21ed879bcd428fd53ed5e16w'
 */
export function newNotifyId(): string {
  return randomBytes(16).toString('hex') + pick(LOWER_ALNUM, 2);
}

/**
 * A new return's `notify_id`, as real returns carried it: base64-like text that already contains
 * percent escapes (`RqPnCoPT3K9%2Fvwbh…`, protocol.md §2.1, §3.2). The `%2F`/`%2B` are part of the
 * value: the sign covers them literally and a URL carries them as `%252F`, so the value survives
 * exactly one decode.
 * @example newReturnNotifyId() // 'RqPnCoPT3K9%2Fvwbh3InYzfHVJnsAXx47glUDgzAAXdqKLUBxzxXLJF8jNg%2BY8Dm56Ps3'
 */
export function newReturnNotifyId(): string {
  const b64 = 'RqPnCoPT3K9/vwbh3In' + randomBytes(39).toString('base64').replace(/=+$/, '');
  return b64.replace(/\//g, '%2F').replace(/\+/g, '%2B');
}

/**
 * A new quick-login `token`: 40 characters, the Beijing date + 29 hex + `X` + 2 digits, like
 * `20170516dc13a31c01ba44b09df31ebe53486X86` (protocol.md §4.5).
 * @example newQuickLoginToken(Date.now()) // '20170516dc13a31c01ba44b09df31ebe53486X86'
 */
export function newQuickLoginToken(nowMs: number): string {
  return beijingDate(nowMs) + randomBytes(15).toString('hex').slice(0, 29) + 'X' + pick(DIGITS, 2);
}

/**
 * A new `query_timestamp` `encrypt_key`, like the real `KPrzY9IGG9iM9PgLGw==` (protocol.md §4.8).
 * @example newEncryptKey() // 'udrQD6ESOeoZM8SnWM4='
 */
export function newEncryptKey(): string {
  return randomBytes(14).toString('base64');
}
