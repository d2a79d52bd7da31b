import { formatAlipayTime, parseAlipayTime } from 'alipay-legacy';

/**
 * A Beijing time as people type it — `2026-11-22 10:00:00`, without the seconds, with a `T` (as a
 * datetime-local field sends it), or a date alone (its 00:00) — in epoch ms; undefined when it is
 * not one or names no real day.
 * @example readBeijingTime('2026-11-22 10:00') // the ms of 2026-11-22 10:00:00 Beijing time
 */
export function readBeijingTime(text: string): number | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(:\d{2})?)?$/.exec(text.trim());
  if (!m) return undefined;
  const normal = `${m[1]} ${m[2] ?? '00:00'}${m[3] ?? ':00'}`;
  const ms = parseAlipayTime(normal);
  // Date.UTC carries 2026-02-30 over into March: such a day does not exist.
  return Number.isFinite(ms) && formatAlipayTime(ms) === normal ? ms : undefined;
}
