import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forEachDialect } from '../helpers/dialects.js';
import { PARTNER } from '../helpers/gateway-client.js';
import { openSandbox, stateOf, type TestSandbox } from '../helpers/sandbox-fixture.js';

/** One request over a real socket with any method; the status and the body's length. */
function send(base: string, method: string, path: string): Promise<{ status: number; length: number }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, agent: false }, (res) => {
      let length = 0;
      res.on('data', (d: Buffer) => (length += d.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, length }));
    });
    req.on('error', reject);
    req.end();
  });
}

forEachDialect('odd methods over a socket', (dialect) => {
  let sb: TestSandbox;
  let server: ServerType;
  let base = '';
  beforeAll(async () => {
    sb = await openSandbox(dialect);
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: sb.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sb.close();
  });

  it('answers HEAD like GET without a body, and other methods with a 4xx, changing nothing', async () => {
    const before = await stateOf(sb.deps);
    const paths = [
      `/gateway.do?service=notify_verify&partner=${PARTNER}&notify_id=x`,
      `/trade/notify_query.do?partner=${PARTNER}&notify_id=x`,
      '/gateway.do?service=create_direct_pay_by_user',
      '/',
      '/sandbox/api/clock',
      '/seller',
    ];
    for (const path of paths) {
      const get = await send(base, 'GET', path);
      const head = await send(base, 'HEAD', path);
      expect({ path, status: head.status, length: head.length }).toEqual({ path, status: get.status, length: 0 });
      for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
        const odd = await send(base, method, path);
        expect({ path, method, status: odd.status >= 400 && odd.status < 500 }).toEqual({ path, method, status: true });
      }
    }
    expect(await stateOf(sb.deps)).toBe(before);
  });
});
