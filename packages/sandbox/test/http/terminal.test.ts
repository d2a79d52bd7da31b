import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SEED_BUYERS } from '../../src/seed.js';
import { downUrl, MerchantServer } from '../helpers/merchant-server.js';
import { SOURCE_CLI } from '../helpers/source-cli.js';
import { PARTNER, directPayParams, gatewayPath, signRequest } from '../helpers/gateway-client.js';

/**
 * What the sandbox prints in its terminal (a line per gateway request, trade change and delivery
 * attempt), as JSON lines with `--log json`, and `listen` streaming the same from a running
 * sandbox: real processes started from source, real loopback sockets.
 */

interface Running {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  /** Resolves once `test` holds for the output (stdout, stderr), or rejects after 20 s saying what came. */
  until(test: (out: string, err: string) => boolean): Promise<void>;
  exited: Promise<number | null>;
}

const running: Running[] = [];

function run(args: string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [...SOURCE_CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env } });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  const look = () => waiters.forEach((w) => w());
  child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), look()));
  child.stderr!.on('data', (d: Buffer) => ((err += d.toString()), look()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => (look(), resolve(code))));
  const r: Running = {
    child,
    out: () => out,
    err: () => err,
    exited,
    until: (test) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => (waiters.delete(check), reject(new Error(`waited 20 s; stdout:\n${out}\nstderr:\n${err}`))), 20_000);
        function check() {
          if (test(out, err)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve();
          } else if (child.exitCode !== null) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`exited ${child.exitCode}; stdout:\n${out}\nstderr:\n${err}`));
          }
        }
        waiters.add(check);
        check();
      }),
  };
  running.push(r);
  return r;
}

/** Starts the sandbox command; resolves with its URL once the banner (on stdout, or stderr with --log json) is out. */
async function startSandbox(extra: string[]): Promise<{ sandbox: Running; url: string }> {
  const sandbox = run(['sandbox', '--port', '0', '--db', ':memory:', '--schedule', 'fast', ...extra]);
  await sandbox.until((out, err) => /Ctrl-C stops the sandbox\./.test(out + err));
  const url = /alipay-legacy sandbox on (http:\/\/127\.0\.0\.1:\d+)/.exec(sandbox.out() + sandbox.err())![1]!;
  return { sandbox, url };
}

/** A merchant's payment request to the gateway, then the buyer pays (through the test API). */
async function payment(url: string, notifyUrl: string): Promise<string> {
  const params = directPayParams({ notify_url: notifyUrl });
  const res = await fetch(`${url}${gatewayPath(signRequest(params))}`, { redirect: 'manual' });
  expect(res.status).toBe(303);
  const paid = await fetch(`${url}/sandbox/api/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ partner: PARTNER, out_trade_no: params.out_trade_no, buyer: SEED_BUYERS[0]!.login }) });
  expect(paid.status).toBe(200);
  return params.out_trade_no!;
}

const linesWith = (text: string, ...parts: string[]) => text.split('\n').filter((l) => parts.every((p) => l.includes(p)));

describe('the sandbox’s terminal', () => {
  let good: MerchantServer;
  let failing: MerchantServer;

  beforeAll(async () => {
    good = await new MerchantServer('success').start();
    failing = await new MerchantServer('error-500').start();
  });
  afterAll(async () => {
    await good.stop();
    await failing.stop();
  });
  afterEach(async () => {
    for (const r of running.splice(0)) {
      if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
      await r.exited;
    }
  });

  it('prints a line per gateway request, trade change and delivery attempt, failing ones with the next try', async () => {
    const { sandbox, url } = await startSandbox([]);
    const paid = await payment(url, good.url);
    const failed = await payment(url, failing.url);
    await fetch(`${url}/gateway.do?service=single_trade_query&partner=${PARTNER}&out_trade_no=X&sign=forged&sign_type=MD5&_input_charset=utf-8`);
    await sandbox.until((out) => linesWith(out, failed, 'attempt 1').length > 0 && linesWith(out, paid, 'acknowledged').length > 0 && /ILLEGAL_SIGN/.test(out));
    const out = sandbox.out();
    expect(linesWith(out, 'gateway', 'create_direct_pay_by_user', paid, 'OK', '→ trade 20')).toHaveLength(1);
    expect(linesWith(out, 'trade', paid, 'WAIT_BUYER_PAY → TRADE_FINISHED', 'paid (buyer)')).toHaveLength(1);
    expect(linesWith(out, 'notify', paid, 'trade_status_sync TRADE_FINISHED', 'attempt 1 → HTTP 200 "success"', 'acknowledged')).toHaveLength(1);
    const failing1 = linesWith(out, 'notify', failed, 'attempt 1 → HTTP 500 "success"');
    expect(failing1).toHaveLength(1);
    expect(failing1[0]).toMatch(/\d+ ms {2}retrying, next \d\d-\d\d \d\d:\d\d:\d\d/);
    expect(linesWith(out, 'gateway', 'single_trade_query', 'ILLEGAL_SIGN')).toHaveLength(1);
    // Not a terminal here: no colour codes.
    expect(out).not.toContain('\u001b[');
  });

  it('prints one JSON object per line with --log json, the banner going to stderr', async () => {
    const { sandbox, url } = await startSandbox(['--log', 'json']);
    expect(sandbox.out()).toBe('');
    const failed = await payment(url, failing.url);
    await sandbox.until((out) => out.includes('"type":"attempt"'));
    const items = sandbox
      .out()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(items.map((i) => i.type)).toEqual(['request', 'trade', 'trade', 'attempt']);
    expect(items[0]).toMatchObject({ service: 'create_direct_pay_by_user', out_trade_no: failed, result: 'OK', http_status: 303 });
    expect(items[3]).toMatchObject({ out_trade_no: failed, number: 1, http_status: 500, state: 'retrying', acknowledged: false });
    expect(typeof items[3]!.next_attempt_time).toBe('string');
  });
});

describe('alipay-legacy-sandbox listen', () => {
  let good: MerchantServer;
  beforeAll(async () => {
    good = await new MerchantServer('success').start();
  });
  afterAll(() => good.stop());
  afterEach(async () => {
    for (const r of running.splice(0)) {
      if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
      await r.exited;
    }
  });

  it('streams the lines of a running sandbox, as text or JSON, until Ctrl-C', async () => {
    const { sandbox, url } = await startSandbox(['--quiet']);
    const text = run(['listen', '--url', url]);
    const json = run(['listen', '--url', url, '--json']);
    await Promise.all([text, json].map((l) => l.until((_out, err) => err.includes(`listening to ${url}`))));

    const paid = await payment(url, good.url);
    await Promise.all([text.until((out) => linesWith(out, paid, 'acknowledged').length > 0), json.until((out) => out.includes('"acknowledged":true'))]);
    expect(linesWith(text.out(), 'gateway', 'create_direct_pay_by_user', paid, 'OK')).toHaveLength(1);
    expect(linesWith(text.out(), 'trade', paid, 'WAIT_BUYER_PAY → TRADE_FINISHED')).toHaveLength(1);
    expect(linesWith(text.out(), 'notify', paid, 'attempt 1 → HTTP 200 "success"')).toHaveLength(1);
    const items = json
      .out()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; out_trade_no: string });
    expect(items.map((i) => [i.type, i.out_trade_no])).toEqual([
      ['request', paid],
      ['trade', paid],
      ['trade', paid],
      ['attempt', paid],
    ]);
    // The sandbox itself was told to be quiet.
    expect(sandbox.out()).not.toContain(paid);

    text.child.kill('SIGINT');
    json.child.kill('SIGINT');
    expect(await text.exited).toBe(0);
    expect(await json.exited).toBe(0);
  });

  it('says so and fails when no sandbox answers', async () => {
    const listen = run(['listen', '--url', new URL(await downUrl()).origin]);
    expect(await listen.exited).toBe(1);
    expect(listen.err()).toContain('cannot reach the sandbox');
  });
});
