import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { openStore, type ShopStore } from '../../apps/shop/src/store/open-store.js';
import { HttpBuyer } from '../../apps/shop/test/helpers/http-buyer.js';
import { startShopProcess, type ShopProcess } from '../../apps/shop/test/helpers/shop-process.js';
import { api, createTestDatabase, startSandboxProcess, waitFor, type SandboxProcess } from '../../packages/sandbox/test/helpers/processes.js';
import { SEED_MERCHANT } from '../../packages/sandbox/src/seed.js';

export { api, waitFor, HttpBuyer, SEED_MERCHANT };
export type { SandboxProcess, ShopProcess };

/**
 * The reliability suite's common ground: sizes (env RELIABILITY_SIZE, `ci` by default or `full`),
 * the stores it runs on (env RELIABILITY_STORES, default `sqlite,postgres`), and a stack of real
 * processes — the sandbox CLI and the shop — on loopback, each on a fresh store.
 */
export type Store = 'sqlite' | 'postgres';

const size = process.env.RELIABILITY_SIZE ?? 'ci';
if (size !== 'ci' && size !== 'full') throw new Error(`RELIABILITY_SIZE: unknown size "${size}" (use ci, full)`);
export const SIZE: 'ci' | 'full' = size;

/** The CI figure or the full one, by RELIABILITY_SIZE. */
export function sized(ci: number, full: number): number {
  return SIZE === 'full' ? full : ci;
}

export const STORES: Store[] = (process.env.RELIABILITY_STORES ?? 'sqlite,postgres')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is Store => {
    if (s === '') return false;
    if (s !== 'sqlite' && s !== 'postgres') throw new Error(`RELIABILITY_STORES: unknown store "${s}" (use sqlite, postgres)`);
    return true;
  });

/** How long a scenario waits for the deliveries to settle (they grow with the size). */
export const SETTLE_MS = sized(120_000, 1_200_000);

/** The seeded merchant's partner id (every order of the suite is the seeded merchant's). */
export const PARTNER = SEED_MERCHANT.partner;

/** Prints one scenario's figures, as one line the CI log keeps. */
export function report(line: string): void {
  process.stdout.write(`[reliability] ${line}\n`);
}

/** Cleanups run in reverse order after each test and, for what is left, after the file: processes never outlive the suite. */
export function cleanupsForSuite(): (cleanup: () => unknown) => void {
  const cleanups: (() => unknown)[] = [];
  const run = async () => {
    const errors: unknown[] = [];
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  };
  afterEach(run);
  afterAll(run);
  return (cleanup) => cleanups.push(cleanup);
}

/** A port free now on 127.0.0.1, so a process can be restarted on the same address. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** One notification as the sandbox's test API lists it. */
export interface NotificationView {
  id: number;
  trade_no: string;
  notify_id: string;
  state: string;
  attempt_count: number;
  replay_of: number | null;
  next_attempt_at: string;
  params: Record<string, string>;
  /** The form body every attempt sends. */
  body: string;
  attempts: { number: number; worker_id: string; started_at: string; http_status: number | null; response_body: string | null; error: string | null; fault: string | null; acknowledged: boolean }[];
}

export interface StackOptions {
  /** Extra sandbox CLI arguments (they win over the helper's `--schedule fast`). */
  sandboxArgs?: string[];
  /** Extra shop environment. */
  shopEnv?: Record<string, string>;
  /** How many shop processes (PostgreSQL only for more than one). */
  shops?: number;
  /** How many sandbox processes (PostgreSQL only for more than one). */
  sandboxes?: number;
}

/**
 * A sandbox process and a shop process of the store, each on a fresh database (an SQLite file in a
 * temporary folder, or a fresh PostgreSQL database), the shop pointed at the sandbox's gateway on a
 * fixed port so it can be stopped and started again at the same notify_url.
 */
export class Stack {
  sandboxes: SandboxProcess[] = [];
  shops: (ShopProcess | undefined)[] = [];
  shopPorts: number[] = [];
  sandboxPorts: number[] = [];
  sandboxDb = '';
  shopDb = '';
  private dir = '';
  private store?: ShopStore;

  constructor(
    readonly storeKind: Store,
    private readonly addCleanup: (cleanup: () => unknown) => void,
    private readonly options: StackOptions = {},
  ) {}

  get sandbox(): SandboxProcess {
    return this.sandboxes[0]!;
  }

  get shopUrl(): string {
    return this.shopUrlOf(0);
  }

  /** The address of shop process `i`. */
  shopUrlOf(i: number): string {
    return `http://127.0.0.1:${this.shopPorts[i]}`;
  }

  async start(): Promise<this> {
    this.dir = mkdtempSync(join(tmpdir(), `reliability-${this.storeKind}-`));
    this.addCleanup(() => rmSync(this.dir, { recursive: true, force: true }));
    if (this.storeKind === 'postgres') {
      const sandboxDb = await createTestDatabase();
      this.addCleanup(() => sandboxDb.drop());
      const shopDb = await createTestDatabase();
      this.addCleanup(() => shopDb.drop());
      this.sandboxDb = sandboxDb.url;
      this.shopDb = shopDb.url;
    } else {
      this.sandboxDb = join(this.dir, 'sandbox.db');
      this.shopDb = join(this.dir, 'shop.db');
    }
    // The first process migrates and seeds, then the others join it on the same store.
    for (let i = 0; i < (this.options.sandboxes ?? 1); i++) await this.startSandbox(i);
    for (let i = 0; i < (this.options.shops ?? 1); i++) {
      this.shopPorts.push(await freePort());
      await this.startShop(i);
    }
    return this;
  }

  /** Starts sandbox process `i` (again, after a kill) on its port and the stack's store. */
  async startSandbox(i = 0): Promise<SandboxProcess> {
    const cwd = join(this.dir, `sandbox-${i}`);
    mkdirSync(cwd, { recursive: true });
    this.sandboxPorts[i] ??= await freePort();
    const args = ['--port', String(this.sandboxPorts[i]), '--quiet', ...(this.options.sandboxArgs ?? [])];
    const p = await startSandboxProcess({ db: this.sandboxDb, cwd, args });
    this.addCleanup(() => p.kill());
    this.sandboxes[i] = p;
    return p;
  }

  /** Starts shop process `i` (again, after a stop or a kill) on its port and the stack's store, asking sandbox `i` (modulo their number) as its gateway. */
  async startShop(i = 0, env: Record<string, string> = {}): Promise<ShopProcess> {
    const shop = await startShopProcess({
      SHOP_PORT: String(this.shopPorts[i]),
      ...(this.storeKind === 'postgres' ? { DATABASE_URL: this.shopDb } : { DATA_DIR: this.dir }),
      ALIPAY_GATEWAY: `${this.sandboxes[i % this.sandboxes.length]!.url}/gateway.do`,
      SHOP_SESSION_SECRET: 'reliability',
      SHOP_PAYMENT_SERVICE: 'instant',
      SHOP_RECONCILE_EVERY_SECONDS: '3600',
      ...this.options.shopEnv,
      ...env,
    });
    this.addCleanup(() => shop.kill());
    this.shops[i] = shop;
    return shop;
  }

  /** The shop's database, opened beside the running shop (for the checks). */
  db(): ShopStore['db'] {
    if (!this.store) {
      const store = openStore(this.shopDb, { poolSize: 2 });
      this.store = store;
      this.addCleanup(() => store.close());
    }
    return this.store.db;
  }

  /** The sandbox's JSON test API (of process `i`). */
  api<T>(method: string, path: string, body?: unknown, i = 0): Promise<T> {
    return api<T>(this.sandboxes[i]!.url, method, path, body);
  }

  /**
   * The notifications of these orders with their attempts (the API lists at most 500 at once, so
   * they are read order by order; an order whose notifications were all acknowledged is not read
   * again while `settled` holds it).
   */
  async notifications(outTradeNos: string[], settled?: Map<string, NotificationView[]>): Promise<NotificationView[]> {
    const out: NotificationView[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < outTradeNos.length) {
          const no = outTradeNos[next++]!;
          let list = settled?.get(no);
          if (!list) {
            list = await this.api<NotificationView[]>('GET', `/notifications?partner=${PARTNER}&out_trade_no=${encodeURIComponent(no)}`);
            if (settled && list.length > 0 && list.every((n) => n.state === 'acknowledged')) settled.set(no, list);
          }
          out.push(...list);
        }
      }),
    );
    return out;
  }

  async setFault(kind: string, count?: number, seconds?: number): Promise<void> {
    await this.api('POST', '/faults', { partner: PARTNER, kind, ...(count === undefined ? {} : { count }), ...(seconds === undefined ? {} : { seconds }) });
  }
}

/** A buyer who places an order in the shop (cart, checkout, on to the gateway) and pays it at the sandbox; resolves to the order and the signed return URL. */
export async function buyAndPay(stack: Stack, buyer: HttpBuyer, sandboxIndex = 0): Promise<{ outTradeNo: string; returnUrl: string }> {
  const outTradeNo = await buyer.placeOrder();
  const paid = await stack.api<{ return_url: string; trade_status: string }>('POST', '/pay', { partner: PARTNER, out_trade_no: outTradeNo, buyer: 'buyer@sandbox.test' }, sandboxIndex);
  return { outTradeNo, returnUrl: paid.return_url };
}

/** Runs `work(i)` for i in [0, n) on `concurrency` workers, each with its own HttpBuyer. */
export async function inParallel(n: number, concurrency: number, base: string | ((worker: number) => string), work: (i: number, buyer: HttpBuyer) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, w) => {
      const buyer = new HttpBuyer(typeof base === 'string' ? base : base(w));
      while (next < n) await work(next++, buyer);
    }),
  );
}

/** The figures of the shop's database that say whether every order was paid exactly once. */
export interface OrderFigures {
  orders: number;
  paidOnce: number;
  lost: string[];
  doubled: string[];
  movedBack: string[];
  refused: number;
  duplicates: number;
}

/**
 * Reads the shop's orders, their history and its notification log: an order is paid once when it
 * is TRADE_FINISHED with exactly one status change in its history (to TRADE_FINISHED) and at most
 * one applied message; lost when not paid; doubled when changed or applied more than once; moved back
 * when a change leads away from TRADE_FINISHED.
 */
export async function orderFigures(stack: Stack, outTradeNos: string[]): Promise<OrderFigures> {
  const db = stack.db();
  const orders = await db.selectFrom('orders').select(['id', 'out_trade_no', 'trade_status']).execute();
  const events = await db.selectFrom('order_events').select(['order_id', 'from_status', 'to_status']).where('kind', '=', 'trade_status').execute();
  const log = await db.selectFrom('notification_log').select(['out_trade_no', 'outcome']).where('kind', 'in', ['notify', 'return']).execute();
  const byNo = new Map(orders.map((o) => [o.out_trade_no, o]));
  const eventsOf = new Map<number, { from_status: string | null; to_status: string | null }[]>();
  for (const e of events) eventsOf.set(e.order_id, [...(eventsOf.get(e.order_id) ?? []), e]);
  const applied = new Map<string, number>();
  let refused = 0;
  let duplicates = 0;
  for (const l of log) {
    if (l.outcome === 'applied' && l.out_trade_no) applied.set(l.out_trade_no, (applied.get(l.out_trade_no) ?? 0) + 1);
    if (l.outcome === 'refused') refused++;
    if (l.outcome === 'duplicate' || l.outcome === 'stale') duplicates++;
  }
  const figures: OrderFigures = { orders: 0, paidOnce: 0, lost: [], doubled: [], movedBack: [], refused, duplicates };
  for (const no of outTradeNos) {
    const order = byNo.get(no);
    if (!order) {
      figures.lost.push(no);
      continue;
    }
    figures.orders++;
    const changes = eventsOf.get(order.id) ?? [];
    if (order.trade_status !== 'TRADE_FINISHED') figures.lost.push(no);
    if (changes.length > 1 || (applied.get(no) ?? 0) > 1) figures.doubled.push(no);
    if (changes.some((c) => c.from_status === 'TRADE_FINISHED')) figures.movedBack.push(no);
    // Paid by one change; through one message, or through the reconciliation's query and no message.
    if (order.trade_status === 'TRADE_FINISHED' && changes.length === 1 && changes[0]!.to_status === 'TRADE_FINISHED' && (applied.get(no) ?? 0) <= 1) figures.paidOnce++;
  }
  return figures;
}

/** How many of the orders are paid in the shop's database now. */
export async function paidCount(stack: Stack): Promise<number> {
  const row = await stack.db().selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('trade_status', '=', 'TRADE_FINISHED').executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every order has a notification and every notification of the orders is acknowledged (none pending, retrying or given up). */
export function allAcknowledged(stack: Stack, outTradeNos: string[]): () => Promise<boolean> {
  const settled = new Map<string, NotificationView[]>();
  return async () => {
    const list = await stack.notifications(outTradeNos, settled);
    return settled.size === outTradeNos.length && list.every((n) => n.state === 'acknowledged');
  };
}

/** Waits for `check` with a deadline; on timeout, the error says where the orders and the deliveries stand. */
export async function settle(stack: Stack, outTradeNos: string[], check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  try {
    await waitFor(check, ms, what);
  } catch (error) {
    const list = await stack.notifications(outTradeNos);
    const states: Record<string, number> = {};
    for (const n of list) states[n.state] = (states[n.state] ?? 0) + 1;
    const stuck = list.filter((n) => n.state !== 'acknowledged').slice(0, 3);
    throw new Error(`${(error as Error).message}; paid ${await paidCount(stack)}; notifications ${JSON.stringify(states)}; e.g. ${JSON.stringify(stuck)}`);
  }
}

/** A time of the sandbox's API (Beijing time, `yyyy-MM-dd HH:mm:ss`) in epoch ms. */
export function beijingMs(time: string): number {
  return Date.parse(`${time.replace(' ', 'T')}+08:00`);
}

/** Moves the sandbox's clock; answers once everything due on the way ran. */
export async function advanceClock(stack: Stack, seconds: number): Promise<void> {
  await stack.api('POST', '/clock/advance', { seconds });
}

/** Injected faults recorded in the sandbox's delivery log, by kind. */
export function injected(list: NotificationView[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of list) for (const a of n.attempts) if (a.fault) counts[a.fault] = (counts[a.fault] ?? 0) + 1;
  return counts;
}
