/**
 * The sandbox's end-to-end benchmark: `npm run bench -w alipay-legacy-sandbox`.
 *
 * For each store (a SQLite file in a temp folder, a fresh PostgreSQL database) it starts the real
 * CLI (`alipay-legacy sandbox --schedule real`) as a child process — the sandbox gets a core of its
 * own, as when a merchant's test suite talks to it — and from this process, over loopback HTTP:
 * 1. throughput: trades created (signed `create_direct_pay_by_user` GET to /gateway.do) and paid
 *    (POST /sandbox/api/pay) by concurrent clients, each finished when the merchant's notify_url on
 *    127.0.0.1 has acknowledged its notification; trades per second = trades / (last
 *    acknowledgement − start);
 * 2. latency: the same flow at a fixed offered load (100 trades/s, open loop), and the delay from
 *    payment (trades.gmt_payment) to the first delivery attempt — when the dispatcher claimed it
 *    (delivery_attempts.started_at) and when it reached the merchant — p50 and p99.
 *
 * Beside each store it runs the same two measurements against `bare-baseline.ts` (a bare Hono app
 * doing the same transactions and statements over the same store, and nothing else): the limit of
 * this design on this machine. The root `npm run bench` records the sandbox's figures as shares of
 * that limit (bench/figures.ts).
 *
 * Environment: BENCH_DIALECTS (default "sqlite,postgres"), BENCH_TRADES (5000), BENCH_CONCURRENCY
 * (32), BENCH_RATE (100), BENCH_SECONDS (10), PG_URL (postgres://postgres@127.0.0.1:5432/test),
 * BENCH_PROFILE=<dir> (writes the sandbox process's --cpu-prof profile there).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { payBody, paymentRequestPath } from './payment-request.js';
import { openDb } from '../src/store/open-db.js';
import { adminQuery, PG_URL } from '../test/helpers/pg-admin.js';
import { SOURCE_CLI, SOURCE_CONDITIONS } from '../test/helpers/source-cli.js';
import { rateFigure, recordFigures, timeFigure } from '../../../bench/figures.js';

const DIALECTS = (process.env.BENCH_DIALECTS ?? 'sqlite,postgres').split(',').map((s) => s.trim()).filter(Boolean);
const TRADES = Number(process.env.BENCH_TRADES ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const RATE = Number(process.env.BENCH_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const PROFILE = process.env.BENCH_PROFILE ? resolve(process.env.BENCH_PROFILE) : undefined;
const GOALS: Record<string, number> = { sqlite: 500, postgres: 300 };
const P99_GOAL_MS = 50;

interface Row {
  dialect: string;
  /** The sandbox, or the bare baseline over the same store. */
  server: Server;
  trades: number;
  requestsPerSecond: number;
  tradesPerSecond: number;
  claimP50: number;
  claimP99: number;
  arrivalP50: number;
  arrivalP99: number;
  /** From sending the payment to the notification's arrival, as the client sees it (both servers). */
  sentToArrivalP99: number;
  loadTrades: number;
  attemptsPerNotification: number;
  /** CPU time of the sandbox process per trade in the throughput run (load-independent). */
  cpuMsPerTrade: number;
  /** CPU time of this process (clients and the merchant's server) per trade in the throughput run. */
  clientCpuMsPerTrade: number;
}

/** User + system CPU ms of a process and its descendants (Linux /proc; NaN elsewhere). */
function treeCpuMs(pid: number): number {
  try {
    let ticks = 0;
    const visit = (p: number) => {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of stat)
      for (const task of readdirSync(`/proc/${p}/task`)) {
        for (const child of readFileSync(`/proc/${p}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) visit(Number(child));
      }
    };
    visit(pid);
    return ticks * 10; // USER_HZ is 100 on Linux
  } catch {
    return NaN;
  }
}

/** The merchant's notify_url: answers `success` at once and notes when each order's notification first arrived. */
async function startMerchant() {
  const firstArrival = new Map<string, number>();
  let arrivals = 0;
  const server = createServer((req, res) => {
    const at = Date.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const outTradeNo = new URLSearchParams(Buffer.concat(chunks).toString('latin1')).get('out_trade_no') ?? '';
      if (!firstArrival.has(outTradeNo)) firstArrival.set(outTradeNo, at);
      arrivals++;
      res.writeHead(200, { 'content-type': 'text/plain' }).end('success');
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`,
    firstArrival,
    arrivals: () => arrivals,
    stop: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

type Server = 'sandbox' | 'bare baseline';
const BARE = fileURLToPath(new URL('./bare-baseline.ts', import.meta.url));

/** The CLI (or the bare baseline) in a child process; resolves with its URL once its banner is printed. */
async function startServer(server: Server, db: string, cwd: string) {
  const profile = PROFILE && server === 'sandbox' ? ['--cpu-prof', '--cpu-prof-dir', PROFILE] : [];
  const args = server === 'sandbox' ? [...profile, ...SOURCE_CLI, 'sandbox', '--port', '0', '--schedule', 'real', '--db', db, '--quiet'] : [...SOURCE_CONDITIONS, BARE, db];
  const banner = server === 'sandbox' ? /alipay-legacy sandbox on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*Ctrl-C stops/ : /bare baseline on (http:\/\/127\.0\.0\.1:\d+)/;
  const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`no banner:\n${out}`)), 60_000);
    child.stdout.on('data', () => {
      const m = banner.exec(out);
      if (m) {
        clearTimeout(timer);
        ok(m[1]!);
      }
    });
    void exited.then(() => fail(new Error(`the sandbox exited:\n${out}`)));
  });
  return {
    url,
    pid: child.pid!,
    output: () => out,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * The clients' HTTP: node:http over keep-alive sockets. The load generator shares the 2 cores with
 * the sandbox (and PostgreSQL), so it should cost as little as it can; fetch (undici) costs several
 * times more CPU per request.
 */
const clientAgent = new Agent({ keepAlive: true, maxSockets: 256 });
function send(url: string, method: 'GET' | 'POST', body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent: clientAgent, headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** When each trade's payment was sent (for the delay to its notification as the client sees it). */
const paySent = new Map<string, number>();

/** One trade: the signed payment request (expects the 303 to the cashier), then the payment through the API. */
async function createAndPay(base: string, outTradeNo: string, notifyUrl: string): Promise<void> {
  const open = await send(`${base}${paymentRequestPath(outTradeNo, notifyUrl)}`, 'GET');
  if (open.status !== 303) throw new Error(`gateway.do answered ${open.status} for ${outTradeNo}`);
  paySent.set(outTradeNo, Date.now());
  const pay = await send(`${base}/sandbox/api/pay`, 'POST', payBody(outTradeNo));
  if (pay.status !== 200) throw new Error(`pay answered ${pay.status}: ${pay.text}`);
}

async function waitUntil(check: () => boolean, ms: number, what: string) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function runDialect(dialect: string, server: Server): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), `sandbox-bench-${dialect}-`));
  let db = join(dir, 'sandbox.db');
  let dropDb: (() => Promise<void>) | undefined;
  if (dialect === 'postgres') {
    const name = `sandbox_bench_${randomBytes(4).toString('hex')}`;
    await adminQuery(`create database ${name}`);
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    db = url.toString();
    dropDb = () => adminQuery(`drop database if exists ${name} with (force)`);
  }
  const merchant = await startMerchant();
  const sandbox = await startServer(server, db, dir);
  const run = randomBytes(3).toString('hex');
  try {
    // Warm-up: JIT, connection pools, keep-alive sockets.
    const warm = Array.from({ length: 500 }, (_, i) => `W${run}${i}`);
    await pool(warm, CONCURRENCY, (no) => createAndPay(sandbox.url, no, merchant.url));
    await waitUntil(() => warm.every((no) => merchant.firstArrival.has(no)), 30_000, 'warm-up notifications');

    // 1. Throughput, closed loop.
    const orders = Array.from({ length: TRADES }, (_, i) => `T${run}${i}`);
    const cpuBefore = treeCpuMs(sandbox.pid);
    const clientCpuBefore = process.cpuUsage();
    const started = performance.now();
    const startedAt = Date.now();
    await pool(orders, CONCURRENCY, (no) => createAndPay(sandbox.url, no, merchant.url));
    const requestsDone = performance.now();
    await waitUntil(() => orders.every((no) => merchant.firstArrival.has(no)), 120_000, 'every notification');
    const lastAck = Math.max(...orders.map((no) => merchant.firstArrival.get(no)!));
    const tradesPerSecond = TRADES / ((lastAck - startedAt) / 1000);
    const requestsPerSecond = TRADES / ((requestsDone - started) / 1000);
    const cpuMsPerTrade = (treeCpuMs(sandbox.pid) - cpuBefore) / TRADES;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const clientCpuMsPerTrade = (clientCpu.user + clientCpu.system) / 1000 / TRADES;

    // 2. Latency at a fixed offered load (open loop: trade i starts at i / RATE s, whatever the others do).
    const load = Array.from({ length: Math.round(RATE * SECONDS) }, (_, i) => `L${run}${i}`);
    const t0 = performance.now() + 50;
    await Promise.all(
      load.map(async (no, i) => {
        const wait = t0 + (i * 1000) / RATE - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        await createAndPay(sandbox.url, no, merchant.url);
      }),
    );
    await waitUntil(() => load.every((no) => merchant.firstArrival.has(no)), 60_000, 'every load notification');
    const sentToArrival = load.map((no) => merchant.firstArrival.get(no)! - paySent.get(no)!).sort((a, b) => a - b);
    const common = { dialect, server, trades: TRADES, requestsPerSecond, tradesPerSecond, sentToArrivalP99: percentile(sentToArrival, 99), cpuMsPerTrade, clientCpuMsPerTrade };
    if (server === 'bare baseline') {
      return { ...common, claimP50: NaN, claimP99: NaN, arrivalP50: NaN, arrivalP99: NaN, loadTrades: load.length, attemptsPerNotification: 1 };
    }

    // Read the payment and first-claim times from the store (the clock offset is 0: virtual = real ms).
    // A SQLite file belongs to one process (open-db.ts): it is read once the sandbox has stopped.
    if (dialect !== 'postgres') await sandbox.stop();
    const store = dialect === 'postgres' ? openDb(db, { poolSize: 1 }) : openDb(join(dir, 'sandbox.db'));
    try {
      const rows = await store.db
        .selectFrom('trades as t')
        .innerJoin('notifications as n', 'n.trade_no', 't.trade_no')
        .innerJoin('delivery_attempts as a', (j) => j.onRef('a.notification_id', '=', 'n.id').on('a.number', '=', 1))
        .select(['t.out_trade_no', 't.gmt_payment', 'a.started_at'])
        .where('t.out_trade_no', 'like', `L${run}%`)
        .execute();
      const attempts = await store.db
        .selectFrom('delivery_attempts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const notifications = await store.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const claim = rows.map((r) => Number(r.started_at) - Number(r.gmt_payment)).sort((a, b) => a - b);
      const arrival = rows.map((r) => merchant.firstArrival.get(r.out_trade_no)! - Number(r.gmt_payment)).sort((a, b) => a - b);
      return {
        ...common,
        claimP50: percentile(claim, 50),
        claimP99: percentile(claim, 99),
        arrivalP50: percentile(arrival, 50),
        arrivalP99: percentile(arrival, 99),
        loadTrades: rows.length,
        attemptsPerNotification: Number(attempts.n) / Number(notifications.n),
      };
    } finally {
      await store.close();
    }
  } catch (error) {
    console.error(sandbox.output());
    throw error;
  } finally {
    await sandbox.stop();
    await merchant.stop();
    await dropDb?.();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `fn` over `items` with at most `n` at once. */
async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

const rows: Row[] = [];
// The figures are only as good as the machine is quiet: say how busy it was.
const loadBefore = loadavg()[0]!;
if (PROFILE) mkdirSync(PROFILE, { recursive: true });
for (const dialect of DIALECTS) {
  for (const server of ['sandbox', 'bare baseline'] as const) {
    process.stderr.write(`benchmarking the ${server} on ${dialect}…\n`);
    rows.push(await runDialect(dialect, server));
  }
}

const ms = (n: number) => `${n.toFixed(0)} ms`;
const table = [
  ['store', 'server', 'trades', 'create+pay /s', 'trades/s (→ ack)', 'goal', 'server CPU/trade', 'bench CPU/trade', `claim p50 / p99 @${RATE}/s`, `arrival p50 / p99 @${RATE}/s`, 'p99 goal', 'sent → arrival p99', 'attempts/notification'],
  ...rows.map((r) => [
    r.dialect,
    r.server,
    String(r.trades),
    r.requestsPerSecond.toFixed(0),
    r.tradesPerSecond.toFixed(0),
    r.server === 'sandbox' ? `${GOALS[r.dialect] ?? '?'} ${r.tradesPerSecond >= (GOALS[r.dialect] ?? Infinity) ? 'met' : 'MISSED'}` : '',
    `${r.cpuMsPerTrade.toFixed(1)} ms`,
    `${r.clientCpuMsPerTrade.toFixed(1)} ms`,
    r.server === 'sandbox' ? `${ms(r.claimP50)} / ${ms(r.claimP99)}` : '',
    r.server === 'sandbox' ? `${ms(r.arrivalP50)} / ${ms(r.arrivalP99)} (n=${r.loadTrades})` : '',
    r.server === 'sandbox' ? `${P99_GOAL_MS} ms ${r.arrivalP99 < P99_GOAL_MS ? 'met' : 'MISSED'}` : '',
    ms(r.sentToArrivalP99),
    r.attemptsPerNotification.toFixed(2),
  ]),
];
const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ');
console.log(
  `\nsandbox flow benchmark — ${TRADES} trades, ${CONCURRENCY} concurrent clients; latency at ${RATE} trades/s for ${SECONDS} s` +
    ` (node ${process.version}, ${cpus().length} cores, load average ${loadBefore.toFixed(1)} before / ${loadavg()[0]!.toFixed(1)} after)\n`,
);
console.log(line(table[0]!));
console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
for (const row of table.slice(1)) console.log(line(row));
console.log('');

const STORE_NAMES: Record<string, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };
recordFigures(
  DIALECTS.flatMap((dialect) => {
    const sandbox = rows.find((r) => r.dialect === dialect && r.server === 'sandbox')!;
    const bare = rows.find((r) => r.dialect === dialect && r.server === 'bare baseline')!;
    const store = STORE_NAMES[dialect] ?? dialect;
    const limit = { name: `bare Hono + ${store}, same statements`, value: 0 };
    return [
      timeFigure({
        part: 'sandbox',
        name: `server CPU per trade, ${store}`,
        value: sandbox.cpuMsPerTrade,
        unit: 'ms',
        limit: { ...limit, value: bare.cpuMsPerTrade },
      }),
      rateFigure({
        part: 'sandbox',
        name: `trades end to end, ${store}`,
        value: sandbox.tradesPerSecond,
        unit: 'trades/s',
        limit: { ...limit, value: bare.tradesPerSecond },
        ...(GOALS[dialect] ? { goal: { value: GOALS[dialect], text: `≥ ${GOALS[dialect]}/s` } } : {}),
        guarded: false,
      }),
      timeFigure({
        part: 'sandbox',
        name: `payment → first delivery p99 at ${RATE}/s, ${store}`,
        value: sandbox.sentToArrivalP99,
        unit: 'ms',
        limit: { ...limit, value: bare.sentToArrivalP99 },
        goal: { value: P99_GOAL_MS, text: `< ${P99_GOAL_MS} ms` },
        guarded: false,
      }),
    ];
  }),
);
