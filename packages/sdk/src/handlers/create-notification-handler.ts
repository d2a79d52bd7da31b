import type { ResolvedConfig } from '../config.js';
import { expressAdapter, type ExpressLikeMiddleware } from './express.js';
import { fastifyPlugin, fastifyRouteHandler, type FastifyLikeReply, type FastifyLikeRequest, type FastifyNotificationPlugin } from './fastify.js';
import { nodeHttpAdapter, type NodeRequestListener } from './node-http.js';
import { createNotificationCore, type HandleNotification, type NotificationHandlerOptions } from './notification-handler.js';
import { webAdapter, type FetchHandler } from './web.js';

/** One notification handler, with an adapter per framework; all share the same core. */
export interface NotificationHandler {
  /** The core: raw body in, `{ status, body: 'success' | 'fail', … }` out. For frameworks not listed. */
  handle: HandleNotification;
  /** Node `http`: `http.createServer(handler.node)` or inside your own router. */
  node: NodeRequestListener;
  /** Express/Connect middleware: `app.post('/alipay/notify', express.raw({ type: () => true }), handler.express)`. */
  express: ExpressLikeMiddleware;
  /** Fastify plugin: `app.register(handler.fastify, { prefix: '/alipay/notify' })`. */
  fastify: FastifyNotificationPlugin;
  /** Fastify route handler for a route whose content-type parser keeps the raw Buffer. */
  fastifyRoute: (request: FastifyLikeRequest, reply: FastifyLikeReply) => Promise<void>;
  /** Web standard: Hono `app.post('/alipay/notify', (c) => handler.fetch(c.req.raw))`, Next.js `export const POST = handler.fetch`. */
  fetch: FetchHandler;
}

/**
 * Handles Alipay's asynchronous notifications exactly once: reads the raw body, verifies it (decode
 * once, sign, `expect`'s amount and seller checks, notify_verify), calls `onNotification`, and
 * answers exactly `success` (200, text/plain, no newline) only when it resolved; `fail` otherwise
 * (400 for a refused message, 500 when the callback threw), with `onError` told why. Alipay sends a
 * notification again until it reads `success` (protocol.md §6), so make `onNotification` idempotent
 * (see `updateOutcome`) and commit before it resolves. Nothing is answered twice.
 *
 * Fastify: the plugin registers, in its own encapsulated context, a content-type parser for every
 * type (`application/x-www-form-urlencoded` included) that keeps the raw Buffer, so the rest of the
 * app keeps its parsers. Express: mount `express.raw({ type: () => true })` on the route or no
 * parser at all; a body already parsed into an object is refused with an error that says so.
 * @example
 * const notify = createNotificationHandler(config, {
 *   expect: async (m) => {
 *     const order = await db.findOrder(m.out_trade_no);
 *     return order && { totalFee: order.totalFen };
 *   },
 *   onNotification: async (m) => {
 *     if (m.kind === 'trade_status_sync') await db.applyTradeStatus(m); // one transaction, never backwards
 *   },
 * });
 * app.post('/alipay/notify', express.raw({ type: () => true }), notify.express); // Express
 * http.createServer(notify.node);                                           // Node http
 * await fastify.register(notify.fastify, { prefix: '/alipay/notify' });     // Fastify
 * honoApp.post('/alipay/notify', (c) => notify.fetch(c.req.raw));           // Hono, Next.js: export const POST = notify.fetch
 */
export function createNotificationHandler(config: ResolvedConfig, options: NotificationHandlerOptions): NotificationHandler {
  const core = createNotificationCore(config, options);
  return {
    handle: core.handle,
    node: nodeHttpAdapter(core),
    express: expressAdapter(core),
    fastify: fastifyPlugin(core),
    fastifyRoute: fastifyRouteHandler(core),
    fetch: webAdapter(core),
  };
}
