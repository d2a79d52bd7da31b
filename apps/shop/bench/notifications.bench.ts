/**
 * The shop's notification path, measured:
 *   1. notifications/s through POST /alipay/notify without notify_verify (sign check, amount and
 *      seller checks, the logged update in one transaction, `success` after the commit), against
 *      baselines of the same run: the SDK's sign check alone, and servers that read the body and
 *      answer `success` without doing anything (the HTTP floors: bare node:http, and a Hono route
 *      reading the web Request), in interleaved rounds so that all see the same machine load. On
 *      Linux, each server's main-thread CPU time per notification too (the load generator has a
 *      thread of its own);
 *   2. notifications/s with notify_verify against a running sandbox (its own process): real
 *      payments whose notifications the sandbox delivers to the shop, against the same sandbox
 *      delivering to a merchant that only asks notify_verify (the sandbox-bound baseline);
 *   3. the time from payment to the order showing paid, against the sandbox's own delivery delay.
 * Figures are printed; speed is stated as ratios to the baselines (machines are noisy).
 *   npm run bench -w alipay-legacy-shop    (BENCH_N, BENCH_E2E_N, BENCH_LATENCY_N to resize)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerType } from '@hono/node-server';
import { createClient } from 'alipay-legacy';
import { verifySign } from 'alipay-legacy/protocol';
import { signedNotification } from 'alipay-legacy/testing';
import { SEED_MERCHANT } from 'alipay-legacy-sandbox';
import { Hono } from 'hono';
import { createShop } from '../src/app.js';
import { buildShopDeps, type ShopDeps } from '../src/deps.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { openStore } from '../src/store/open-store.js';
import { applyVerifiedMessage } from '../src/services/message-intake.js';
import { expectedOrder, placeDirectPayment } from '../src/services/orders.js';
import { latin1 } from '../src/web/raw-request.js';
import { paymentRequest } from '../src/services/payment-request.js';
import { closeServer as close, listen, type FetchHandler } from '../test/helpers/listen.js';
import { postAll } from './load-generator.js';
import { rateFigure, recordFigures, timeFigure } from '../../../bench/figures.js';

const N = Number(process.env.BENCH_N ?? 5000);
const E2E_N = Number(process.env.BENCH_E2E_N ?? 300);
const LATENCY_N = Number(process.env.BENCH_LATENCY_N ?? 30);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = 32;
const account = { partner: SEED_MERCHANT.partner, key: SEED_MERCHANT.key, sellerEmail: SEED_MERCHANT.sellerEmail };

/** This thread's CPU time in ns (Linux), or undefined elsewhere. */
const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
function threadCpuNs(): number | undefined {
  return existsSync(SCHEDSTAT) ? Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) : undefined;
}

/** A node:http server that reads the body and answers `success`: nothing cheaper answers a notification. */
async function bareFloor(): Promise<{ server: ServerType; url: string }> {
  const server = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': 7 });
      res.end('success');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function openShop(dir: string, name: string, gateway: string, notifyVerify: boolean): Promise<{ deps: ShopDeps; url: string; server: ServerType; closeStore(): Promise<void> }> {
  const store = openStore(join(dir, `${name}.db`));
  await migrateToLatest(store.db, store.dialect);
  const { server, url, bind } = await listen();
  const deps = buildShopDeps({ db: store.db, dialect: store.dialect, alipay: { ...account, gateway, notifyVerify }, options: { publicUrl: url, sessionSecret: 'bench' } });
  bind(createShop(deps).fetch);
  return { deps, url, server, closeStore: () => store.close() };
}

async function placeOrders(deps: ShopDeps, n: number): Promise<string[]> {
  const numbers: string[] = [];
  for (let i = 0; i < n; i++) numbers.push((await placeDirectPayment(deps, { sid: 'b'.repeat(32), userId: null }, { subject: '测试商品', amount: '0.01', note: '' })).out_trade_no);
  return numbers;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'shop-bench-'));
  const line = (label: string, value: string) => console.log(`${label.padEnd(64)} ${value}`);
  const load = () => loadavg()[0]!.toFixed(1);
  try {
    console.log(`shop notification bench: ${N} notifications, ${CONCURRENCY} in flight, ${ROUNDS} rounds; ${E2E_N} end-to-end payments; ${LATENCY_N} latency samples; load average ${load()}\n`);

    // 1. Without notify_verify.
    const shop = await openShop(dir, 'shop-plain', 'http://127.0.0.1:9/gateway.do', false);
    const numbers = await placeOrders(shop.deps, N);
    const notificationFor = (no: string, i: number) =>
      signedNotification(account, { out_trade_no: no, trade_no: `2026120200001${String(i).padStart(15, '0')}`, trade_status: 'TRADE_FINISHED', total_fee: '0.01', seller_id: account.partner, subject: '测试商品', buyer_id: '2088627882813857' }).body;
    const bodies = numbers.map(notificationFor);
    const sample = signedNotification(account, { out_trade_no: 'X', trade_no: 'Y', trade_status: 'TRADE_FINISHED', total_fee: '0.01', seller_id: account.partner, subject: '测试商品' });
    const signOnly = (() => {
      const params = { ...sample.params };
      const { sign, sign_type: _t, ...rest } = params;
      const start = performance.now();
      const reps = 50_000;
      for (let i = 0; i < reps; i++) verifySign(rest, sign, { signType: 'MD5', key: account.key, charset: 'utf-8' });
      return reps / ((performance.now() - start) / 1000);
    })();
    // The shop and the floors take turns, a slice of the notifications each round.
    const honoFloor = new Hono().post('/alipay/notify', async (c) => {
      await c.req.arrayBuffer();
      return c.text('success');
    });
    const targets = [
      { name: 'bare', ...(await bareFloor()), n: 0, ok: 0, seconds: 0, cpuNs: 0 },
      { name: 'hono', ...(await listen(honoFloor.fetch as FetchHandler)), n: 0, ok: 0, seconds: 0, cpuNs: 0 },
      { name: 'shop', server: shop.server, url: shop.url, n: 0, ok: 0, seconds: 0, cpuNs: 0 },
    ];
    const perRound = Math.ceil(N / ROUNDS);
    for (let round = 0; round < ROUNDS; round++) {
      const slice = bodies.slice(round * perRound, (round + 1) * perRound);
      for (const target of targets) {
        const cpuBefore = threadCpuNs();
        const run = await postAll(`${target.url}/alipay/notify`, slice, CONCURRENCY);
        const cpuAfter = threadCpuNs();
        target.n += slice.length;
        target.ok += run.ok;
        target.seconds += run.seconds;
        if (cpuBefore !== undefined && cpuAfter !== undefined) target.cpuNs += cpuAfter - cpuBefore;
      }
    }
    const [bare, hono, shopRun] = targets as [(typeof targets)[0], (typeof targets)[0], (typeof targets)[0]];
    const paid = await shop.deps.db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('trade_status', '=', 'TRADE_FINISHED').executeTakeFirstOrThrow();
    if (shopRun.ok !== N || Number(paid.n) !== N) throw new Error(`expected ${N} applied notifications, got ${shopRun.ok} answers and ${paid.n} paid orders`);
    // The same work without HTTP: the SDK handler's core and the logged update, 32 at a time.
    const inProcess = await openShop(dir, 'shop-in-process', 'http://127.0.0.1:9/gateway.do', false);
    const handler = inProcess.deps.alipay.notificationHandler({
      expect: expectedOrder(inProcess.deps),
      onNotification: (message, ctx) => applyVerifiedMessage(inProcess.deps, { channel: 'notify', raw: latin1(ctx.body) }, message).then(() => undefined),
    });
    const inProcessNumbers = await placeOrders(inProcess.deps, N);
    const inProcessBodies = inProcessNumbers.map((no, i) => Buffer.from(notificationFor(no, i)));
    let next = 0;
    let inProcessOk = 0;
    const inProcessCpu = threadCpuNs();
    const inProcessStart = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < N) if ((await handler.handle(inProcessBodies[next++]!)).body === 'success') inProcessOk++;
      }),
    );
    const inProcessSeconds = (performance.now() - inProcessStart) / 1000;
    const inProcessCpuNs = inProcessCpu === undefined ? 0 : threadCpuNs()! - inProcessCpu;
    await close(inProcess.server);
    await inProcess.closeStore();
    for (const target of targets) await close(target.server);
    await shop.closeStore();
    const rate = (t: { n: number; seconds: number }) => t.n / t.seconds;
    const each = (cpuNs: number, n: number) => (cpuNs > 0 ? `  main thread ${Math.round(cpuNs / 1000 / n)} µs each` : '');
    const perSecond = (x: number) => `${Math.round(x).toLocaleString('en')} /s`;
    line('sign check alone (SDK verifySign, in process)', perSecond(signOnly));
    line('HTTP floor: node:http server answering success', `${perSecond(rate(bare))}${each(bare.cpuNs, bare.n)}`);
    line('Hono route reading the web Request, answering success', `${perSecond(rate(hono))}${each(hono.cpuNs, hono.n)}`);
    line('the same without HTTP (handler core + logged update, in process)', `${perSecond(inProcessOk / inProcessSeconds)}${each(inProcessCpuNs, N)}`);
    line(
      'shop /alipay/notify without notify_verify (SQLite, logged update)',
      `${perSecond(rate(shopRun))}${each(shopRun.cpuNs, shopRun.n)}  (${((rate(shopRun) / rate(bare)) * 100).toFixed(0)} % of the HTTP floor, ${((rate(shopRun) / rate(hono)) * 100).toFixed(0)} % of the Hono route)`,
    );
    recordFigures([
      rateFigure({
        part: 'shop',
        name: 'verified notifications (POST /alipay/notify, SQLite)',
        value: rate(shopRun),
        unit: 'notifications/s',
        limit: { name: 'node:http answering success', value: rate(bare) },
        goal: { value: 2000, text: '≥ 2,000/s' },
      }),
    ]);
    if (E2E_N === 0 && LATENCY_N === 0) return;

    // 2. With notify_verify against a running sandbox (its own process): real payments whose
    //    notifications are held back by the sandbox's delay fault, then released at once.
    const child = spawn(process.execPath, [...process.execArgv, join(import.meta.dirname, 'sandbox-process.ts'), join(dir, 'sandbox.db')], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const sandboxUrl = await new Promise<string>((resolve, reject) => {
      child.stdout.once('data', (chunk: Buffer) => resolve((JSON.parse(chunk.toString().split('\n')[0]!) as { url: string }).url));
      child.once('exit', (code) => reject(new Error(`the sandbox exited (${code})`)));
    });
    const gateway = `${sandboxUrl}/gateway.do`;
    const api = async (path: string, body: unknown) => {
      const res = await fetch(`${sandboxUrl}/sandbox/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<unknown>;
    };
    const verified = await openShop(dir, 'shop-verified', gateway, true);
    const trivialHits = { n: 0 };
    // The baseline merchant asks notify_verify (the sandbox's share of the work) and nothing else.
    const trivial = await listen(async (req) => {
      const notifyId = new URLSearchParams(await req.text()).get('notify_id') ?? '';
      const answer = await fetch(`${gateway}?service=notify_verify&partner=${account.partner}&notify_id=${encodeURIComponent(notifyId)}`).then((r) => r.text());
      if (answer !== 'true') return new Response('fail');
      trivialHits.n++;
      return new Response('success');
    });
    const trivialClient = createClient({ ...account, gateway, notifyUrl: `${trivial.url}/alipay/notify` });
    const openAndPay = async (url: string, no: string) => {
      await fetch(url, { redirect: 'manual' }).then((r) => r.arrayBuffer());
      await api('/pay', { partner: account.partner, out_trade_no: no, buyer: 'buyer@sandbox.test' });
    };
    const HOLD = 600;
    /** Pays n orders with their notifications held back, then times their release and delivery. */
    const heldBack = async (pay: (i: number) => Promise<void>, n: number, done: () => Promise<boolean>) => {
      await api('/faults', { partner: account.partner, kind: 'delay', count: n, seconds: HOLD });
      for (let i = 0; i < n; i++) await pay(i);
      const start = performance.now();
      await api('/clock/advance', { seconds: HOLD + 1 });
      while (!(await done())) await new Promise((r) => setImmediate(r));
      const seconds = (performance.now() - start) / 1000;
      await api('/faults', { partner: account.partner, kind: 'none' });
      return seconds;
    };
    const trivialSeconds = await heldBack(
      async (i) => {
        const no = `T${Date.now()}${i}`;
        await openAndPay((await trivialClient.createDirectPayByUser({ out_trade_no: no, subject: '测试商品', total_fee: '0.01' })).url, no);
      },
      E2E_N,
      async () => trivialHits.n >= E2E_N,
    );
    const e2eNumbers = await placeOrders(verified.deps, E2E_N);
    const paidCount = async () =>
      Number((await verified.deps.db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('trade_status', '=', 'TRADE_FINISHED').executeTakeFirstOrThrow()).n);
    const e2eSeconds = await heldBack(
      async (i) => {
        const order = (await verified.deps.db.selectFrom('orders').selectAll().where('out_trade_no', '=', e2eNumbers[i]!).executeTakeFirst())!;
        await openAndPay((await paymentRequest(verified.deps, order, undefined)).url, e2eNumbers[i]!);
      },
      E2E_N,
      async () => (await paidCount()) >= E2E_N,
    );
    line('sandbox delivering to a merchant that only asks notify_verify (baseline)', `${Math.round(E2E_N / trivialSeconds).toLocaleString('en')} /s`);
    line('sandbox delivering to the shop, with notify_verify back to it', `${Math.round(E2E_N / e2eSeconds).toLocaleString('en')} /s  (${(((E2E_N / e2eSeconds) / (E2E_N / trivialSeconds)) * 100).toFixed(0)} % of the baseline)`);

    // 3. From payment to the order showing paid, with the dispatcher running as in the demo.
    const latencyNumbers = await placeOrders(verified.deps, LATENCY_N);
    const shopDelays: number[] = [];
    for (const no of latencyNumbers) {
      const order = (await verified.deps.db.selectFrom('orders').selectAll().where('out_trade_no', '=', no).executeTakeFirst())!;
      await fetch((await paymentRequest(verified.deps, order, undefined)).url, { redirect: 'manual' }).then((r) => r.arrayBuffer());
      const start = performance.now();
      await api('/pay', { partner: account.partner, out_trade_no: no, buyer: 'buyer@sandbox.test' });
      for (;;) {
        const row = await verified.deps.db.selectFrom('orders').select('trade_status').where('out_trade_no', '=', no).executeTakeFirstOrThrow();
        if (row.trade_status === 'TRADE_FINISHED') break;
        await new Promise((r) => setImmediate(r));
      }
      shopDelays.push(performance.now() - start);
    }
    const trivialDelays: number[] = [];
    for (let i = 0; i < LATENCY_N; i++) {
      const no = `L${Date.now()}${i}`;
      await fetch((await trivialClient.createDirectPayByUser({ out_trade_no: no, subject: '测试商品', total_fee: '0.01' })).url, { redirect: 'manual' }).then((r) => r.arrayBuffer());
      const before = trivialHits.n;
      const start = performance.now();
      await api('/pay', { partner: account.partner, out_trade_no: no, buyer: 'buyer@sandbox.test' });
      while (trivialHits.n === before) await new Promise((r) => setImmediate(r));
      trivialDelays.push(performance.now() - start);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    line('payment → that merchant notified and verified (median, baseline)', `${median(trivialDelays).toFixed(1)} ms`);
    line('payment → the shop shows the order paid (median)', `${median(shopDelays).toFixed(1)} ms  (${(median(shopDelays) / median(trivialDelays)).toFixed(2)}× the baseline)`);
    recordFigures([
      timeFigure({
        part: 'shop',
        name: 'payment → order shown paid (median)',
        value: median(shopDelays),
        unit: 'ms',
        limit: { name: 'payment → a merchant that only verifies, notified', value: median(trivialDelays) },
        guarded: false,
      }),
    ]);

    child.stdin.end();
    await new Promise((r) => child.once('exit', r));
    await close(trivial.server);
    await close(verified.server);
    await verified.closeStore();
  } finally {
    console.log(`\nload average at the end: ${load()}`);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
