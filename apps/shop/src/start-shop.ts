import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import type { Clock } from 'alipay-legacy';
import type { Hono } from 'hono';
import { createShop } from './app.js';
import { configFromEnv, type ShopConfig } from './config.js';
import { buildShopDeps, type ShopDeps } from './deps.js';
import { createReconciler } from './jobs/reconciler.js';
import { migrateToLatest } from './store/migrate.js';
import { isPostgresUrl, openStore } from './store/open-store.js';
import type { ShopEnv } from './web/context.js';

export interface StartShopOptions extends Partial<ShopConfig> {
  /** Where the defaults come from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The clock (default the system clock). */
  clock?: Clock;
  /** Start the reconciliation job (default true). */
  reconcile?: boolean;
}

export interface RunningShop {
  /** The shop's public address, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** The services' dependencies (for tests and scripts). */
  deps: ShopDeps;
  /** Whether the admin password is the printed demo default. */
  defaultAdminPassword: boolean;
  /** Stops taking requests, lets the ones in flight and a reconciliation pass finish, closes the store. */
  stop(): Promise<void>;
}

/**
 * Opens the store (SQLite file, or PostgreSQL from a `postgres://` URL), runs the migrations,
 * serves the shop and starts the reconciliation job. Configuration comes from the environment
 * (`configFromEnv`), overridden by the options.
 * @example
 * const shop = await startShop({ port: 0 });
 * console.log(shop.url);
 * await shop.stop();
 */
export async function startShop(options: StartShopOptions = {}): Promise<RunningShop> {
  const base = configFromEnv(options.env ?? process.env);
  const config: ShopConfig = {
    ...base,
    ...Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && k in base)),
    alipay: { ...base.alipay, ...options.alipay },
    options: { ...base.options, ...options.options },
  };
  if (!isPostgresUrl(config.database) && config.database !== ':memory:') mkdirSync(dirname(config.database), { recursive: true });
  const store = openStore(config.database);
  try {
    await migrateToLatest(store.db, store.dialect);
  } catch (error) {
    await store.close();
    throw error;
  }
  // Bound once the address is known (the app's links and Alipay's URLs need it).
  // eslint-disable-next-line prefer-const
  let app: Hono<ShopEnv> | undefined;
  let server: ServerType;
  const port = await new Promise<number>((resolveListen, reject) => {
    server = serve(
      { fetch: (req, env) => (app ? app.fetch(req, env) : new Response('starting', { status: 503 })), port: config.port, hostname: config.host },
      (info: AddressInfo) => resolveListen(info.port),
    );
    server.once('error', reject);
  });
  const hostForLinks = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = (config.options.publicUrl ?? `http://${hostForLinks.includes(':') ? `[${hostForLinks}]` : hostForLinks}:${port}`).replace(/\/+$/, '');
  const deps = buildShopDeps({
    db: store.db,
    dialect: store.dialect,
    alipay: config.alipay,
    options: { sessionSecret: 'unset', ...config.options, publicUrl: url },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const reconciler = createReconciler(deps);
  app = createShop(deps, { reconciler });
  if (options.reconcile !== false) reconciler.start();
  let stopping: Promise<void> | undefined;
  return {
    url,
    deps,
    defaultAdminPassword: config.defaultAdminPassword,
    stop() {
      stopping ??= (async () => {
        await reconciler.stop();
        await new Promise<void>((done) => server.close(() => done()));
        await store.close();
      })();
      return stopping;
    },
  };
}
