/**
 * A duration as people type it: plain seconds, or a number with s, m, h or d. Undefined when the
 * text is not one.
 * @example readDuration('2h') // 7200
 */
export function readDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([smhd]?)$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/** What `readDuration` accepts, for error messages. */
export const DURATION_HINT = 'use seconds (90) or a number with s, m, h or d (2m, 1h, 10d)';

/**
 * A number of seconds as the shortest of 90 s, 2 min, 1 h 30 min, 10 d.
 * @example formatDuration(5400) // '1 h 30 min'
 */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const parts: string[] = [];
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days) parts.push(`${days} d`);
  if (hours) parts.push(`${hours} h`);
  if (minutes) parts.push(`${minutes} min`);
  if (days === 0 && hours === 0 && s % 60) parts.push(`${s % 60} s`);
  return parts.join(' ');
}
