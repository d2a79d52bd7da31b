import { Hono } from 'hono';
import { createActivityFeed, type ActivityFeed } from './activity/feed.js';
import type { SandboxDeps } from './deps.js';
import { DASHBOARD_PATHS, apiTokenGuard, dashboardTokenGuard } from './routes/access-token.js';
import { activityRoutes } from './routes/activity-stream.js';
import { CSRF_CHECKED_PATHS, csrfCheck, csrfFormFields } from './routes/csrf.js';
import { apiRoutes } from './routes/api.js';
import { cashierRoutes } from './routes/cashier.js';
import { buyerRoutes, sellerRoutes } from './routes/consoles.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { etaoRoutes } from './routes/etao.js';
import { gatewayRoutes } from './routes/gateway.js';
import { addressRoutes, authRoutes } from './routes/quick-login.js';
import { replyNotFound, replyToError } from './routes/replies.js';
import { logGatewayRequests } from './routes/request-log.js';
import { createSealer } from './routes/sealed.js';
import { headWithoutBody } from './routes/head-requests.js';
import type { AppEnv, Web } from './routes/web-context.js';

export interface AppOptions {
  /**
   * The secret that seals login cookies and page contexts. Default: random per app, so a restart
   * logs everybody out; give the same secret to several processes behind one address.
   */
  secret?: string;
  /**
   * Where the app reports what happens (gateway requests) and what `/sandbox/api/activity` streams.
   * Default: a feed of its own. The CLI passes the one its terminal lines come from.
   */
  activity?: ActivityFeed;
  /**
   * When set, the test API answers only `Authorization: Bearer <apiToken>` and the dashboard only a
   * browser that gave the token once (decisions.md §31). Default: none (a loopback sandbox).
   */
  apiToken?: string;
}

/**
 * The sandbox's HTTP app (Hono; it never listens: serve it with @hono/node-server, or call
 * `app.request()` in tests). One route module per area, one error mapping (decisions.md §19).
 * @example
 * const { deps } = await createSandbox({ db: ':memory:' });
 * const res = await createApp(deps).request('/gateway.do?service=notify_verify&partner=x&notify_id=y');
 */
export function createApp(deps: SandboxDeps, options: AppOptions = {}): Hono<AppEnv> {
  const web: Web = { deps, sealer: createSealer(options.secret), activity: options.activity ?? createActivityFeed(deps) };
  const app = new Hono<AppEnv>();
  app.use(headWithoutBody);
  if (options.apiToken) {
    const api = apiTokenGuard(web, options.apiToken);
    app.use('/sandbox/api', api);
    app.use('/sandbox/api/*', api);
    const dashboard = dashboardTokenGuard(web, options.apiToken);
    for (const path of DASHBOARD_PATHS) app.use(path, dashboard);
  }
  app.use(csrfFormFields(web));
  const csrf = csrfCheck(web);
  for (const path of CSRF_CHECKED_PATHS) app.use(path, csrf);
  app.use('/gateway.do', logGatewayRequests(web));
  app.use('/trade/notify_query.do', logGatewayRequests(web));
  app.route('/', gatewayRoutes(web));
  app.route('/cashier', cashierRoutes(web));
  app.route('/auth', authRoutes(web));
  app.route('/address', addressRoutes(web));
  app.route('/seller', sellerRoutes(web));
  app.route('/buyer', buyerRoutes(web));
  app.route('/etao', etaoRoutes(web));
  app.route('/sandbox/api/activity', activityRoutes(web));
  app.route('/sandbox/api', apiRoutes(web));
  app.route('/', dashboardRoutes(web));
  app.notFound(replyNotFound);
  app.onError(replyToError);
  return app;
}
