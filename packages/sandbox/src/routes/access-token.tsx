import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { AccessTokenPage } from '../pages/access-page.js';
import type { AppEnv, Web } from './web-context.js';

/** The cookie a browser keeps once it gave the dashboard the right token. */
const ACCESS_COOKIE = 'alipay_sandbox_access';

/**
 * What `--api-token` protects (decisions.md §31): the test API and the dashboard, the parts that
 * hand out keys and move money and time. The gateway, the cashier, the quick-login pages and the
 * consoles stay open: they are Alipay's side, which merchant sites and their buyers reach without
 * any such token (the consoles ask for their own logins).
 */
export const DASHBOARD_PATHS = ['/', '/trades', '/trades/*', '/notifications', '/notifications/*', '/clock/*', '/merchants/*', '/etao', '/etao/*'];

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function sameToken(given: string | undefined, token: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

/** The cookie's value: sealed, and bound to the token (a new token voids the old cookies). */
function accessCookie(web: Web, token: string): string {
  return web.sealer.seal({ a: digest(token).toString('base64url').slice(0, 22) });
}

function hasAccessCookie(c: Parameters<MiddlewareHandler<AppEnv>>[0], web: Web, token: string): boolean {
  const opened = web.sealer.open<{ a?: string }>(getCookie(c, ACCESS_COOKIE));
  return opened?.a === digest(token).toString('base64url').slice(0, 22);
}

/**
 * The test API: `Authorization: Bearer TOKEN` (scripts, tests, the CLI), or the dashboard's
 * cookie (its live view reads `/sandbox/api/activity`, where a browser cannot add a header).
 * Anything else is 401 and reaches nothing.
 */
export function apiTokenGuard(web: Web, token: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim();
    if (sameToken(bearer, token) || hasAccessCookie(c, web, token)) return next();
    c.header('WWW-Authenticate', 'Bearer realm="alipay-legacy sandbox"');
    return c.json(
      { error: 'UNAUTHORIZED', message: 'this sandbox was started with --api-token: send "Authorization: Bearer TOKEN" (the CLI: --api-token or $SANDBOX_API_TOKEN)' },
      401,
    );
  };
}

/**
 * The dashboard: the token given once as `?token=` (typed in the door's form, or a link) sets a
 * cookie and the browser is sent to the same address without it; without the cookie every
 * dashboard page and control answers 401 with the door.
 */
export function dashboardTokenGuard(web: Web, token: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const given = c.req.method === 'GET' || c.req.method === 'HEAD' ? c.req.query('token') : undefined;
    if (given !== undefined) {
      const url = new URL(c.req.url);
      url.searchParams.delete('token');
      if (!sameToken(given, token)) return c.html(<AccessTokenPage path={url.pathname} wrong />, 401);
      setCookie(c, ACCESS_COOKIE, accessCookie(web, token), { path: '/', httpOnly: true, sameSite: 'Lax' });
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    if (hasAccessCookie(c, web, token)) return next();
    return c.html(<AccessTokenPage path={new URL(c.req.url).pathname} wrong={false} />, 401);
  };
}
