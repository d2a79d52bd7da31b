import { VerificationError } from 'alipay-legacy';
import { Hono } from 'hono';
import { ownPath } from '../rules/safe-redirect.js';
import { logRefusal, logVerified } from '../services/message-intake.js';
import { liveToken, loginFromAlipay, logout, rememberLoginBack } from '../services/sessions.js';
import { saveAlipayAddress } from '../services/customers.js';
import type { ShopEnv, Web } from '../web/context.js';
import { latin1, rawBody, rawQuery } from '../web/raw-request.js';
import { MessagePage } from '../pages/orders.js';
import { renderPage } from '../web/render.js';
import { renewSession } from '../web/session.js';

/**
 * Quick login (alipay.auth.authorize) and the address query (user.logistics.address.query),
 * protocol.md §12.10–§12.13: no "login succeeded" page and no shop membership; the buyer goes straight back
 * to the page they were on, or to the order form when they logged in from the cart.
 */
export function quickLoginRoutes(web: Web): Hono<ShopEnv> {
  const app = new Hono<ShopEnv>();
  const { deps } = web;
  const base = deps.options.publicUrl;

  app.get('/login', async (c) => {
    const back = ownPath(c.req.query('back'), base) ?? '/';
    await rememberLoginBack(deps, c.get('sid'), back);
    const request = await deps.alipay.authorize({ return_url: `${base}/alipay/login-return` });
    return c.redirect(request.url, 303);
  });

  app.get('/alipay/login-return', async (c) => {
    const query = rawQuery(c);
    try {
      const message = await deps.alipay.verifyReturn(query);
      if (message.kind === 'etao_entry') {
        // A buyer from etao not signed in there: nobody to log in, on to target_url (the shop's own pages only).
        await logVerified(deps, { channel: 'login_return', raw: query }, message);
        return c.redirect(ownPath(message.target_url, base) ?? '/', 303);
      }
      if (message.kind !== 'auth_return') throw new VerificationError('malformed', 'not a quick-login return');
      const { back } = await loginFromAlipay(deps, await renewSession(c, deps), message);
      await logVerified(deps, { channel: 'login_return', raw: query }, message);
      // protocol.md §12.13: after the return's work, go on to target_url, but only to the shop's own pages.
      const target = ownPath(message.target_url, base) ?? back ?? '/';
      return c.redirect(target, 303);
    } catch (error) {
      await logRefusal(deps, { channel: 'login_return', raw: query }, error);
      return renderPage(c, web, '登录未完成', <MessagePage title="登录未完成" text="支付宝登录没有完成，请重新登录。" link={{ href: '/', label: '返回首页' }} />, {
        status: 400,
      });
    }
  });

  app.post('/logout', async (c) => {
    await logout(deps, c.get('sid'));
    return c.redirect('/', 303);
  });

  // protocol.md §12.12: the address query, with the quick-login token.
  app.post('/checkout/alipay-address', async (c) => {
    const token = liveToken(deps, c.get('customer'));
    // Without a live token (not logged in, or its 30 minutes are over: protocol.md §12.11) log in again first.
    if (!token) return c.redirect(`/login?back=${encodeURIComponent('/checkout')}`, 303);
    const request = await deps.alipay.queryAddress({ token, return_url: `${base}/alipay/address-return` });
    return c.redirect(request.url, 303);
  });

  // The address comes back by an auto-submitted POST from Alipay's page: verified by its sign, not
  // by the session (a cross-site POST may come without the cookie). It is stored for the user_id it
  // names, and the browser continues to the order form by GET, where the session applies again.
  app.post('/alipay/address-return', async (c) => {
    // Over the size limit (the middleware refuses those first) the empty body fails verification.
    const body = (await rawBody(c)) ?? new Uint8Array(0);
    try {
      const message = await deps.alipay.verifyReturn(body);
      if (message.kind !== 'address_return') throw new VerificationError('malformed', 'not an address-query return');
      await saveAlipayAddress(deps, message);
      return c.redirect('/checkout?address=alipay', 303);
    } catch (error) {
      await logRefusal(deps, { channel: 'address_return', raw: latin1(body) }, error);
      return c.redirect('/checkout', 303);
    }
  });

  return app;
}
