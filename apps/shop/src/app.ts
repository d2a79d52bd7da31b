import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { ShopDeps } from './deps.js';
import { createReconciler, type Reconciler } from './jobs/reconciler.js';
import { adminRoutes } from './routes/admin.js';
import { alipayRoutes } from './routes/alipay.js';
import { directPayRoutes } from './routes/direct-pay.js';
import { notifyRoutes } from './routes/notify.js';
import { quickLoginRoutes } from './routes/quick-login.js';
import { replyNotFound, replyToError } from './routes/replies.js';
import { shopRoutes } from './routes/shop.js';
import type { ShopEnv, Web } from './web/context.js';
import { MAX_BODY_BYTES } from './web/raw-request.js';
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
  // Alipay's server posts notifications: no session, no CSRF token, no page headers, a body read
  // straight from the socket with its own limit. Mounted first, so the middleware below never runs for it.
  app.route('/alipay', notifyRoutes(web));
  // Pages load nothing from elsewhere; forms may lead to the gateway and on through its redirects.
  app.use('*', secureHeaders({ contentSecurityPolicy: { defaultSrc: ["'self'"], styleSrc: ["'unsafe-inline'"], scriptSrc: ["'none'"] } }));
  // The shop's forms are a few KB: a huge body is refused before it is read.
  app.use('*', bodyLimit({ maxSize: MAX_BODY_BYTES, onError: (c) => c.text('fail', 413) }));
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
