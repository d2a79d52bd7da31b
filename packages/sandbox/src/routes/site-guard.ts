import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './web-context.js';

/**
 * The test API hands out every merchant's keys and moves money between test accounts, so no other
 * web page may drive it or read it (decisions.md §21):
 * - the Host must be one a browser can only reach the sandbox by: an IP address, `localhost`, or
 *   the public URL's host. A DNS-rebinding page names its own domain and is refused;
 * - a request that carries an Origin (every cross-site fetch and form does) must come from the
 *   sandbox's own origin;
 * - a body is JSON, declared as `application/json` (a form or text body from another page is
 *   refused before it is read).
 * Refusals are 403 or 415 with `{error, message}` and change nothing.
 */
export function apiGuard(publicUrl: () => string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const refusal = hostRefusal(c, publicUrl()) ?? originRefusal(c);
    if (refusal) return c.json({ error: 'FORBIDDEN', message: refusal }, 403);
    if (hasBody(c) && !/^application\/json\s*(;|$)/i.test(c.req.header('content-type') ?? '')) {
      return c.json({ error: 'UNSUPPORTED_MEDIA_TYPE', message: 'send the body as JSON with "Content-Type: application/json"' }, 415);
    }
    await next();
  };
}

/** Whether `host` (a Host header: name and optional port) names the sandbox for sure. */
export function isOwnHost(host: string, publicUrl: string): boolean {
  const name = hostName(host);
  if (name === '') return false;
  if (isIP(name) !== 0 || name === 'localhost') return true;
  try {
    return name === new URL(publicUrl).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
}

function hostName(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') === -1 ? undefined : h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

function hostRefusal(c: Context<AppEnv>, publicUrl: string): string | undefined {
  const host = c.req.header('host');
  // In-process requests (app.request in tests) carry no Host: nothing to rebind.
  if (host === undefined) return undefined;
  if (isOwnHost(host, publicUrl)) return undefined;
  return `the test API answers only at an IP address, localhost or ${safeHost(publicUrl)}, not at "${host.slice(0, 100)}" (another site pointing its name at this machine)`;
}

function originRefusal(c: Context<AppEnv>): string | undefined {
  const origin = c.req.header('origin');
  if (origin === undefined) return undefined;
  const host = c.req.header('host');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return `the Origin "${origin.slice(0, 100)}" is not an origin`;
  }
  if (host !== undefined && originHost.toLowerCase() === host.toLowerCase()) return undefined;
  return `requests from other web pages (Origin ${origin.slice(0, 100)}) may not use the test API`;
}

function hasBody(c: Context<AppEnv>): boolean {
  const length = c.req.header('content-length');
  return (length !== undefined && length !== '0') || c.req.header('transfer-encoding') !== undefined;
}

function safeHost(publicUrl: string): string {
  try {
    return new URL(publicUrl).host;
  } catch {
    return 'its public URL';
  }
}
