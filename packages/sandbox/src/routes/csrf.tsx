import { randomBytes } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { RefusedPage } from '../pages/dashboard-results.js';
import { readForm, type FormFields } from './form-input.js';
import { describeError } from './replies.js';
import type { AppEnv, Web } from './web-context.js';

/**
 * A token against cross-site request forgery on the consoles' and the dashboard's forms
 * (decisions.md §32): a double-submit cookie whose form value is sealed with the app's secret.
 * The browser keeps a random id in a cookie; every form of the sandbox's own pages that posts to
 * the sandbox carries `_csrf`, the id sealed (HMAC), added to the page as it is sent
 * (`csrfFormFields`), so no page has to remember it. A state-changing POST to a console or a
 * dashboard control whose `_csrf` is missing or is not the seal of the cookie's id is refused with
 * 403 before its route runs. Another site can make a browser post, but can neither read the page's
 * token nor make one for the cookie without the secret.
 */
export const CSRF_FIELD = '_csrf';
const CSRF_COOKIE = 'alipay_sandbox_csrf';

/** The POST routes that check it: the consoles and the dashboard's controls. */
export const CSRF_CHECKED_PATHS = ['/seller/*', '/buyer/*', '/clock/*', '/merchants/*', '/notifications/*', '/trades/*', '/etao', '/etao/*'];

function tokenFor(web: Web, id: string): string {
  return web.sealer.seal({ csrf: id });
}

/** Refuses a POST whose form does not carry the token of the browser's cookie. */
export function csrfCheck(web: Web): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== 'POST') return next();
    const id = getCookie(c, CSRF_COOKIE);
    let form: FormFields;
    try {
      form = await readForm(c);
    } catch (err) {
      // An unreadable body (a malformed multipart form, over 1 MiB): refused here, as the route would.
      const { code, message, callerFault, status } = describeError(err);
      if (!callerFault) throw err;
      return c.html(<RefusedPage code={code} message={message} back={refererPath(c)} now={web.deps.clock.now()} />, status as 400 | 413);
    }
    const given = form[CSRF_FIELD];
    const opened = typeof given === 'string' ? web.sealer.open<{ csrf?: unknown }>(given) : undefined;
    if (id && opened?.csrf === id) return next();
    const why = !id ? 'the browser sent no form cookie (open the page first, then post its form)' : given === undefined ? 'the form has no _csrf field' : 'its _csrf field is not this browser’s';
    return c.html(
      <RefusedPage code="FORBIDDEN" message={`This form may be posted only from the page the sandbox served to this browser: ${why}.`} back={refererPath(c)} now={web.deps.clock.now()} />,
      403,
    );
  };
}

function refererPath(c: Context<AppEnv>): string {
  try {
    const url = new URL(c.req.header('referer') ?? '/');
    return url.origin === new URL(c.req.url).origin ? `${url.pathname}${url.search}` : '/';
  } catch {
    return '/';
  }
}

/** A `<form>` start tag that posts to a path of the sandbox (not to a merchant's URL). */
const LOCAL_POST_FORM = /<form\b(?=[^>]*\bmethod="post")(?=[^>]*\baction="\/(?!\/)[^"]*")[^>]*>/gi;

/**
 * Adds the `_csrf` field to every form of an HTML page that posts to the sandbox, and gives the
 * browser its cookie when it has none yet. Pages stay as they are: a form written tomorrow gets
 * its field too.
 */
export function csrfFormFields(web: Web): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (c.req.method !== 'GET' && c.req.method !== 'POST') return;
    // The sandbox's own pages are UTF-8; anything else is left as it is.
    const type = c.res.headers.get('content-type') ?? '';
    if (!type.startsWith('text/html') || (/charset=/i.test(type) && !/charset=utf-8/i.test(type))) return;
    const html = await c.res.clone().text();
    if (!LOCAL_POST_FORM.test(html)) return;
    LOCAL_POST_FORM.lastIndex = 0;
    const known = getCookie(c, CSRF_COOKIE);
    const id = known && /^[\w-]{16,64}$/.test(known) ? known : randomBytes(18).toString('base64url');
    const field = `<input type="hidden" name="${CSRF_FIELD}" value="${tokenFor(web, id)}"/>`;
    const res = new Response(
      html.replace(LOCAL_POST_FORM, (tag) => tag + field),
      c.res,
    );
    res.headers.delete('content-length');
    if (id !== known) res.headers.append('set-cookie', `${CSRF_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`);
    c.res = undefined as unknown as Response;
    c.res = res;
  };
}
