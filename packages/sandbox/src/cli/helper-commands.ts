import { parseArgs } from 'node:util';
import { readBeijingTime } from '../beijing-time.js';
import { formatDuration, readDuration } from '../time-input.js';
import { URL_OPTION, call, parseDuration, partnerOrOnly, targetOf } from './admin-commands.js';
import { UsageError, type CliIo } from './io.js';

/**
 * More commands over a running sandbox's test API: delivery faults, resending and recovering
 * notifications, and a quick-login return without the browser.
 */

interface FaultView {
  kind: string;
  seconds?: number;
  count?: number;
}

function faultLine(partner: string, f: FaultView): string {
  if (f.kind === 'none') return `${partner}  none\n`;
  const left = f.count === undefined ? 'until cleared' : `${f.count} left`;
  return `${partner}  ${f.kind}${f.seconds !== undefined ? ` ${formatDuration(f.seconds)}` : ''}  (${left})\n`;
}

/** `faults [list] | set KIND [--count N] [--seconds DURATION] | clear`, per merchant. */
export async function faultsCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...URL_OPTION, partner: { type: 'string' }, count: { type: 'string' }, seconds: { type: 'string' }, json: { type: 'boolean' } },
    allowPositionals: true,
  });
  const target = targetOf(io, values);
  const [action = 'list', kind, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  if (action === 'list') {
    if (kind !== undefined) throw new UsageError(`unexpected argument "${kind}"`);
    const partners = values.partner ? [values.partner] : ((await call(io, target, 'GET', '/merchants')) as Array<{ partner: string }>).map((m) => m.partner);
    const faults = await Promise.all(partners.map(async (p) => ({ partner: p, fault: (await call(io, target, 'GET', `/faults/${encodeURIComponent(p)}`)) as FaultView })));
    if (values.json) io.stdout(`${JSON.stringify(faults, null, 2)}\n`);
    else for (const f of faults) io.stdout(faultLine(f.partner, f.fault));
    return 0;
  }
  if (action !== 'set' && action !== 'clear') throw new UsageError(`unknown action "${action}": list, set or clear`);
  if (action === 'set' && kind === undefined) throw new UsageError('faults set needs a kind: drop, delay, duplicate, bad_sign…');
  if (action === 'clear' && kind !== undefined) throw new UsageError(`unexpected argument "${kind}"`);
  const partner = await partnerOrOnly(io, target, values.partner);
  const count = values.count === undefined ? undefined : Number(values.count);
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) throw new UsageError('--count must be a whole number from 1');
  const fault = (await call(io, target, 'POST', '/faults', {
    partner,
    kind: action === 'clear' ? 'none' : kind,
    ...(count !== undefined ? { count } : {}),
    ...(values.seconds !== undefined ? { seconds: parseDuration(values.seconds) } : {}),
  })) as FaultView;
  io.stdout(values.json ? `${JSON.stringify({ partner, fault }, null, 2)}\n` : faultLine(partner, fault));
  return 0;
}

/** `resend ID`: the notification sent again, as a new one. */
export async function resendCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...URL_OPTION, json: { type: 'boolean' } }, allowPositionals: true });
  if (positionals.length !== 1 || !/^\d+$/.test(positionals[0]!)) throw new UsageError('resend takes one notification id (a number: see `notifications`)');
  const replay = (await call(io, targetOf(io, values), 'POST', `/notifications/${positionals[0]}/replay`)) as { id: number; replay_of: number; notify_id: string; state: string };
  io.stdout(values.json ? `${JSON.stringify(replay, null, 2)}\n` : `#${replay.id} replays #${replay.replay_of}: notify_id ${replay.notify_id}, ${replay.state}\n`);
  return 0;
}

/**
 * `--since`: a Beijing time (`2026-11-22 10:00:00`, or a date), or a duration meaning that long
 * before the sandbox's now (`1d`, `6h`), as epoch ms for the API.
 */
async function sinceOf(io: CliIo, target: ReturnType<typeof targetOf>, text: string): Promise<number> {
  const at = readBeijingTime(text);
  if (at !== undefined) return at;
  const seconds = readDuration(text);
  if (seconds === undefined) throw new UsageError(`--since "${text}" is neither a Beijing time (2026-11-22 10:00:00) nor a duration ago (90, 2m, 1h, 10d)`);
  const { now } = (await call(io, target, 'GET', '/clock')) as { now: number };
  return now - Math.round(seconds * 1000);
}

/** `recover --since TIME [--partner ID]`: every given-up notification since then, sent again. */
export async function recoverCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...URL_OPTION, since: { type: 'string' }, partner: { type: 'string' }, json: { type: 'boolean' } } , allowPositionals: true });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values.since) throw new UsageError('recover needs --since TIME (a Beijing time, or a duration ago such as 1d)');
  const target = targetOf(io, values);
  const since = await sinceOf(io, target, values.since);
  const result = (await call(io, target, 'POST', '/notifications/recover', { since, ...(values.partner ? { partner: values.partner } : {}) })) as {
    since: string;
    count: number;
    more: boolean;
    recovered: Array<{ id: number; replay_of: number; trade_no: string | null; state: string }>;
  };
  if (values.json) {
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  }
  io.stdout(`${result.count} given-up notification${result.count === 1 ? '' : 's'} since ${result.since} sent again${result.more ? ' (more left: run it again)' : ''}\n`);
  for (const r of result.recovered) io.stdout(`  #${r.id} replays #${r.replay_of}  ${r.trade_no ?? ''}  ${r.state}\n`);
  return 0;
}

/** `authorize --buyer LOGIN --return-url URL`: the signed quick-login return, without the browser. */
export async function authorizeCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...URL_OPTION,
      partner: { type: 'string' },
      buyer: { type: 'string', default: 'buyer@sandbox.test' },
      'return-url': { type: 'string' },
      'target-url': { type: 'string' },
      charset: { type: 'string' },
      'sign-type': { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  if (!values['return-url']) throw new UsageError('authorize needs --return-url URL (your quick-login return page)');
  const target = targetOf(io, values);
  const partner = await partnerOrOnly(io, target, values.partner);
  const result = (await call(io, target, 'POST', '/authorize', {
    partner,
    buyer: values.buyer,
    return_url: values['return-url'],
    ...(values['target-url'] ? { target_url: values['target-url'] } : {}),
    ...(values.charset ? { charset: values.charset } : {}),
    ...(values['sign-type'] ? { sign_type: values['sign-type'] } : {}),
  })) as { return_url: string };
  io.stdout(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${result.return_url}\n`);
  return 0;
}
