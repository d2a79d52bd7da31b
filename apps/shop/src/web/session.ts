import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { ShopDeps } from '../deps.js';
import { findCustomer, findSession, rotateSession } from '../services/sessions.js';
import type { ShopEnv } from './context.js';

export const SESSION_COOKIE = 'shop_sid';
const SID = /^[A-Za-z0-9_-]{32}$/;

/**
 * Where Alipay's page posts the buyer's address: signed instead of carrying the CSRF token, and
 * without a session. (Notifications never reach this middleware: see `createShop`.)
 */
const ALIPAY_POST = '/alipay/address-return';

/** The CSRF token of a session: an HMAC of its id, so nothing needs storing. */
export function csrfToken(secret: string, sid: string): string {
  return createHmac('sha256', secret).update(`csrf:${sid}`).digest('base64url');
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Sets the session cookie. */
function setSessionCookie(c: Context<ShopEnv>, sid: string, secure: boolean): void {
  setCookie(c, SESSION_COOKIE, sid, { path: '/', httpOnly: true, sameSite: 'Lax', secure, maxAge: 30 * 24 * 3600 });
}

/**
 * Gives the browser a new session id after a login (the cart and orders follow it), so an id
 * planted in the browser before the login is useless afterwards.
 */
export async function renewSession(c: Context<ShopEnv>, deps: ShopDeps): Promise<string> {
  const sid = randomBytes(24).toString('base64url');
  await rotateSession(deps, c.get('sid'), sid);
  setSessionCookie(c, sid, deps.options.publicUrl.startsWith('https:'));
  c.set('sid', sid);
  c.set('csrf', csrfToken(deps.options.sessionSecret, sid));
  return sid;
}

/**
 * Gives every browser a random session id in an HttpOnly, SameSite=Lax cookie (Lax, because the
 * buyer comes back from Alipay by a top-level GET and must still be recognised), loads the session
 * and its quick-login customer, and refuses every form POST whose `_csrf` is not this session's
 * token (403, nothing changes).
 */
export function sessionMiddleware(deps: ShopDeps): MiddlewareHandler<ShopEnv> {
  const secure = deps.options.publicUrl.startsWith('https:');
  return async (c, next) => {
    // Alipay's post carries no session: nothing to set up for it.
    if (c.req.method === 'POST' && c.req.path === ALIPAY_POST) return next();
    let sid = getCookie(c, SESSION_COOKIE);
    if (!sid || !SID.test(sid)) {
      sid = randomBytes(24).toString('base64url');
      setSessionCookie(c, sid, secure);
    }
    const csrf = csrfToken(deps.options.sessionSecret, sid);
    c.set('sid', sid);
    c.set('csrf', csrf);
    if (c.req.method === 'POST') {
      const type = c.req.header('content-type') ?? '';
      let form: Record<string, unknown> = {};
      try {
        if (type.includes('form')) form = await c.req.parseBody();
      } catch {
        // A body that is no readable form (a malformed multipart body): refused, nothing changes.
        return c.text('请求无效。', 400);
      }
      const sent = typeof form._csrf === 'string' ? form._csrf : '';
      if (!sameToken(sent, csrf)) {
        return c.text('表单已过期，请返回上一页刷新后重试。', 403);
      }
    }
    const session = await findSession(deps, sid);
    const customer = session?.user_id ? await findCustomer(deps, session.user_id) : undefined;
    c.set('session', session);
    c.set('customer', customer);
    c.set('viewer', { sid, userId: session?.user_id ?? null });
    await next();
  };
}
