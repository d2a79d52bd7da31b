import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './web-context.js';

/**
 * HEAD answers with the GET route's status and headers and no body. Hono runs the GET route for a
 * HEAD; @hono/node-server then fails (500) on some of the responses it made for GET (plain text
 * among them), so the answer is rebuilt here as a bodiless response.
 */
export const headWithoutBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.req.method === 'HEAD') {
    await c.res.body?.cancel();
    c.res = new Response(null, { status: c.res.status, headers: new Headers(c.res.headers) });
  }
};
