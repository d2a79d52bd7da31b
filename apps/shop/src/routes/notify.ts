import type { NotificationHandler } from 'alipay-legacy';
import { Hono } from 'hono';
import { applyVerifiedMessage, logRefusal } from '../services/message-intake.js';
import { expectedOrder } from '../services/orders.js';
import type { ShopEnv, Web } from '../web/context.js';
import { latin1, rawBody } from '../web/raw-request.js';

/**
 * `notify_url` (protocol.md §12.1): Alipay's server posts every notification here. The SDK verifies it
 * (sign, amount and seller against the order, notify_id), the message is applied through the
 * exactly-once update and logged in one transaction, and `success` is answered after the commit.
 * A server-to-server path: no session, no CSRF token, no page headers (see `createShop`).
 */
export function notifyRoutes(web: Web): Hono<ShopEnv> {
  const app = new Hono<ShopEnv>();
  const { deps } = web;

  const handler: NotificationHandler = deps.alipay.notificationHandler({
    expect: expectedOrder(deps),
    // protocol.md §12.3: every notification goes into the database, in the same transaction as the order.
    onNotification: async (message, ctx) => {
      await applyVerifiedMessage(deps, { channel: 'notify', raw: latin1(ctx.body) }, message);
    },
    // Refusals are logged after the answer is decided (below); nothing secret is printed.
    onError: () => undefined,
  });

  app.post('/notify', async (c) => {
    let body: Uint8Array | undefined;
    try {
      body = await rawBody(c);
    } catch {
      // The sender went away before the body ended: nothing was received, nothing to log.
      return answer(400, 'fail');
    }
    if (!body) return answer(413, 'fail');
    const outcome = await handler.handle(body);
    if (outcome.body !== 'success') await logRefusal(deps, { channel: 'notify', raw: latin1(body) }, outcome.error, outcome.message);
    // protocol.md §6: exactly `success`, only after the commit; anything else makes Alipay send it again.
    return answer(outcome.status, outcome.body);
  });

  return app;
}

function answer(status: number, body: 'success' | 'fail'): Response {
  return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
