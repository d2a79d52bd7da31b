import type { IncomingMessage, ServerResponse } from 'node:http';
import { AlipayError, UsageError } from '../errors.js';
import type { NotificationCore } from './notification-handler.js';
import { answerNode, sendOutcome } from './node-http.js';

/** An Express/Connect request: a Node request that a body parser may have given a `body`. */
export type ExpressLikeRequest = IncomingMessage & { body?: unknown };

/** An Express/Connect middleware. */
export type ExpressLikeMiddleware = (req: ExpressLikeRequest, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * Adapts the core to Express/Connect middleware that works whether or not a body parser ran:
 * a Buffer body (`express.raw({ type: () => true })`) or a string body is used as is; an unread
 * stream is read; a body already parsed into an object is refused loudly, because the re-encoded
 * object cannot be verified byte for byte. It uses only Node's response API, so it runs under
 * Connect too.
 */
export function expressAdapter(core: NotificationCore): ExpressLikeMiddleware {
  return (req, res) => {
    const body = req.body;
    if (Buffer.isBuffer(body) || body instanceof Uint8Array || typeof body === 'string') {
      if (req.method !== 'POST') {
        sendOutcome(res, core.refuse(405, new AlipayError('method_not_allowed', `notifications arrive by POST, not ${req.method ?? '?'}`), req));
        return;
      }
      void core.handle(body, req).then((outcome) => sendOutcome(res, outcome));
      return;
    }
    const unread = !req.readableEnded;
    if (body === undefined || (unread && isEmptyObject(body))) {
      // No parser ran (Express 5), or Express 4's body-parser left `{}` for a type it skipped.
      void answerNode(core, req, res);
      return;
    }
    sendOutcome(res, core.refuse(500, parsedBodyError(), req));
  };
}

/** The error for a body a parser already turned into an object. */
export function parsedBodyError(): AlipayError {
  return new UsageError(
    'body_already_parsed',
    'the notification body was already parsed into an object by a body parser (express.urlencoded / ' +
      '@fastify/formbody / bodyParser), so the exact bytes Alipay signed are gone and the sign cannot be checked. ' +
      "Give this route the raw body: app.post('/alipay/notify', express.raw({ type: '*/*' }), handler.express), " +
      'and mount global parsers after it or exclude this path.',
  );
}

function isEmptyObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}
