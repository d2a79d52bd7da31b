import { VerificationError } from 'alipay-legacy';
import { Hono } from 'hono';
import { MessagePage, OrderPage } from '../pages/orders.js';
import { orderIsPaid } from '../rules/trade-update.js';
import { applyVerifiedMessage, logRefusal } from '../services/message-intake.js';
import { expectedOrder, viewerOrder } from '../services/orders.js';
import type { ShopEnv, Web } from '../web/context.js';
import { rawQuery } from '../web/raw-request.js';
import { renderPage } from '../web/render.js';
import { canPay } from './shop.js';

/**
 * `return_url` (protocol.md §12.1): verified by the SDK (sign, amount and seller against the order,
 * notify_id), applied through the same exactly-once update as notifications (`notifyRoutes`), and
 * logged. The notification is the source of truth; the return page only shows the order as the
 * shop's database has it.
 */
export function alipayRoutes(web: Web): Hono<ShopEnv> {
  const app = new Hono<ShopEnv>();
  const { deps } = web;
  const expect = expectedOrder(deps);

  app.get('/return', async (c) => {
    const query = rawQuery(c);
    const params = new URLSearchParams(query);
    const outTradeNo = params.get('out_trade_no') ?? '';
    let banner: string;
    let verified = false;
    try {
      const message = await deps.alipay.handleReturn(query, { expect });
      if (message.kind !== 'trade_status_sync') throw new VerificationError('malformed', 'not a payment return');
      await applyVerifiedMessage(deps, { channel: 'return', raw: query }, message);
      banner = '';
      verified = true;
    } catch (error) {
      await logRefusal(deps, { channel: 'return', raw: query }, error);
      // A reload (its notify_id is used up) or a late arrival: still show the buyer their order.
      banner = '支付结果以本店订单状态为准。';
    }
    const order = outTradeNo ? await viewerOrder(deps, c.get('viewer'), outTradeNo) : undefined;
    if (!order) {
      // A genuine return in another browser than the order's: recorded, but this browser may not see the order.
      const text = verified
        ? '支付结果已收到。请在下单时使用的浏览器或登录后，在“我的订单”中查看订单。'
        : '无法确认这次支付的结果。如已付款，请在“我的订单”中查看，订单状态会在收到支付宝通知后更新。';
      return renderPage(c, web, '支付结果', <MessagePage title="支付结果" text={text} link={{ href: '/orders', label: '我的订单' }} />, {
        status: verified ? 200 : 400,
      });
    }
    const paid = orderIsPaid(order);
    const text = paid ? '付款成功，感谢您的购买！' : order.trade_status === 'WAIT_SYS_CONFIRM_PAY' ? '银行正在确认付款。' : '我们尚未收到支付宝的付款确认，订单状态稍后会自动更新。';
    return renderPage(
      c,
      web,
      '支付结果',
      <OrderPage order={order} csrf={c.get('csrf')} banner={banner ? `${text}${banner}` : text} canPay={canPay(order)} />,
    );
  });

  return app;
}
