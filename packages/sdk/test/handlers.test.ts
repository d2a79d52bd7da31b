import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createNotificationHandler,
  resolveConfig,
  updateOutcome,
  VerificationError,
  type AlipayMessage,
  type ExpectedOrder,
  type NotificationHandler,
  type TradeProgress,
} from '../src/index.js';
import { fakeNotifyVerify, signedNotification } from '../src/testing.js';

const PARTNER = '2088101122136241';
const KEY = '10000000000000000000000000000000';
const ORDER = {
  out_trade_no: 'ORDER-1',
  trade_no: '2015051900001000980052833539',
  trade_status: 'TRADE_SUCCESS',
  subject: '《红楼梦》—曹雪芹 & 脂砚斋',
  total_fee: '88.00',
  seller_id: PARTNER,
  buyer_email: 'buyer+1@sandbox.test',
};

/** What the handlers saw, reset before every test. */
const seen = {
  messages: [] as AlipayMessage[],
  errors: [] as unknown[],
  throwInCallback: false,
  orders: new Map<string, ExpectedOrder>(),
  state: new Map<string, TradeProgress>(),
  outcomes: [] as string[],
  answerInCallback: false,
};

function handlerFor(charset: 'utf-8' | 'gbk'): NotificationHandler {
  const config = resolveConfig({ partner: PARTNER, key: KEY, charset, fetch: fakeNotifyVerify({ singleUse: true }) });
  return createNotificationHandler(config, {
    expect: (m) => seen.orders.get(m.out_trade_no),
    onNotification: async (message, ctx) => {
      if (seen.throwInCallback) throw new Error('database is down');
      if (seen.answerInCallback) {
        // A callback that answers by itself (Express exposes req.res): the handler must not answer again.
        (ctx.request as { res: ServerResponse }).res.writeHead(200).end('custom');
      }
      seen.messages.push(message);
      if (message.kind === 'trade_status_sync') {
        // The merchant's "never backwards" rule; stale and duplicate messages are still acknowledged.
        const outcome = updateOutcome(seen.state.get(message.out_trade_no), message);
        seen.outcomes.push(outcome);
        if (outcome === 'apply') seen.state.set(message.out_trade_no, message);
      }
    },
    onError: (error) => seen.errors.push(error),
  });
}

interface Target {
  name: string;
  start(): Promise<{ base: string; stop(): Promise<void> }>;
}

function listen(server: Server): Promise<{ base: string; stop(): Promise<void> }> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ base: `http://127.0.0.1:${port}`, stop: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}

const utf8 = handlerFor('utf-8');
const gbk = handlerFor('gbk');

const targets: Target[] = [
  {
    name: 'node:http',
    start: () => listen(createServer((req, res) => (req.url === '/gbk' ? gbk.node(req, res) : utf8.node(req, res)))),
  },
  {
    name: 'express 5 with express.raw on the route',
    start: () => {
      const app = express();
      app.post('/utf8', express.raw({ type: '*/*' }), utf8.express);
      app.post('/gbk', express.raw({ type: '*/*' }), gbk.express);
      return listen(createServer(app));
    },
  },
  {
    name: 'express 5 with no body parser (the stream is read)',
    start: () => {
      const app = express();
      app.post('/utf8', utf8.express);
      app.post('/gbk', gbk.express);
      return listen(createServer(app));
    },
  },
  {
    name: 'express 5 with express.text (a string body)',
    start: () => {
      const app = express();
      app.use(express.text({ type: '*/*' }));
      app.post('/utf8', utf8.express);
      app.post('/gbk', gbk.express);
      return listen(createServer(app));
    },
  },
  {
    name: 'fastify 5 plugin (beside a form parser of the app)',
    start: async () => {
      const app: FastifyInstance = Fastify();
      // The app parses forms into objects elsewhere; the plugin's own context must still get bytes.
      app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
        done(null, Object.fromEntries(new URLSearchParams(body as string))),
      );
      app.post('/echo', async (req) => req.body);
      await app.register(utf8.fastify, { prefix: '/utf8' });
      await app.register(gbk.fastify, { prefix: '/gbk' });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      return { base: `http://127.0.0.1:${port}`, stop: () => app.close() };
    },
  },
  {
    name: 'hono via @hono/node-server',
    start: () =>
      new Promise((resolve) => {
        const app = new Hono();
        app.post('/utf8', (c) => utf8.fetch(c.req.raw));
        app.post('/gbk', (c) => gbk.fetch(c.req.raw));
        const server: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
          resolve({ base: `http://127.0.0.1:${info.port}`, stop: () => new Promise<void>((done) => server.close(() => done())) });
        });
      }),
  },
];

beforeEach(() => {
  seen.messages = [];
  seen.errors = [];
  seen.throwInCallback = false;
  seen.answerInCallback = false;
  seen.orders = new Map([['ORDER-1', { totalFee: '88.00' }]]);
  seen.state = new Map();
  seen.outcomes = [];
});

async function post(url: string, body: string, contentType = 'application/x-www-form-urlencoded; charset=utf-8') {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type'), length: res.headers.get('content-length') };
}

const reasons = () => seen.errors.map((e) => (e instanceof VerificationError ? e.reason : (e as { code?: string }).code ?? String(e)));

for (const target of targets) {
  describe(`notification handler on ${target.name}`, () => {
    let base = '';
    let stop: () => Promise<void> = async () => {};
    beforeAll(async () => {
      ({ base, stop } = await target.start());
    });
    afterAll(() => stop());

    it('answers exactly "success" (200, text/plain, no newline) to a genuine UTF-8 notification after the callback ran', async () => {
      const n = signedNotification({ key: KEY }, ORDER);
      const res = await post(`${base}/utf8`, n.body, n.contentType);
      expect(res).toMatchObject({ status: 200, text: 'success' });
      expect(res.type).toMatch(/^text\/plain/);
      expect(seen.messages).toHaveLength(1);
      expect(seen.messages[0]!.kind === 'trade_status_sync' && seen.messages[0]!.subject).toBe(ORDER.subject);
      expect(seen.errors).toEqual([]);
    });

    it('accepts a genuine GBK body on the GBK route', async () => {
      const n = signedNotification({ key: KEY, charset: 'gbk' }, ORDER);
      expect(n.contentType).toBe('application/x-www-form-urlencoded; text/html; charset=GBK');
      expect((await post(`${base}/gbk`, n.body, n.contentType)).text).toBe('success');
      expect(seen.messages[0]!.kind === 'trade_status_sync' && seen.messages[0]!.subject).toBe(ORDER.subject);
    });

    it("reads the body under the real gateway's Content-Type (\"…; text/html; charset=UTF-8\" and GBK)", async () => {
      // The real gateway sent this odd header (decisions.md §26); body parsers keyed on the media
      // type read nothing from it. The handlers read the raw bytes whatever the header says.
      const n = signedNotification({ key: KEY }, ORDER);
      const res = await post(`${base}/utf8`, n.body, 'application/x-www-form-urlencoded; text/html; charset=UTF-8');
      expect(res).toMatchObject({ status: 200, text: 'success' });
      const g = signedNotification({ key: KEY, charset: 'gbk' }, { ...ORDER, out_trade_no: 'ORDER-1' });
      const resGbk = await post(`${base}/gbk`, g.body, 'application/x-www-form-urlencoded; text/html; charset=GBK');
      expect(resGbk).toMatchObject({ status: 200, text: 'success' });
      expect(seen.messages.map((m) => m.kind === 'trade_status_sync' && m.subject)).toEqual([ORDER.subject, ORDER.subject]);
      expect(seen.errors).toEqual([]);
    });

    it('answers "fail" to a GBK body on the UTF-8 route (wrong charset) without calling back', async () => {
      const n = signedNotification({ key: KEY, charset: 'gbk' }, ORDER);
      const res = await post(`${base}/utf8`, n.body, n.contentType);
      expect(res).toMatchObject({ status: 400, text: 'fail' });
      expect(seen.messages).toHaveLength(0);
      expect(reasons()).toEqual(['sign_mismatch']);
    });

    it('answers "fail" to a tampered notification and to a replayed one', async () => {
      const n = signedNotification({ key: KEY }, ORDER);
      expect((await post(`${base}/utf8`, n.body.replace('total_fee=88.00', 'total_fee=8.00'))).text).toBe('fail');
      expect((await post(`${base}/utf8`, n.body)).text).toBe('success');
      expect((await post(`${base}/utf8`, n.body)).text).toBe('fail');
      expect(reasons()).toEqual(['sign_mismatch', 'notify_verify_false']);
      expect(seen.messages).toHaveLength(1);
    });

    it('refuses a wrong amount, another seller and an unknown order', async () => {
      expect((await post(`${base}/utf8`, signedNotification({ key: KEY }, { ...ORDER, total_fee: '0.01' }).body)).text).toBe('fail');
      expect((await post(`${base}/utf8`, signedNotification({ key: KEY }, { ...ORDER, seller_id: '2088000000000009' }).body)).text).toBe('fail');
      expect((await post(`${base}/utf8`, signedNotification({ key: KEY }, { ...ORDER, out_trade_no: 'NOPE' }).body)).text).toBe('fail');
      expect(reasons()).toEqual(['amount_mismatch', 'seller_mismatch', 'unknown_order']);
      expect(seen.messages).toHaveLength(0);
    });

    it('answers "fail" (500) when the callback throws, and hands the error to onError', async () => {
      seen.throwInCallback = true;
      const res = await post(`${base}/utf8`, signedNotification({ key: KEY }, ORDER).body);
      expect(res).toMatchObject({ status: 500, text: 'fail' });
      expect((seen.errors[0] as Error).message).toBe('database is down');
    });

    it('acknowledges a late WAIT_SELLER_SEND_GOODS after TRADE_FINISHED but leaves the order finished', async () => {
      const finished = signedNotification({ key: KEY }, { ...ORDER, trade_status: 'TRADE_FINISHED' }, { now: Date.UTC(2015, 4, 19, 1, 28) });
      const late = signedNotification({ key: KEY }, { ...ORDER, trade_status: 'WAIT_SELLER_SEND_GOODS' }, { now: Date.UTC(2015, 4, 19, 1, 20) });
      expect((await post(`${base}/utf8`, finished.body)).text).toBe('success');
      expect((await post(`${base}/utf8`, late.body)).text).toBe('success');
      expect(seen.outcomes).toEqual(['apply', 'stale']);
      expect(seen.state.get('ORDER-1')?.trade_status).toBe('TRADE_FINISHED');
    });
  });
}

describe('adapter details', () => {
  it('refuses a GET on node:http with 405 "fail"', async () => {
    const { base, stop } = await listen(createServer(utf8.node));
    try {
      const res = await fetch(`${base}/`);
      expect([res.status, await res.text()]).toEqual([405, 'fail']);
    } finally {
      await stop();
    }
  });

  it('refuses loudly when express.urlencoded already parsed the body, telling to mount express.raw', async () => {
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.post('/utf8', utf8.express);
    const { base, stop } = await listen(createServer(app));
    try {
      const res = await post(`${base}/utf8`, signedNotification({ key: KEY }, ORDER).body);
      expect(res).toMatchObject({ status: 500, text: 'fail' });
      expect((seen.errors[0] as Error).message).toMatch(/express\.raw\(\{ type: '\*\/\*' \}\)/);
      expect(seen.messages).toHaveLength(0);
    } finally {
      await stop();
    }
  });

  it('does not answer twice when the callback already answered', async () => {
    seen.answerInCallback = true;
    const app = express();
    app.post('/utf8', express.raw({ type: '*/*' }), utf8.express);
    const { base, stop } = await listen(createServer(app));
    try {
      const res = await post(`${base}/utf8`, signedNotification({ key: KEY }, ORDER).body);
      expect(res).toMatchObject({ status: 200, text: 'custom' });
      expect(seen.errors).toEqual([]);
    } finally {
      await stop();
    }
  });

  it('keeps the rest of a Fastify app parsing forms as before', async () => {
    const app = Fastify();
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    app.post('/echo', async (req) => req.body);
    await app.register(utf8.fastify, { prefix: '/alipay/notify' });
    const echo = await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=1' });
    expect(echo.json()).toEqual({ a: '1' });
    const notify = await app.inject({
      method: 'POST',
      url: '/alipay/notify',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: signedNotification({ key: KEY }, ORDER).body,
    });
    expect(notify.body).toBe('success');
    await app.close();
  });

  it('reports a Request whose body was already read', async () => {
    const req = new Request('http://x/alipay/notify', { method: 'POST', body: signedNotification({ key: KEY }, ORDER).body });
    await req.text();
    const res = await utf8.fetch(req);
    expect([res.status, await res.text()]).toEqual([500, 'fail']);
    expect((seen.errors[0] as { code: string }).code).toBe('body_already_read');
  });

  it('refuses a body over the size limit with 413', async () => {
    const small = createNotificationHandler(resolveConfig({ partner: PARTNER, key: KEY, notifyVerify: false }), {
      onNotification: () => {},
      onError: (e) => seen.errors.push(e),
      maxBodyBytes: 64,
    });
    const { base, stop } = await listen(createServer(small.node));
    try {
      const res = await post(base, 'x='.padEnd(1000, 'y'));
      expect([res.status, res.text]).toEqual([413, 'fail']);
    } finally {
      await stop();
    }
  });
});
