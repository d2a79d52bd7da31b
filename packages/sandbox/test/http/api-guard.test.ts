import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOwnHost } from '../../src/routes/site-guard.js';
import { forEachDialect } from '../helpers/dialects.js';
import { openSandbox, stateOf, type TestSandbox } from '../helpers/sandbox-fixture.js';

/** One request over a real socket with the headers a hostile page's browser would send. */
function send(base: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('isOwnHost', () => {
  it('accepts IP addresses, localhost and the public URL host; refuses other names', () => {
    expect(isOwnHost('127.0.0.1:7000', 'http://127.0.0.1:7000')).toBe(true);
    expect(isOwnHost('[::1]:7000', 'http://127.0.0.1:7000')).toBe(true);
    expect(isOwnHost('192.168.1.20:7000', 'http://127.0.0.1:7000')).toBe(true);
    expect(isOwnHost('localhost:7000', 'http://127.0.0.1:7000')).toBe(true);
    expect(isOwnHost('sandbox.example.test', 'https://sandbox.example.test')).toBe(true);
    expect(isOwnHost('evil.example:7000', 'http://127.0.0.1:7000')).toBe(false);
    expect(isOwnHost('', 'http://127.0.0.1:7000')).toBe(false);
  });
});

forEachDialect('the test API refuses other web pages', (dialect) => {
  let sb: TestSandbox;
  let server: ServerType;
  let base = '';
  let host = '';
  beforeAll(async () => {
    sb = await openSandbox(dialect);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: sb.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    base = `http://${host}`;
    sb.deps.publicUrl = base;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sb.close();
  });

  it('refuses a DNS-rebinding Host, a cross-site Origin and a non-JSON body, and changes nothing', async () => {
    const before = await stateOf(sb.deps);
    const advance = JSON.stringify({ seconds: 3600 });
    const json = { 'content-type': 'application/json' };
    const clock = sb.deps.clock.now();

    const rebound = await send(base, 'GET', '/sandbox/api/merchants', { host: `evil.example:${host.split(':')[1]}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain('PRIVATE KEY');
    expect(JSON.parse(rebound.body)).toMatchObject({ error: 'FORBIDDEN' });

    const crossSite = await send(base, 'POST', '/sandbox/api/clock/advance', { ...json, origin: 'http://evil.example' }, advance);
    expect(crossSite.status).toBe(403);
    const form = await send(base, 'POST', '/sandbox/api/clock/advance', { 'content-type': 'application/x-www-form-urlencoded' }, 'seconds=3600');
    expect(form.status).toBe(415);
    const text = await send(base, 'POST', '/sandbox/api/clock/advance', { 'content-type': 'text/plain' }, advance);
    expect(text.status).toBe(415);

    expect(sb.deps.clock.now() - clock).toBeLessThan(3_600_000);
    expect(await stateOf(sb.deps)).toBe(before);
  });

  it('answers its own pages and scripts: same Origin, no Origin, IP and localhost hosts', async () => {
    expect((await send(base, 'GET', '/sandbox/api/clock', {})).status).toBe(200);
    expect((await send(base, 'GET', '/sandbox/api/clock', { host: `localhost:${host.split(':')[1]}` })).status).toBe(200);
    const own = await send(base, 'POST', '/sandbox/api/clock/advance', { 'content-type': 'application/json', origin: base }, JSON.stringify({ seconds: 1 }));
    expect(own.status).toBe(200);
  });
});
