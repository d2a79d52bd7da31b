import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/admin-commands.js';
import { nodeHttp, type CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run-cli.js';
import { SEED_MERCHANT } from '../../src/seed.js';
import { directPayParams, gatewayPath, signRequest } from '../helpers/gateway-client.js';
import { SOURCE_CLI, SOURCE_ENV } from '../helpers/source-cli.js';


function captureIo(cwd = process.cwd()): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
    env: {},
    cwd,
    http: nodeHttp,
  };
  return io;
}

describe('the alipay-legacy command', () => {
  let dir: string;
  let child: ChildProcess;
  let url: string;
  let banner = '';
  let stderr = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'alipay-cli-'));
    // The command as `npx alipay-legacy-sandbox` runs it: default SQLite file in ./.sandbox.
    child = spawn(process.execPath, [...SOURCE_CLI, 'sandbox', '--port', '0', '--schedule', 'fast'], { cwd: dir, env: SOURCE_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner after 30 s:\n${banner}\n${stderr}`)), 30_000);
      child.stdout!.on('data', (d: Buffer) => {
        banner += d.toString();
        const m = /alipay-legacy sandbox on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner);
        if (m && banner.includes('Ctrl-C stops the sandbox.')) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`the sandbox exited with ${code}:\n${stderr}`)));
    });
  }, 40_000);

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts the sandbox on SQLite in ./.sandbox and prints the credentials, the key files and the buyers', () => {
    expect(banner).toContain('SQLite .sandbox/sandbox.db, fast retry schedule');
    expect(banner).toContain(`partner          ${SEED_MERCHANT.partner}`);
    expect(banner).toContain(`key (MD5)        ${SEED_MERCHANT.key}`);
    expect(banner).toContain('buyer@sandbox.test');
    expect(banner).toContain(`${url}/gateway.do`);
    expect(existsSync(join(dir, '.sandbox', 'sandbox.db'))).toBe(true);
    const privateKey = readFileSync(join(dir, '.sandbox', `merchant_${SEED_MERCHANT.partner}_rsa_private_key.pem`), 'utf8');
    expect(privateKey).toContain('PRIVATE KEY');
    expect(readFileSync(join(dir, '.sandbox', 'alipay_rsa_public_key.pem'), 'utf8')).toContain('PUBLIC KEY');
  });

  it('serves the gateway it announced, and its pages from a working directory outside the checkout', async () => {
    const res = await fetch(`${url}${gatewayPath(signRequest(directPayParams()))}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    // The cashier's page is JSX compiled by tsx, which needs the checkout's tsconfig to know it is Hono's.
    const cashier = await fetch(`${url}${res.headers.get('location')}`);
    expect(cashier.status, stderr).toBe(200);
    expect(await cashier.text()).toContain('id="login-submit"');
  });

  it('lists trades and moves the clock of the running sandbox', async () => {
    const trades = captureIo();
    expect(await runCli(['trades', '--url', url], trades)).toBe(0);
    expect(trades.out).toMatch(/\d{28} {2}D\d+ {2}WAIT_BUYER_PAY {2}12\.34/);

    const clock = captureIo();
    expect(await runCli(['clock', 'advance', '1h', '--url', url], clock)).toBe(0);
    const shown = Date.parse(`${clock.out.trim().replace(' ', 'T')}+08:00`);
    expect(shown).toBeGreaterThan(Date.now() + 3590_000);

    const notifications = captureIo();
    expect(await runCli(['notifications', '--url', url, '--json'], notifications)).toBe(0);
    expect(JSON.parse(notifications.out)).toEqual([]);
  });

  it('refuses a second sandbox on the same SQLite file, saying why', async () => {
    const second = captureIo(dir);
    expect(await runCli(['sandbox', '--port', '0'], second)).toBe(1);
    expect(second.err).toContain('sandbox.db is in use by another process');
    expect(second.err).toContain('give this one its own --db');
    // The first one is untouched.
    expect((await fetch(`${url}/sandbox/api/clock`)).status).toBe(200);
  });

  it('prints an error code once', async () => {
    const io = captureIo();
    expect(await runCli(['pay', '--out-trade-no', 'NO-SUCH-ORDER', '--url', url], io)).toBe(1);
    expect(io.err.match(/TRADE_NOT_EXIST/g)).toHaveLength(1);
  });

  it('prints each command\'s options with --help', async () => {
    for (const name of ['sandbox', 'clock', 'trades', 'notifications', 'pay', 'sign', 'verify']) {
      const io = captureIo();
      expect(await runCli([name, '--help'], io)).toBe(0);
      expect(io.out).toMatch(new RegExp(`^usage: alipay-legacy(-sandbox)? ${name} `));
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(stderr).toContain('stopped');
  });
});

describe('alipay-legacy in process', () => {
  it('signs as the SDK does', async () => {
    const io = captureIo();
    expect(await runCli(['sign', '--key', '10000000000000000000000000000000', 'service=test', 'partner=123'], io)).toBe(0);
    expect(io.out).toBe('bbd13b52823b576291595f472ebcfbc2\n');
  });

  it('answers an unknown command and bad options with status 2', async () => {
    const unknown = captureIo();
    expect(await runCli(['fly'], unknown)).toBe(2);
    expect(unknown.err).toContain('unknown command "fly"');
    const bad = captureIo();
    expect(await runCli(['sandbox', '--port', 'seventy'], bad)).toBe(2);
    expect(bad.err).toContain('--port must be a port number');
  });

  it('says when no sandbox is running', async () => {
    const io = captureIo();
    expect(await runCli(['trades', '--url', 'http://127.0.0.1:9'], io)).toBe(1);
    expect(io.err).toContain('is it running (npx alipay-legacy-sandbox)?');
  });

  it('reads durations in seconds, minutes, hours and days', () => {
    expect([parseDuration('90'), parseDuration('2m'), parseDuration('1h'), parseDuration('10d')]).toEqual([90, 120, 3600, 864000]);
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
  });
});
