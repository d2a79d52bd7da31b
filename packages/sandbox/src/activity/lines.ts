import type { Activity, AttemptActivity, RequestActivity, TradeActivity } from './activity.js';

/**
 * One terminal line per activity item, as `alipay-legacy-sandbox` prints them and `listen`
 * streams them. Loaded by `listen` without the server, so it imports nothing else of the sandbox.
 */

export interface LineOptions {
  /** ANSI colours (on a terminal, unless NO_COLOR is set). */
  color: boolean;
}

type Paint = (code: number, text: string) => string;

const RESET = '\u001b[0m';

/** The longest part of a merchant's answer shown on a line. */
const BODY_CHARS = 60;

/**
 * Control characters (C0, DEL, C1) as `\u…` text. A line carries what callers and merchants sent
 * (a service name, an out_trade_no, a merchant's answer, an error): printed as they came, an escape
 * sequence in them would drive the terminal (move the cursor, retitle the window, clear the screen).
 */
export function visible(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The item with every text field made visible; the merchant's answer is quoted as JSON on its line instead. */
function visibleFields<T extends Activity>(item: T): T {
  const out: Record<string, unknown> = { ...item };
  for (const [key, value] of Object.entries(out)) if (typeof value === 'string' && key !== 'response_body') out[key] = visible(value);
  return out as T;
}

export function formatActivity(item: Activity, options: LineOptions): string {
  const activity = visibleFields(item);
  const paint: Paint = options.color ? (code, text) => `\u001b[${code}m${text}${RESET}` : (_code, text) => text;
  // Month, day and time: the sandbox's clock may have been advanced by days.
  const when = paint(2, activity.time.slice(5));
  if (activity.type === 'request') return `${when}  ${requestLine(activity, paint)}`;
  if (activity.type === 'trade') return `${when}  ${tradeLine(activity, paint)}`;
  return `${when}  ${attemptLine(activity, paint)}`;
}

function requestLine(r: RequestActivity, paint: Paint): string {
  const ok = r.result === 'OK' || r.result === 'true';
  const parts = [paint(36, 'gateway '), r.service ?? '(no service)'];
  if (r.out_trade_no) parts.push(r.out_trade_no);
  parts.push(paint(ok ? 32 : r.result === 'false' ? 33 : 31, r.result));
  if (r.trade_no) parts.push(`→ trade ${r.trade_no}`);
  parts.push(paint(2, `${r.http_status}, ${r.duration_ms} ms`));
  return parts.join('  ');
}

function tradeLine(t: TradeActivity, paint: Paint): string {
  const status = t.from_status === null || t.from_status === t.to_status ? t.to_status : `${t.from_status} → ${t.to_status}`;
  const parts = [paint(35, 'trade   '), t.out_trade_no, paint(1, status)];
  if (t.refund_status) parts.push(`refund ${t.refund_status}`);
  parts.push(paint(2, `${t.kind.replaceAll('_', ' ')} (${t.actor}), ${t.trade_no}`));
  return parts.join('  ');
}

function attemptLine(a: AttemptActivity, paint: Paint): string {
  const subject = a.out_trade_no ?? a.batch_no ?? a.trade_no ?? '';
  const said = [a.trade_status, a.refund_status].filter(Boolean).join('/');
  // JSON quotes C0 controls already; DEL and C1 are made visible after.
  const answer = a.http_status !== null ? `HTTP ${a.http_status} ${visible(JSON.stringify((a.response_body ?? '').slice(0, BODY_CHARS)))}` : (a.error ?? 'no answer');
  const parts = [paint(34, 'notify  '), `#${a.notification_id}${a.replay_of !== null ? ` (replay of #${a.replay_of})` : ''}`, subject, `${a.notify_type}${said ? ` ${said}` : ''}`];
  parts.push(`attempt ${a.number} → ${paint(a.acknowledged ? 32 : 31, answer)}`);
  if (a.duration_ms !== null) parts.push(paint(2, `${a.duration_ms} ms`));
  if (a.state === 'acknowledged') parts.push(paint(32, 'acknowledged'));
  else if (a.state === 'retrying') parts.push(paint(33, `retrying${a.next_attempt_time ? `, next ${a.next_attempt_time.slice(5)}` : ''}`));
  else parts.push(paint(31, a.state === 'given_up' ? 'given up' : a.state));
  if (a.warning) parts.push(paint(33, `warning: ${a.warning}`));
  if (a.fault) parts.push(paint(33, `[fault: ${a.fault}]`));
  return parts.join('  ');
}

/** Whether to colour lines written to this stream: a terminal, unless NO_COLOR says otherwise (FORCE_COLOR forces). */
export function wantsColor(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}
