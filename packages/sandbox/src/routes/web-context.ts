import type { Charset } from 'alipay-legacy';
import type { Context } from 'hono';
import type { ActivityFeed } from '../activity/feed.js';
import type { SandboxDeps } from '../deps.js';
import type { Sealer } from './sealed.js';

/**
 * How a failure on the current request must be answered: the 调试错误 page for a buyer's browser,
 * XML for a server-to-server service, JSON for the test-helper API (decisions.md §19).
 */
export type ReplyKind = 'page' | 'xml' | 'json';

/** Hono's environment for every route of the sandbox. */
export interface AppEnv {
  Variables: {
    replyKind: ReplyKind;
    /** The charset of an XML reply, once the request's charset is known. */
    replyCharset: Charset;
    /** The request body's bytes once read (request-body.ts). */
    requestBody: Uint8Array;
  };
  /** Present when served by @hono/node-server; tests may pass their own (`app.request(url, init, env)`). */
  Bindings: { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
}

/** What every route module receives. */
export interface Web {
  deps: SandboxDeps;
  /** Seals the login cookie and the state that login/address forms carry. */
  sealer: Sealer;
  /** What happens, as it happens: the terminal, `listen` and the live dashboard read it. */
  activity: ActivityFeed;
}

/** The caller's IP address as seen on the socket, when the app runs behind @hono/node-server. */
export function clientIp(c: Context<AppEnv>): string | undefined {
  const env = c.env as AppEnv['Bindings'] & { server?: AppEnv['Bindings'] };
  const bindings = env?.server ?? env;
  return bindings?.incoming?.socket?.remoteAddress ?? undefined;
}
