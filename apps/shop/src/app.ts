import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { ShopDeps } from './deps.js';
import { createReconciler, type Reconciler } from './jobs/reconciler.js';
import { adminRoutes } from './routes/admin.js';
import { alipayRoutes } from './routes/alipay.js';
import { directPayRoutes } from './routes/direct-pay.js';
import { quickLoginRoutes } from './routes/quick-login.js';
import { replyNotFound, replyToError } from './routes/replies.js';
import { shopRoutes } from './routes/shop.js';
import type { ShopEnv, Web } from './web/context.js';
import { sessionMiddleware } from './web/session.js';

export interface CreateShopOptions {
  /** The reconciliation job the admin's "立即对账" runs; default one built from the deps (not started). */
  reconciler?: Reconciler;
}

/**
 * The shop's HTTP app (Hono; it never listens: serve it with @hono/node-server, or call
 * `app.request()` in tests). One route module per area, one error mapping.
 * @example
 * const app = createShop(deps);
 * serve({ fetch: app.fetch, port: 3000 });
 */
export function createShop(deps: ShopDeps, options: CreateShopOptions = {}): Hono<ShopEnv> {
  const web: Web = { deps };
  const app = new Hono<ShopEnv>();
  // Pages load nothing from elsewhere; forms may lead to the gateway and on through its redirects.
  app.use('*', secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'self'"], styleSrc: ["'unsafe-inline'"], scriptSrc: ["'none'"] } }));
  // Real notifications and the shop's forms are a few KB: a huge body is refused before it is read.
  app.use('*', bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.text('fail', 413) }));
  app.use('*', sessionMiddleware(deps));
  app.route('/', shopRoutes(web));
  app.route('/', quickLoginRoutes(web));
  app.route('/alipay', alipayRoutes(web));
  app.route('/pay', directPayRoutes(web));
  app.route('/admin', adminRoutes(web, options.reconciler ?? createReconciler(deps)));
  app.notFound(replyNotFound(web));
  app.onError(replyToError(web));
  return app;
}
