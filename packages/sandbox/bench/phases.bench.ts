/**
 * In-process cost of each phase of a trade (no sockets): the signed gateway request, the API
 * payment, and the dispatcher's delivery to a merchant that acknowledges at once (a stub fetch).
 * `node --conditions=alipay-legacy-source --import tsx bench/phases.bench.ts` — a tool for finding where the
 * flow bench's time goes; BENCH_DB=postgres://… runs it on PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.js';
import { createSandbox } from '../src/create-sandbox.js';
import { payBody, paymentRequestPath } from './payment-request.js';

const N = Number(process.env.BENCH_TRADES ?? 3000);
const dir = mkdtempSync(join(tmpdir(), 'sandbox-phases-'));
const db = process.env.BENCH_DB ?? join(dir, 'sandbox.db');
const stubFetch = (async () => new Response('success', { status: 200 })) as typeof fetch;
const sandbox = await createSandbox({ db, fetch: stubFetch });
const app = createApp(sandbox.deps);

async function round(prefix: string, n: number) {
  const t = { gateway: 0, pay: 0, deliver: 0 };
  const urls = Array.from({ length: n }, (_, i) => paymentRequestPath(`${prefix}${i}`, 'http://127.0.0.1:1/notify'));
  for (let i = 0; i < n; i++) {
    let s = performance.now();
    const open = await app.request(urls[i]!, { redirect: 'manual' });
    if (open.status !== 303) throw new Error(`gateway ${open.status}: ${await open.text()}`);
    t.gateway += performance.now() - s;
    s = performance.now();
    const pay = await app.request('/sandbox/api/pay', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: payBody(`${prefix}${i}`),
    });
    if (pay.status !== 200) throw new Error(`pay ${pay.status}: ${await pay.text()}`);
    t.pay += performance.now() - s;
    // Deliver every 8 trades (the dispatcher claims in batches under load).
    if (i % 8 === 7 || i === n - 1) {
      s = performance.now();
      await sandbox.deps.dispatcher.runDue();
      t.deliver += performance.now() - s;
    }
  }
  return t;
}

await round('W', 500);
const t = await round('T', N);
const total = t.gateway + t.pay + t.deliver;
const us = (ms: number) => `${((ms * 1000) / N).toFixed(0)} µs`;
console.log(`${N} trades on ${sandbox.deps.writer.dialect}: gateway ${us(t.gateway)}, pay ${us(t.pay)}, deliver ${us(t.deliver)}; total ${us(total)} per trade`);
await sandbox.close();
rmSync(dir, { recursive: true, force: true });
