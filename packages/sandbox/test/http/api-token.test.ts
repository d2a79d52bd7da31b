import type { Hono } from 'hono';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import type { CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run-cli.js';
import { isLoopbackHost, startSandbox } from '../../src/cli/sandbox-command.js';
import type { AppEnv } from '../../src/routes/web-context.js';
import { forEachDialect } from '../helpers/dialects.js';
import { CookieJar, PARTNER, directPayParams, gatewayGet } from '../helpers/gateway-client.js';
import { openSandbox, stateOf, type TestSandbox } from '../helpers/sandbox-fixture.js';

const TOKEN = 'correct-horse-battery';
const OWN = 'http://sandbox.test';

let sb: TestSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

/** A CLI io whose HTTP goes to the app in process. */
function appIo(app: Hono<AppEnv>, env: Record<string, string> = {}, cwd = process.cwd()): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    env,
    cwd,
    http: async (url: string, init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }) => {
      const res = await app.request(url, { method: init.method, ...(init.headers ? { headers: init.headers } : {}), ...(init.body === undefined ? {} : { body: init.body }) });
      return { status: res.status, body: await res.text() };
    },
  };
  return io;
}

forEachDialect('--api-token', (dialect) => {
  async function open() {
    sb = await openSandbox(dialect);
    return createApp(sb.deps, { secret: 'test secret', apiToken: TOKEN });
  }

  it('lets only a Bearer token (or the dashboard cookie) into the test API', async () => {
    const app = await open();
    const none = await app.request('/sandbox/api/merchants');
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(((await none.json()) as { error: string }).error).toBe('UNAUTHORIZED');
    expect((await app.request('/sandbox/api', { headers: { authorization: 'Bearer wrong-token-here' } })).status).toBe(401);
    expect((await app.request('/sandbox/api/merchants', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
  });

  it('refuses an API action without the token and changes nothing', async () => {
    const app = await open();
    const params = directPayParams();
    await gatewayGet(app, params);
    const before = await stateOf(sb!.deps);
    const res = await app.request('/sandbox/api/pay', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ partner: PARTNER, out_trade_no: params.out_trade_no, buyer: 'buyer@sandbox.test' }),
    });
    expect(res.status).toBe(401);
    const clock = await app.request('/clock/advance', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: OWN }, body: 'duration=30d' });
    expect(clock.status).toBe(401);
    expect(await stateOf(sb!.deps)).toBe(before);
  });

  it('opens the dashboard once the token was given as ?token=, then by cookie; the gateway and consoles stay open', async () => {
    const app = await open();
    const door = await app.request('/trades');
    expect(door.status).toBe(401);
    expect(await door.text()).toContain('name="token"');
    expect((await app.request('/trades?token=nope')).status).toBe(401);
    const given = await app.request('/trades?status=WAIT_BUYER_PAY&token=' + TOKEN);
    expect(given.status).toBe(303);
    expect(given.headers.get('location')).toBe('/trades?status=WAIT_BUYER_PAY');
    const jar = new CookieJar();
    jar.store(given);
    expect((await app.request('/trades', { headers: jar.header() })).status).toBe(200);
    // The live view's stream, where a browser cannot add a header, takes the cookie.
    expect((await app.request('/sandbox/api/clock', { headers: jar.header() })).status).toBe(200);
    // A cookie of another token (or another secret) opens nothing.
    const other = createApp(sb!.deps, { secret: 'test secret', apiToken: 'another-token-123' });
    expect((await other.request('/trades', { headers: jar.header() })).status).toBe(401);
    expect((await gatewayGet(app, directPayParams())).status).toBe(303);
    expect((await app.request('/seller')).status).toBe(200);
  });

  it('the admin commands send --api-token (or $SANDBOX_API_TOKEN)', async () => {
    const app = await open();
    const without = appIo(app);
    expect(await runCli(['clock', '--url', 'http://127.0.0.1:7000'], without)).toBe(1);
    expect(without.err).toContain('UNAUTHORIZED');
    const flag = appIo(app);
    expect(await runCli(['clock', '--url', 'http://127.0.0.1:7000', '--api-token', TOKEN], flag)).toBe(0);
    expect(flag.out).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    const env = appIo(app, { SANDBOX_API_TOKEN: TOKEN });
    expect(await runCli(['trades', '--url', 'http://127.0.0.1:7000'], env)).toBe(0);
  });
});

describe('listening beyond loopback', () => {
  // The banner writes the key files into the data folder: a folder of the test's own.
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'alipay-token-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('knows loopback addresses', () => {
    expect(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.5', 'example.test'].some(isLoopbackHost)).toBe(false);
  });

  it('warns that the sandbox has no authentication, unless given a token', async () => {
    for (const [args, expected] of [
      [[], 'has no authentication'],
      [['--api-token', TOKEN], 'need the API token'],
    ] as const) {
      const io = appIo(undefined as unknown as Hono<AppEnv>, {}, dir);
      const running = await startSandbox(['--host', '0.0.0.0', '--port', '0', '--db', ':memory:', '--quiet', ...args], io);
      await running.stop();
      expect(io.err).toContain('warning: listening on 0.0.0.0');
      expect(io.err).toContain(expected);
    }
    const quiet = appIo(undefined as unknown as Hono<AppEnv>, {}, dir);
    const loopback = await startSandbox(['--port', '0', '--db', ':memory:', '--quiet'], quiet);
    await loopback.stop();
    expect(quiet.err).not.toContain('warning');
  });

  it('refuses a token too short to protect anything', async () => {
    const io = appIo(undefined as unknown as Hono<AppEnv>, {}, dir);
    expect(await runCli(['sandbox', '--db', ':memory:', '--api-token', 'short'], io)).toBe(2);
    expect(io.err).toContain('--api-token must be');
  });
});
