import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Clock } from 'alipay-legacy';
import { createApp, createSandbox, SEED_MERCHANT, type Sandbox } from 'alipay-legacy-sandbox';
import { createShop } from '../../src/app.js';
import { buildShopDeps, type AlipayAccount, type ShopDeps, type ShopOptions } from '../../src/deps.js';
import { createReconciler, type Reconciler } from '../../src/jobs/reconciler.js';
import type { Dialect, ShopStore } from '../../src/store/open-store.js';
import { openTestStore } from './dialects.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FetchApp = { fetch: (req: Request, env?: any) => Response | Promise<Response> };

/** Serves a late-bound app on 127.0.0.1 port 0 (the app needs the address it is served at). */
async function listen(): Promise<{ server: ServerType; url: string; bind(app: FetchApp): void }> {
  let app: FetchApp | undefined;
  let server!: ServerType;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: (req, env) => (app ? app.fetch(req, env) : new Response('starting', { status: 503 })), port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(info.port),
    );
  });
  return { server, url: `http://127.0.0.1:${port}`, bind: (a) => (app = a) };
}

function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    server.close(() => resolve());
  });
}

export interface TestSandbox {
  url: string;
  gateway: string;
  sandbox: Sandbox;
  /** The sandbox's JSON test API. */
  api<T = unknown>(path: string, body?: unknown): Promise<{ status: number; json: T }>;
  /** Delivers every notification due now (the dispatcher is not started: tests drive it). */
  deliver(): Promise<void>;
  close(): Promise<void>;
}

/** A seeded sandbox on a real loopback port, reached by the shop only over HTTP. */
export async function startTestSandbox(options: { dispatch?: boolean } = {}): Promise<TestSandbox> {
  const served = await listen();
  const sandbox = await createSandbox({ db: ':memory:', publicUrl: served.url, deliveryTimeoutMs: 5000 });
  served.bind(createApp(sandbox.deps, { secret: 'test secret' }));
  if (options.dispatch) sandbox.deps.dispatcher.start();
  return {
    url: served.url,
    gateway: `${served.url}/gateway.do`,
    sandbox,
    async api<T>(path: string, body?: unknown) {
      const res = await fetch(`${served.url}/sandbox/api${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, json: (await res.json()) as T };
    },
    async deliver() {
      await sandbox.deps.dispatcher.runDue();
    },
    async close() {
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

export interface TestShop {
  url: string;
  deps: ShopDeps;
  store: ShopStore;
  clock: ManualClock;
  reconciler: Reconciler;
  close(): Promise<void>;
}

/** The shop on a real loopback port, over a fresh store of the dialect, talking to `gateway`. */
export async function startTestShop(
  dialect: Dialect,
  gateway: string,
  overrides: { alipay?: Partial<AlipayAccount>; options?: Partial<ShopOptions> } = {},
): Promise<TestShop> {
  const store = await openTestStore(dialect);
  const served = await listen();
  const clock = manualClock();
  const deps = buildShopDeps({
    db: store.db,
    dialect: store.dialect,
    alipay: { partner: SEED_MERCHANT.partner, key: SEED_MERCHANT.key, sellerEmail: SEED_MERCHANT.sellerEmail, gateway, timeoutMs: 5000, ...overrides.alipay },
    options: { publicUrl: served.url, sessionSecret: 'test session secret', ...overrides.options },
    clock,
  });
  const reconciler = createReconciler(deps);
  served.bind(createShop(deps, { reconciler }));
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
