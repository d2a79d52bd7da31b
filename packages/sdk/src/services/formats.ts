import { formatAlipayTime, parseAlipayTime } from '../clock.js';
import { GatewayError } from '../errors.js';
import { isAmount, toFen } from '../money.js';

/**
 * Small predicates for the value formats of protocol.md §3–4. Each returns true when the value is
 * acceptable; the schema checker (check-param.ts) turns a false into the gateway's error code.
 */

/**
 * A value's length as the Alipay docs count it: the GBK byte length, i.e. ASCII 1 and every other
 * character 2 ("subject String(256): ≤128 Chinese characters", protocol.md §4.1). Counting this way
 * gives the same answer whatever `_input_charset` the request uses.
 * @example docLength('测试ab') // 6
 */
export function docLength(text: string): number {
  let n = 0;
  for (const ch of text) n += ch.codePointAt(0)! < 0x80 ? 1 : 2;
  return n;
}

/**
 * An absolute `http://` or `https://` URL with a host and no query string: "不能加?id=123这类自定义参数"
 * (protocol.md §2.1, §3.1). Loopback and private hosts are allowed (decisions.md §20).
 */
export function urlProblem(value: string): string | undefined {
  if (/\s/.test(value)) return 'contains whitespace';
  if (!/^https?:\/\//i.test(value)) return 'is not an absolute http:// or https:// URL';
  if (value.includes('?')) return 'carries a query string ("?…"); the gateway refuses custom parameters in URLs';
  try {
    const url = new URL(value);
    if (!url.hostname) return 'has no host';
  } catch {
    return 'is not a valid URL';
  }
  return undefined;
}

/** `yyyy-MM-dd HH:mm:ss`, a real calendar time. */
export function isAlipayTime(value: string): boolean {
  const ms = parseAlipayTime(value);
  return !Number.isNaN(ms) && formatAlipayTime(ms) === value;
}

/** `yyyyMMdd`, a real calendar date. */
export function isCompactDate(value: string): boolean {
  if (!/^\d{8}$/.test(value)) return false;
  return isAlipayTime(`${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)} 00:00:00`);
}

/** A dotted-quad IPv4 address (`exter_invoke_ip`, `seller_ip`: String(15)). */
export function isIpv4(value: string): boolean {
  const parts = value.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255);
}

/** An Alipay account: an email address or an 11-digit mainland mobile number. */
export function isAccount(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) || /^1\d{10}$/.test(value);
}

/** An Alipay user id: 16 digits (`2088` + 12 digits for real accounts, decisions.md §9). */
export function isUserId(value: string): boolean {
  return /^\d{16}$/.test(value);
}

/** An Alipay trade number: 16 to 64 digits (protocol.md §3.2 "最短16位，最长64位"). */
export function isTradeNo(value: string): boolean {
  return /^\d{16,64}$/.test(value);
}

/** A yuan amount, two decimals at most, as fen; undefined when malformed. */
export function amountFen(value: string): number | undefined {
  return isAmount(value) ? toFen(value) : undefined;
}

const MINUTE_MS = 60_000;
const DAY_MS = 1440 * MINUTE_MS;
const BEIJING_OFFSET_MS = 8 * 60 * MINUTE_MS;

/** An `it_b_pay` value read: a number of minutes, or `1c` (midnight), or what is wrong with it. */
function readItBPay(value: string): { minutes: number } | { midnight: true } | { problem: string } {
  if (value === '1c') return { midnight: true };
  const m = /^([1-9]\d{0,5})([mhd])$/.exec(value);
  if (!m) return { problem: 'is not a whole number followed by m, h or d (e.g. 30m, 2h, 15d), or 1c' };
  const minutes = Number(m[1]) * (m[2] === 'm' ? 1 : m[2] === 'h' ? 60 : 1440);
  if (minutes > 15 * 1440) return { problem: 'is longer than 15d, the longest timeout the gateway allows' };
  return { minutes };
}

/**
 * An `it_b_pay` value: `1m`–`15d` in whole minutes (`m`), hours (`h`) or days (`d`), or `1c`
 * (close at midnight today). "只能是整数" — `90m`, not `1.5h` (protocol.md §4.1).
 */
export function itBPayProblem(value: string): string | undefined {
  const read = readItBPay(value);
  return 'problem' in read ? read.problem : undefined;
}

/**
 * When an unpaid trade created at `createdAtMs` closes under its `it_b_pay` (protocol.md §4.1): so
 * many minutes, hours or days later, or for `1c` at the coming 00:00 Beijing time. A malformed
 * value is `GatewayError('ILLEGAL_ARGUMENT')`, as the request check says.
 * @example itBPayDeadline('30m', 0) // 1800000
 */
export function itBPayDeadline(value: string, createdAtMs: number): number {
  const read = readItBPay(value);
  if ('problem' in read) throw new GatewayError('ILLEGAL_ARGUMENT', `it_b_pay="${value}" ${read.problem}`, { param: 'it_b_pay' });
  if ('midnight' in read) {
    const beijing = createdAtMs + BEIJING_OFFSET_MS;
    return beijing - (beijing % DAY_MS) + DAY_MS - BEIJING_OFFSET_MS;
  }
  return createdAtMs + read.minutes * MINUTE_MS;
}

const TIMEOUT_DAYS = /^(\d{1,3})(?:\.(\d{1,2}))?$/;

/** A custom escrow timeout in days (`t_s_send_1`, `t_s_send_2`, `t_b_rec_post`): a positive number of days, 2 decimals at most. */
export function isTimeoutDays(value: string): boolean {
  return TIMEOUT_DAYS.test(value) && Number(value) > 0;
}

/**
 * A custom escrow timeout in days as milliseconds, exactly (`7.5` → 7 days 12 hours; a hundredth of
 * a day is 864 s). A value that is not a positive number of days with at most two decimals is
 * `GatewayError('ILLEGAL_ARGUMENT')`, as the request check says.
 * @example timeoutDaysMs('7.5') // 648000000
 */
export function timeoutDaysMs(value: string, param = 't_b_rec_post'): number {
  const m = TIMEOUT_DAYS.exec(value);
  if (!m || !isTimeoutDays(value)) {
    throw new GatewayError('ILLEGAL_ARGUMENT', `${param}="${value}" is not a number of days: use a positive number of days, e.g. 10 or 7.5`, { param });
  }
  return Number(m[1]) * DAY_MS + Number((m[2] ?? '').padEnd(2, '0')) * (DAY_MS / 100);
}
