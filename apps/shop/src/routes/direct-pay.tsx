import { Hono } from 'hono';
import { DirectPayPage } from '../pages/direct-pay.js';
import { ShopError } from '../services/errors.js';
import { placeDirectPayment, type DirectPaymentForm } from '../services/orders.js';
import { paymentRequest } from '../services/payment-request.js';
import type { ShopEnv, Web } from '../web/context.js';
import { field, renderPage } from '../web/render.js';

/** The direct-payment page (protocol.md §12.5): amount, what for and a note, paid by instant payment. */
export function directPayRoutes(web: Web): Hono<ShopEnv> {
  const app = new Hono<ShopEnv>();
  const { deps } = web;
  app.get('/', (c) => renderPage(c, web, '直接付款', <DirectPayPage mainname={deps.options.mainname} csrf={c.get('csrf')} form={{}} />));
  app.post('/', async (c) => {
    const body = await c.req.parseBody();
    const form: DirectPaymentForm = { subject: field(body, 'subject'), amount: field(body, 'amount'), note: field(body, 'note') };
    try {
      const order = await placeDirectPayment(deps, c.get('viewer'), form);
      const request = await paymentRequest(deps, order, c.get('customer'));
      return c.redirect(request.url, 303);
    } catch (error) {
      if (!(error instanceof ShopError && error.code === 'bad_input')) throw error;
      return renderPage(c, web, '直接付款', <DirectPayPage mainname={deps.options.mainname} csrf={c.get('csrf')} form={form} error={error.message} />, {
        status: 400,
      });
    }
  });
  return app;
}
