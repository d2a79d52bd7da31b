/**
 * Time is a dependency: everything that reads the time takes a clock, so tests can set it.
 * @example createClient({ partner, key, clock: { now: () => Date.UTC(2015, 0, 1) } })
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/**
 * The machine's clock, the default of `createClient`'s `clock`.
 * @example formatAlipayTime(systemClock.now()) // now, in Beijing time
 */
export const systemClock: Clock = { now: () => Date.now() };

const BEIJING_OFFSET_MS = 8 * 3600_000;

/**
 * Formats a time as Alipay does: Beijing time (UTC+8), `yyyy-MM-dd HH:mm:ss` (decisions.md §9).
 * @example formatAlipayTime(Date.UTC(2015, 0, 1, 0, 0, 0)) // '2015-01-01 08:00:00'
 */
export function formatAlipayTime(ms: number): string {
  const d = new Date(ms + BEIJING_OFFSET_MS);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

/**
 * Reads an Alipay time (Beijing time) back into epoch milliseconds; NaN when malformed.
 * @example parseAlipayTime('2015-01-01 08:00:00') // 1420070400000
 */
export function parseAlipayTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return Number.NaN;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) - BEIJING_OFFSET_MS;
}
