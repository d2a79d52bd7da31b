import { parseArgs } from 'node:util';
import { DURATION_HINT, readDuration } from '../time-input.js';
import { UsageError, type CliIo } from './io.js';

/**
 * Commands for scripts that talk to a running sandbox over its JSON API (`--url`, default
 * `$ALIPAY_SANDBOX_URL` or http://127.0.0.1:7000): move the clock, list trades and notifications,
 * pay an order as a buyer.
 */

export const URL_OPTION = { url: { type: 'string' }, 'api-token': { type: 'string' } } as const;

/** A running sandbox as the commands reach it: its address, and the API token it was started with. */
export interface Target {
  base: string;
  token?: string;
}

/** `--url` (default `$ALIPAY_SANDBOX_URL` or http://127.0.0.1:7000) and `--api-token` (default `$SANDBOX_API_TOKEN`). */
export function targetOf(io: CliIo, values: { url?: string | undefined; 'api-token'?: string | undefined }): Target {
  const base = (values.url ?? io.env.ALIPAY_SANDBOX_URL ?? 'http://127.0.0.1:7000').replace(/\/+$/, '');
  const token = values['api-token'] ?? (io.env.SANDBOX_API_TOKEN || undefined);
  return token ? { base, token } : { base };
}

/** The headers that carry the API token, if any. */
export function authHeaders(target: Target): Record<string, string> {
  return target.token ? { authorization: `Bearer ${target.token}` } : {};
}

export async function call(io: CliIo, target: Target, method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
  const { base } = target;
  let res: { status: number; body: string };
  try {
    res = await io.http(`${base}/sandbox/api${path}`, {
      method,
      headers: { ...authHeaders(target), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (err) {
    throw new Error(`cannot reach the sandbox at ${base} (${(err as Error).message}): is it running (npx alipay-legacy-sandbox)? --url points elsewhere`);
  }
  const text = res.body;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error(`${base} answered ${res.status} with something that is not JSON: is --url a sandbox?`);
  }
  if (res.status < 200 || res.status > 299) {
    const e = data as { error?: string; message?: string };
    const code = e.error ?? String(res.status);
    // The sandbox's messages already start with their code (CODE: what to fix).
    throw new Error(e.message === undefined ? `${code}: ${text}` : e.message.startsWith(code) ? e.message : `${code}: ${e.message}`);
  }
  return data;
}

/**
 * A duration: plain seconds, or a number with s, m, h or d.
 * @example parseDuration('2h') // 7200
 */
export function parseDuration(text: string): number {
  const seconds = readDuration(text);
  if (seconds === undefined) throw new UsageError(`"${text}" is not a duration: ${DURATION_HINT}`);
  return seconds;
}

export async function clockCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: URL_OPTION, allowPositionals: true });
  const base = targetOf(io, values);
  if (positionals[0] === 'advance') {
    if (positionals.length !== 2) throw new UsageError('usage: alipay-legacy clock advance SECONDS [--url URL]');
    const result = (await call(io, base, 'POST', '/clock/advance', { seconds: parseDuration(positionals[1]!) })) as { time: string };
    io.stdout(`${result.time}\n`);
    return 0;
  }
  if (positionals.length === 0 || positionals[0] === 'now') {
    const result = (await call(io, base, 'GET', '/clock')) as { time: string; offset_ms: number };
    io.stdout(`${result.time} (offset ${Math.round(result.offset_ms / 1000)} s)\n`);
    return 0;
  }
  throw new UsageError('usage: alipay-legacy clock [now | advance SECONDS] [--url URL]');
}

interface TradeRow {
  trade_no: string;
  out_trade_no: string;
  service: string;
  total_fee: string;
  trade_status: string;
  refund_status: string | null;
  subject: string;
}

export async function tradesCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { ...URL_OPTION, 'out-trade-no': { type: 'string' }, partner: { type: 'string' }, json: { type: 'boolean' } },
  });
  const query = new URLSearchParams();
  if (values['out-trade-no']) query.set('out_trade_no', values['out-trade-no']);
  if (values.partner) query.set('partner', values.partner);
  const trades = (await call(io, targetOf(io, values), 'GET', `/trades${query.size ? `?${query}` : ''}`)) as TradeRow[];
  if (values.json) {
    io.stdout(`${JSON.stringify(trades, null, 2)}\n`);
    return 0;
  }
  if (trades.length === 0) io.stdout('no trades\n');
  for (const t of trades) {
    io.stdout(`${t.trade_no}  ${t.out_trade_no}  ${t.trade_status}${t.refund_status ? `/${t.refund_status}` : ''}  ${t.total_fee}  ${t.service}  ${t.subject}\n`);
  }
  return 0;
}

interface NotificationRow {
  id: number;
  trade_no: string | null;
  batch_no: string | null;
  notify_type: string;
  state: string;
  url: string;
  next_attempt_at: string | null;
  params: Record<string, string>;
  attempts: Array<{ number: number; started_at: string; http_status: number | null; error: string | null; response_body: string | null; duration_ms: number | null }>;
}

export async function notificationsCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...URL_OPTION,
      'out-trade-no': { type: 'string' },
      'trade-no': { type: 'string' },
      partner: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const query = new URLSearchParams();
  if (values['out-trade-no']) query.set('out_trade_no', values['out-trade-no']);
  if (values['trade-no']) query.set('trade_no', values['trade-no']);
  if (values.partner) query.set('partner', values.partner);
  const list = (await call(io, targetOf(io, values), 'GET', `/notifications${query.size ? `?${query}` : ''}`)) as NotificationRow[];
  if (values.json) {
    io.stdout(`${JSON.stringify(list, null, 2)}\n`);
    return 0;
  }
  if (list.length === 0) io.stdout('no notifications\n');
  for (const n of list) {
    const status = [n.params.trade_status, n.params.refund_status].filter(Boolean).join('/');
    io.stdout(`#${n.id} ${n.trade_no ?? n.batch_no} ${n.notify_type} ${status} → ${n.url}: ${n.state}${n.state === 'retrying' ? ` (next ${n.next_attempt_at})` : ''}\n`);
    for (const a of n.attempts) {
      const outcome = a.http_status !== null ? `HTTP ${a.http_status} ${JSON.stringify((a.response_body ?? '').slice(0, 40))}` : (a.error ?? 'in flight');
      io.stdout(`    attempt ${a.number} at ${a.started_at}: ${outcome}${a.duration_ms !== null ? ` (${a.duration_ms} ms)` : ''}\n`);
    }
  }
  return 0;
}

export async function payCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...URL_OPTION,
      'out-trade-no': { type: 'string' },
      partner: { type: 'string' },
      buyer: { type: 'string', default: 'buyer@sandbox.test' },
      method: { type: 'string' },
      logistics: { type: 'string' },
    },
  });
  if (!values['out-trade-no']) throw new UsageError('usage: alipay-legacy pay --out-trade-no X [--partner ID] [--buyer LOGIN] [--method instant|escrow] [--logistics 0|1|2]');
  const base = targetOf(io, values);
  const partner = await partnerOrOnly(io, base, values.partner);
  const result = await call(io, base, 'POST', '/pay', {
    partner,
    out_trade_no: values['out-trade-no'],
    buyer: values.buyer,
    ...(values.method ? { method: values.method } : {}),
    ...(values.logistics !== undefined ? { logistics: Number(values.logistics) } : {}),
  });
  io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  return 0;
}

/** `--partner` when given, else the sandbox's only merchant. */
export async function partnerOrOnly(io: CliIo, base: Target, partner: string | undefined): Promise<string> {
  if (partner) return partner;
  const merchants = (await call(io, base, 'GET', '/merchants')) as Array<{ partner: string }>;
  if (merchants.length !== 1) throw new UsageError('the sandbox has several merchants: pass --partner');
  return merchants[0]!.partner;
}
