import type { Clock } from 'alipay-legacy';
import { createApp, createSandbox, SEED_MERCHANT, type Sandbox } from 'alipay-legacy-sandbox';
import { afterAll, beforeAll } from 'vitest';
import { createShop } from '../../src/app.js';
import { buildShopDeps, type AlipayAccount, type ShopDeps, type ShopOptions } from '../../src/deps.js';
import { createReconciler, type Reconciler } from '../../src/jobs/reconciler.js';
import type { Dialect, ShopStore } from '../../src/store/open-store.js';
import { openTestStore } from './dialects.js';
import { closeServer, listen } from './listen.js';

/** The seeded merchant's partner and MD5 key: what signs test messages. */
export const SEED_SIGNER = { partner: SEED_MERCHANT.partner, key: SEED_MERCHANT.key };

/** What the sandbox's test API answers about a payment it made. */
export interface PaidTrade {
  trade_no: string;
  trade_status: string;
  return_url: string;
}

export interface TestSandbox {
  url: string;
  gateway: string;
  sandbox: Sandbox;
  /** The sandbox's JSON test API. */
  api<T = unknown>(path: string, body?: unknown): Promise<{ status: number; json: T }>;
  /** The buyer (`buyer@sandbox.test` unless `fields.buyer` says otherwise) pays the seeded merchant's open trade. */
  pay(outTradeNo: string, fields?: Record<string, string>): Promise<PaidTrade>;
  /** Delivers every notification due now (unless started with `dispatch`, tests drive the dispatcher). */
  deliver(): Promise<void>;
  close(): Promise<void>;
}

/** A seeded sandbox on a real loopback port, reached by the shop only over HTTP. */
export async function startTestSandbox(options: { dispatch?: boolean } = {}): Promise<TestSandbox> {
  const served = await listen();
  const sandbox = await createSandbox({ db: ':memory:', publicUrl: served.url, deliveryTimeoutMs: 5000 });
  served.bind(createApp(sandbox.deps, { secret: 'test secret' }).fetch);
  if (options.dispatch) sandbox.deps.dispatcher.start();
  const api = async <T,>(path: string, body?: unknown) => {
    const res = await fetch(`${served.url}/sandbox/api${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as T };
  };
  return {
    url: served.url,
    gateway: `${served.url}/gateway.do`,
    sandbox,
    api,
    async pay(outTradeNo, fields = {}) {
      const paid = await api<PaidTrade>('/pay', { partner: SEED_MERCHANT.partner, out_trade_no: outTradeNo, buyer: 'buyer@sandbox.test', ...fields });
      if (paid.status !== 200) throw new Error(`the sandbox refused to pay ${outTradeNo}: ${JSON.stringify(paid.json)}`);
      return paid.json;
    },
    async deliver() {
      await sandbox.deps.dispatcher.runDue();
    },
    async close() {
      // No delivery starts while the server closes.
      await sandbox.deps.dispatcher.stop();
      await closeServer(served.server);
      await sandbox.close();
    },
  };
}

/** A clock tests move by hand (the shop's; the sandbox has its own). */
export interface ManualClock extends Clock {
  advance(ms: number): void;
}

export function manualClock(): ManualClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance: (ms) => {
      offset += ms;
    },
  };
}

/** What a test changes in the shop's Alipay account and options. */
export interface ShopOverrides {
  alipay?: Partial<AlipayAccount>;
  options?: Partial<ShopOptions>;
}

/** The shop's deps over a test store: the seeded merchant's account at `gateway`, served at `publicUrl`. */
export function testShopDeps(store: ShopStore, gateway: string, publicUrl: string, overrides: ShopOverrides & { clock?: Clock } = {}): ShopDeps {
  return buildShopDeps({
    db: store.db,
    dialect: store.dialect,
    alipay: { ...SEED_SIGNER, sellerEmail: SEED_MERCHANT.sellerEmail, gateway, timeoutMs: 5000, ...overrides.alipay },
    options: { publicUrl, sessionSecret: 'test session secret', ...overrides.options },
    ...(overrides.clock ? { clock: overrides.clock } : {}),
  });
}

export interface TestShop {
  url: string;
  deps: ShopDeps;
  store: ShopStore;
  clock: ManualClock;
  reconciler: Reconciler;
  close(): Promise<void>;
}

/** The shop on a real loopback port, over a fresh store of the dialect, talking to `gateway`. */
export async function startTestShop(dialect: Dialect, gateway: string, overrides: ShopOverrides = {}): Promise<TestShop> {
  const store = await openTestStore(dialect);
  const served = await listen();
  const clock = manualClock();
  const deps = testShopDeps(store, gateway, served.url, { ...overrides, clock });
  const reconciler = createReconciler(deps);
  served.bind(createShop(deps, { reconciler }).fetch);
  return {
    url: served.url,
    deps,
    store,
    clock,
    reconciler,
    async close() {
      await reconciler.stop();
      await closeServer(served.server);
      await store.close();
    },
  };
}

export interface TestServers {
  sandbox: TestSandbox;
  shop: TestShop;
  close(): Promise<void>;
}

export interface TestServersOptions {
  /** Start the sandbox's dispatcher (deliveries on their own, as in the demo). */
  dispatch?: boolean;
  /** The shop's overrides, or a function of the sandbox that gives them (e.g. its merchant's RSA keys). */
  shop?: ShopOverrides | ((sandbox: TestSandbox) => Promise<ShopOverrides>);
}

/** A sandbox and a shop of the dialect talking to it; `close()` closes both. */
export async function startTestServers(dialect: Dialect, options: TestServersOptions = {}): Promise<TestServers> {
  const sandbox = await startTestSandbox({ dispatch: options.dispatch ?? false });
  try {
    const overrides = typeof options.shop === 'function' ? await options.shop(sandbox) : options.shop;
    const shop = await startTestShop(dialect, sandbox.gateway, overrides);
    return {
      sandbox,
      shop,
      async close() {
        await shop.close();
        await sandbox.close();
      },
    };
  } catch (error) {
    await sandbox.close();
    throw error;
  }
}

/**
 * `startTestServers` before the tests of the enclosing describe block, closed after them. The
 * fields are set once they are started: read them inside tests and hooks.
 * @example
 * const servers = serversForSuite(dialect);
 * it('…', async () => { const buyer = new HttpBuyer(servers.shop.url); … });
 */
export function serversForSuite(dialect: Dialect, options: TestServersOptions = {}): TestServers {
  const servers = {} as TestServers;
  beforeAll(async () => {
    Object.assign(servers, await startTestServers(dialect, options));
  });
  afterAll(async () => {
    await servers.close?.();
  });
  return servers;
}
