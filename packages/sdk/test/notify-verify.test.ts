import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkNotifyId, resolveConfig, VerificationError, type VerificationReason } from '../src/index.js';
import { notifyVerifyUrl } from '../src/protocol.js';

/** A loopback stand-in for Alipay's ATN endpoint: replies by notify_id, records every request. */
let server: Server;
let base: string;
const requests: Array<{ method: string; path: string; query: URLSearchParams }> = [];
const hanging: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams });
    const id = url.searchParams.get('notify_id') ?? '';
    if (id === 'hang') {
      hanging.push(req);
      return; // never answers
    }
    if (id === 'status500') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('true');
      return;
    }
    const reply = id.startsWith('true') ? 'true' : id === 'false' ? 'false' : id === 'newline' ? 'true\n' : id === '' ? 'invalid' : id;
    res.writeHead(200, { 'content-type': 'text/plain' }).end(reply);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const req of hanging) req.socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const PARTNER = '2088101122136241';
const config = (notifyVerifyUrl: string, timeoutMs = 2000) =>
  resolveConfig({ partner: PARTNER, key: '10000000000000000000000000000000', notifyVerifyUrl, timeoutMs });

async function reasonOf(promise: Promise<unknown>): Promise<VerificationReason> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(VerificationError);
    return (err as VerificationError).reason;
  }
  throw new Error('expected a refusal');
}

describe('notify_verify over a real loopback server (protocol.md §1.2, §4.7)', () => {
  it('asks the gateway form with service=notify_verify, partner and the notify_id encoded once more', async () => {
    requests.length = 0;
    await checkNotifyId(config(`${base}/gateway.do`), 'true%2Fx');
    expect(requests).toHaveLength(1);
    expect(requests[0]!.method).toBe('GET');
    expect(requests[0]!.path).toBe('/gateway.do');
    expect(Object.fromEntries(requests[0]!.query)).toEqual({ service: 'notify_verify', partner: PARTNER, notify_id: 'true%2Fx' });
  });

  it('asks the legacy notify_query.do form without a service parameter', async () => {
    requests.length = 0;
    await checkNotifyId(config(`${base}/trade/notify_query.do`), 'true1');
    expect(requests[0]!.path).toBe('/trade/notify_query.do');
    expect(Object.fromEntries(requests[0]!.query)).toEqual({ partner: PARTNER, notify_id: 'true1' });
  });

  it('builds both URL forms as the official SDKs did', () => {
    expect(notifyVerifyUrl({ partner: PARTNER, notifyVerifyUrl: 'https://mapi.alipay.com/gateway.do' }, 'RqPn%2Fvw')).toBe(
      `https://mapi.alipay.com/gateway.do?service=notify_verify&partner=${PARTNER}&notify_id=RqPn%252Fvw`,
    );
    expect(notifyVerifyUrl({ partner: PARTNER, notifyVerifyUrl: 'http://notify.alipay.com/trade/notify_query.do' }, 'abc')).toBe(
      `http://notify.alipay.com/trade/notify_query.do?partner=${PARTNER}&notify_id=abc`,
    );
  });

  it('accepts "true" with a trailing newline (the Java sample println)', async () => {
    await expect(checkNotifyId(config(`${base}/gateway.do`), 'newline')).resolves.toBeUndefined();
  });

  it('maps false, invalid, another word and a non-200 status to their reasons, on both forms', async () => {
    for (const path of ['/gateway.do', '/trade/notify_query.do']) {
      expect(await reasonOf(checkNotifyId(config(base + path), 'false'))).toBe('notify_verify_false');
      expect(await reasonOf(checkNotifyId(config(base + path), ''))).toBe('notify_verify_invalid');
      expect(await reasonOf(checkNotifyId(config(base + path), 'maybe'))).toBe('notify_verify_unreachable');
      expect(await reasonOf(checkNotifyId(config(base + path), 'status500'))).toBe('notify_verify_unreachable');
    }
  });

  it('gives up on a server that never answers after config.timeoutMs', async () => {
    const started = Date.now();
    const err = await checkNotifyId(config(`${base}/gateway.do`, 150), 'hang').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerificationError);
    expect((err as VerificationError).reason).toBe('notify_verify_unreachable');
    expect((err as VerificationError).message).toMatch(/no answer within 150 ms/);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('reports a server that is down as unreachable', async () => {
    const down = createServer();
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const port = (down.address() as AddressInfo).port;
    await new Promise<void>((resolve) => down.close(() => resolve()));
    expect(await reasonOf(checkNotifyId(config(`http://127.0.0.1:${port}/gateway.do`), 'true'))).toBe('notify_verify_unreachable');
  });
});
