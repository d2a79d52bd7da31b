import { AlipayError } from '../errors.js';
import type { NotificationCore } from './notification-handler.js';
import { parsedBodyError } from './express.js';

/** The parts of a Fastify request the adapter reads. */
export interface FastifyLikeRequest {
  body?: unknown;
  method: string;
  raw: unknown;
}

/** The parts of a Fastify reply the adapter writes. */
export interface FastifyLikeReply {
  sent: boolean;
  code(status: number): FastifyLikeReply;
  header(name: string, value: string): FastifyLikeReply;
  send(payload: string): FastifyLikeReply;
}

/** The parts of a Fastify instance the plugin uses. */
export interface FastifyLikeInstance {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    contentType: string,
    options: { parseAs: 'buffer'; bodyLimit?: number },
    parser: (request: never, body: Buffer, done: (err: Error | null, body?: unknown) => void) => void,
  ): void;
  post(path: string, handler: (request: never, reply: never) => Promise<unknown>): unknown;
}

/** Options of the Fastify plugin. */
export interface FastifyNotificationPluginOptions {
  /** The route's path inside the plugin (default `/`: give the URL as the register `prefix`). */
  path?: string;
}

/**
 * A Fastify plugin (callback style). The instance is typed `unknown` so that Fastify's own
 * (heavily overloaded) instance type is accepted without this package depending on Fastify's
 * types; inside, it is used as a `FastifyLikeInstance`.
 */
export type FastifyNotificationPlugin = (instance: unknown, options: FastifyNotificationPluginOptions, done: (err?: Error) => void) => void;

/**
 * A Fastify route handler for a route whose body parser keeps the raw Buffer. Use the plugin
 * unless you register the content-type parser yourself.
 */
export function fastifyRouteHandler(core: NotificationCore): (request: FastifyLikeRequest, reply: FastifyLikeReply) => Promise<void> {
  return async (request, reply) => {
    const body = request.body;
    const outcome =
      request.method !== 'POST'
        ? core.refuse(405, new AlipayError('method_not_allowed', `notifications arrive by POST, not ${request.method}`), request.raw)
        : Buffer.isBuffer(body) || typeof body === 'string'
          ? await core.handle(body, request)
          : body === undefined || body === null
            ? await core.handle(new Uint8Array(0), request)
            : core.refuse(500, parsedBodyError(), request.raw);
    if (reply.sent) return;
    reply.code(outcome.status).header('content-type', outcome.contentType).send(outcome.body);
  };
}

/**
 * A Fastify plugin that serves one POST route. Inside its own encapsulated context it replaces
 * every content-type parser with one that keeps the raw Buffer (`parseAs: 'buffer'` for `*`), so
 * `application/x-www-form-urlencoded; charset=GBK` bodies arrive as Alipay sent them, whatever
 * parsers (e.g. `@fastify/formbody`) the rest of the app uses.
 */
export function fastifyPlugin(core: NotificationCore): FastifyNotificationPlugin {
  const route = fastifyRouteHandler(core);
  return (app, options, done) => {
    const instance = app as FastifyLikeInstance;
    try {
      instance.removeAllContentTypeParsers();
      instance.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: core.maxBodyBytes }, (_request, body, parsed) => parsed(null, body));
      instance.post(options.path ?? '/', route as (request: never, reply: never) => Promise<unknown>);
      done();
    } catch (err) {
      done(err instanceof Error ? err : new Error(String(err)));
    }
  };
}
