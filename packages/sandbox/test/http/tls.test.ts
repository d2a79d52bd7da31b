import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeHttp, type CliIo } from '../../src/cli/io.js';
import { startSandbox, type RunningSandbox } from '../../src/cli/sandbox-command.js';
import { SEED_MERCHANT } from '../../src/seed.js';

function captureIo(cwd: string): CliIo & { out: string } {
  const io = { out: '', stdout: (t: string) => void (io.out += t), stderr: () => {}, env: {}, cwd, http: nodeHttp };
  return io;
}

/** One GET over a real TLS socket; `ca` is what the client trusts (nothing extra when absent). */
function get(url: string, ca?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('--tls', () => {
  const dir = mkdtempSync(join(tmpdir(), 'alipay-tls-'));
  const running: RunningSandbox[] = [];
  afterAll(async () => {
    await Promise.all(running.map((r) => r.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves HTTPS with a self-signed certificate kept in the data folder, reused on the next start', async () => {
    const io = captureIo(dir);
    const first = await startSandbox(['--tls', '--port', '0', '--db', join(dir, 'sandbox.db')], io);
    running.push(first);
    expect(first.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const certPath = join(dir, 'tls', 'sandbox-cert.pem');
    expect(io.out).toContain('HTTPS with a self-signed certificate (generated now): tls/sandbox-cert.pem');
    const cert = readFileSync(certPath, 'utf8');

    // A client that has not been told to trust it refuses; one that trusts the file talks.
    await expect(get(`${first.url}/sandbox/api/clock`)).rejects.toThrow(/self[- ]signed/i);
    const verify = `${first.url}/gateway.do?service=notify_verify&partner=${SEED_MERCHANT.partner}&notify_id=unknown`;
    const answer = await get(verify, cert);
    expect(answer).toEqual({ status: 200, body: 'false' });
    // localhost is named by the certificate as well.
    expect((await get(first.url.replace('127.0.0.1', 'localhost') + '/sandbox/api/clock', cert)).status).toBe(200);
    await first.stop();

    const io2 = captureIo(dir);
    const second = await startSandbox(['--tls', '--port', '0', '--db', join(dir, 'sandbox.db')], io2);
    running.push(second);
    expect(io2.out).toContain('HTTPS with a self-signed certificate: tls/sandbox-cert.pem');
    expect(readFileSync(certPath, 'utf8')).toBe(cert);
    expect((await get(`${second.url}/sandbox/api/clock`, cert)).status).toBe(200);
  }, 30_000);
});
