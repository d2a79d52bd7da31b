import type { IncomingMessage } from 'node:http';
import type { ShopDeps } from '../deps.js';
import type { Viewer } from '../services/orders.js';
import type { Customer, Session } from '../services/rows.js';

/** Hono's environment for every route of the shop. */
export interface ShopEnv {
  Variables: {
    /** The browser's session id (HttpOnly cookie). */
    sid: string;
    /** This session's CSRF token, put in every form. */
    csrf: string;
    session: Session | undefined;
    /** The quick-login customer of the session, if any. */
    customer: Customer | undefined;
    viewer: Viewer;
  };
  /** @hono/node-server's bindings: the Node request (absent under `app.request()`). */
  Bindings: { incoming?: IncomingMessage } | undefined;
}

/** What every route module receives. */
export interface Web {
  deps: ShopDeps;
}
