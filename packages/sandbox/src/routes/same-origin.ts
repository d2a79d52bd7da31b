import type { Context } from 'hono';
import type { AppEnv, Web } from './web-context.js';

/**
 * Where a browser says a POST comes from: its Origin header, or when there is none the origin of
 * its Referer. Undefined when it says neither (or says "null", as a sandboxed frame does).
 */
export function postedFrom(c: Context<AppEnv>): string | undefined {
  const origin = c.req.header('origin');
  if (origin !== undefined) return origin === 'null' ? undefined : origin;
  const referer = c.req.header('referer');
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}

/** A host written as an address or `localhost`: a name that DNS rebinding cannot point here. */
const LITERAL_HOST = /^(localhost|\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/i;

/**
 * Whether `origin` is the sandbox's own: its public URL, or the address the request was sent to
 * when that is an IP address or localhost (a sandbox reached as 127.0.0.1 and as localhost, or from
 * another machine by its address). A name other than the public URL's is not trusted: a page of
 * another site could have made its name resolve to the sandbox.
 */
export function isOwnOrigin(c: Context<AppEnv>, web: Web, origin: string): boolean {
  const own = new URL(web.deps.publicUrl).origin;
  if (origin === own) return true;
  const requested = new URL(c.req.url);
  return origin === requested.origin && LITERAL_HOST.test(requested.hostname);
}

/** Why a POST was refused, or undefined when it came from the sandbox's own pages. */
export function crossSiteRefusal(c: Context<AppEnv>, web: Web, options: { requireOrigin: boolean }): string | undefined {
  const from = postedFrom(c);
  if (from === undefined) {
    return options.requireOrigin ? 'the request says neither where it comes from (Origin) nor which page sent it (Referer)' : undefined;
  }
  return isOwnOrigin(c, web, from) ? undefined : `it comes from ${from}, another site than this sandbox (${new URL(web.deps.publicUrl).origin})`;
}
