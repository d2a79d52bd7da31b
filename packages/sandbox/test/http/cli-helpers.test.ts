import { verifySign } from 'alipay-legacy/protocol';
import type { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run-cli.js';
import type { AppEnv } from '../../src/routes/web-context.js';
import { getFault, listNotifications } from '../../src/services/index.js';
import { forEachDialect } from '../helpers/dialects.js';
import { KEY, PARTNER, directPayParams, gatewayGet, queryOf } from '../helpers/gateway-client.js';
import { openSandbox, recordingFetch, stateOf, type TestSandbox } from '../helpers/sandbox-fixture.js';

const URL = 'http://127.0.0.1:7000';

let sb: TestSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

/** The command's io, its HTTP answered by the app in process (as a running sandbox would). */
function appIo(app?: Hono<AppEnv>): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    env: {},
    cwd: process.cwd(),
    http: async (url: string, init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }) => {
      if (!app) throw new Error('connect ECONNREFUSED');
      const res = await app.request(url, { method: init.method, ...(init.headers ? { headers: init.headers } : {}), ...(init.body === undefined ? {} : { body: init.body }) });
      return { status: res.status, body: await res.text() };
    },
  };
  return io;
}

async function cli(s: TestSandbox | undefined, ...args: string[]) {
  const io = appIo(s?.app);
  const status = await runCli([...args, '--url', URL], io);
  return { status, out: io.out, err: io.err };
}

/** A paid trade whose merchant answers 500 until the schedule gives up. */
async function givenUp(s: TestSandbox): Promise<number> {
  const params = directPayParams();
  await gatewayGet(s.app, params);
  await s.app.request('/sandbox/api/pay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ partner: PARTNER, out_trade_no: params.out_trade_no, buyer: 'buyer@sandbox.test' }) });
  await s.deps.clock.advance(2 * 86_400);
  const [n] = await listNotifications(s.deps, { outTradeNo: params.out_trade_no! });
  expect(n?.state).toBe('given_up');
  return n!.id;
}

forEachDialect('the helper commands', (dialect) => {
  it('faults: set with a count, list, clear', async () => {
    sb = await openSandbox(dialect);
    const set = await cli(sb, 'faults', 'set', 'delay', '--seconds', '2m', '--count', '3');
    expect(set.status).toBe(0);
    expect(set.out).toBe(`${PARTNER}  delay 2 min  (3 left)\n`);
    expect(await getFault(sb.deps, PARTNER)).toEqual({ kind: 'delay', seconds: 120, count: 3 });
    expect((await cli(sb, 'faults')).out).toBe(`${PARTNER}  delay 2 min  (3 left)\n`);
    expect((await cli(sb, 'faults', 'clear')).out).toBe(`${PARTNER}  none\n`);
    expect(await getFault(sb.deps, PARTNER)).toEqual({ kind: 'none' });
  });

  it('faults: refuses an unknown kind or action and changes nothing', async () => {
    sb = await openSandbox(dialect);
    const kind = await cli(sb, 'faults', 'set', 'explode');
    expect(kind.status).toBe(1);
    expect(kind.err).toContain('ILLEGAL_ARGUMENT');
    expect((await cli(sb, 'faults', 'wreck')).status).toBe(2);
    expect((await cli(sb, 'faults', 'set', 'drop', '--count', 'many')).status).toBe(2);
    expect(await getFault(sb.deps, PARTNER)).toEqual({ kind: 'none' });
  });

  it('resend: the notification again, as a new one', async () => {
    sb = await openSandbox(dialect, { fetch: recordingFetch(() => new Response('fail', { status: 500 })).fetch });
    const id = await givenUp(sb);
    const res = await cli(sb, 'resend', String(id));
    expect(res.status).toBe(0);
    expect(res.out).toMatch(new RegExp(`^#\\d+ replays #${id}: notify_id \\w+, pending\\n$`));
    expect(await listNotifications(sb.deps)).toHaveLength(2);
    const before = await stateOf(sb.deps);
    expect((await cli(sb, 'resend', '999999')).status).toBe(1);
    expect((await cli(sb, 'resend', 'abc')).status).toBe(2);
    expect(await stateOf(sb.deps)).toBe(before);
  });

  it('recover --since: a duration ago or a Beijing time; the second run recovers nothing', async () => {
    sb = await openSandbox(dialect, { fetch: recordingFetch(() => new Response('fail', { status: 500 })).fetch });
    const id = await givenUp(sb);
    const first = await cli(sb, 'recover', '--since', '3d');
    expect(first.status).toBe(0);
    expect(first.out).toMatch(new RegExp(`^1 given-up notification since .+ sent again\\n  #\\d+ replays #${id}  \\d{28}  pending\\n$`));
    expect((await cli(sb, 'recover', '--since', '2020-01-01 00:00:00')).out).toMatch(/^0 given-up notifications since 2020-01-01 00:00:00 sent again\n$/);
    const bad = await cli(sb, 'recover', '--since', 'yesterday-ish');
    expect(bad.status).toBe(2);
    expect(bad.err).toContain('neither a Beijing time');
    expect((await cli(sb, 'recover')).status).toBe(2);
  });

  it('authorize: prints the signed quick-login return', async () => {
    sb = await openSandbox(dialect);
    const res = await cli(sb, 'authorize', '--return-url', 'http://127.0.0.1:9/login', '--target-url', 'http://127.0.0.1:9/item/1');
    expect(res.status).toBe(0);
    const params = queryOf(res.out.trim());
    expect(verifySign(params, params.sign, { key: KEY }).valid).toBe(true);
    expect(params).toMatchObject({ is_success: 'T', user_id: expect.stringMatching(/^2088\d{12}$/), target_url: 'http://127.0.0.1:9/item/1' });
    expect((await cli(sb, 'authorize')).status).toBe(2);
    const unknown = await cli(sb, 'authorize', '--return-url', 'http://127.0.0.1:9/login', '--buyer', 'nobody@sandbox.test');
    expect(unknown.status).toBe(1);
    expect(unknown.err).toContain('NOT_FOUND');
  });
});

describe('--help', () => {
  it('answers for every command, with its options, and without reaching a sandbox', async () => {
    const overview = appIo();
    expect(await runCli(['--help'], overview)).toBe(0);
    const names = ['sandbox', 'sign', 'verify', 'clock', 'trades', 'notifications', 'pay', 'faults', 'resend', 'recover', 'authorize', 'listen', 'check-merchant'];
    for (const name of names) expect(overview.out).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    for (const name of names) {
      for (const flag of ['--help', '-h']) {
        const io = appIo();
        expect(await runCli([name, flag], io), `${name} ${flag}`).toBe(0);
        expect(io.out).toMatch(new RegExp(`^usage: alipay-legacy(-sandbox)? ${name} `));
        if (name !== 'sign' && name !== 'verify') expect(io.out.split('\n').length, name).toBeGreaterThan(4);
      }
    }
    // After other arguments too, as typed at the end of a command line.
    const late = appIo();
    expect(await runCli(['clock', 'advance', '2h', '--help'], late)).toBe(0);
    expect(late.out).toContain('advance DURATION');
  });
});
