import { AlipayError, UsageError } from '../errors.js';
import type { NotificationCore, NotificationOutcome } from './notification-handler.js';

/** A Web-standard handler: Hono (`c.req.raw`), Next.js route handlers, Bun, Deno, workers. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** Adapts the core to `(request: Request) => Promise<Response>`, reading the raw body bytes. */
export function webAdapter(core: NotificationCore): FetchHandler {
  return async (request) => {
    if (request.method !== 'POST') {
      return toResponse(core.refuse(405, new AlipayError('method_not_allowed', `notifications arrive by POST, not ${request.method}`), request));
    }
    if (request.bodyUsed) {
      return toResponse(
        core.refuse(500, new UsageError('body_already_read', 'the request body was already read (e.g. by c.req.parseBody()): pass the untouched Request'), request),
      );
    }
    const declared = Number(request.headers.get('content-length') ?? '0');
    if (declared > core.maxBodyBytes) {
      return toResponse(core.refuse(413, new AlipayError('body_too_large', `the body is larger than ${core.maxBodyBytes} bytes`), request));
    }
    const body = new Uint8Array(await request.arrayBuffer());
    if (body.byteLength > core.maxBodyBytes) {
      return toResponse(core.refuse(413, new AlipayError('body_too_large', `the body is larger than ${core.maxBodyBytes} bytes`), request));
    }
    return toResponse(await core.handle(body, request));
  };
}

function toResponse(outcome: NotificationOutcome): Response {
  return new Response(outcome.body, { status: outcome.status, headers: { 'content-type': outcome.contentType } });
}
