import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { Reconciler } from '../jobs/reconciler.js';
import { recentRuns } from '../jobs/reconciler.js';
import { AdminHomePage, AdminLoginPage } from '../pages/admin-home.js';
import { AdminOrderPage } from '../pages/admin-order.js';
import { AdminLogPage } from '../pages/notification-log.js';
import { orderIsPaid } from '../rules/trade-update.js';
import { adminOrders, logEntries, refundBatches } from '../services/admin-queries.js';
import { ShopError } from '../services/errors.js';
import { orderHistory } from '../services/order-events.js';
import { orderByNumber } from '../services/orders.js';
import { askAlipay, closeOrder, shipOrder, startRefund } from '../services/seller-actions.js';
import { setAdmin } from '../services/sessions.js';
import { paymentSetting, setPaymentSetting } from '../services/settings.js';
import type { ShopEnv, Web } from '../web/context.js';
import { field, renderPage } from '../web/render.js';
import { renewSession } from '../web/session.js';

function samePassword(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

const FLASH: Record<string, string> = {
  shipped: '已确认发货。',
  closed: '交易已关闭。',
  saved: '已保存。',
  reconciled: '对账完成。',
};

/** The seller admin: orders with their history, the notification log, and the seller's actions. */
export function adminRoutes(web: Web, reconciler: Reconciler): Hono<ShopEnv> {
  const app = new Hono<ShopEnv>();
  const { deps } = web;

  app.get('/login', (c) => renderPage(c, web, '卖家管理登录', <AdminLoginPage csrf={c.get('csrf')} />, { admin: true }));
  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    if (!samePassword(field(form, 'password'), deps.options.adminPassword)) {
      return renderPage(c, web, '卖家管理登录', <AdminLoginPage csrf={c.get('csrf')} error="密码不对" />, { admin: true, status: 403 });
    }
    await setAdmin(deps, await renewSession(c, deps), true);
    return c.redirect('/admin', 303);
  });

  app.use('*', async (c, next) => {
    if (c.req.path === '/admin/login') return next();
    if (!c.get('session')?.is_admin) return c.redirect('/admin/login', 303);
    return next();
  });

  app.post('/logout', async (c) => {
    await setAdmin(deps, c.get('sid'), false);
    return c.redirect('/', 303);
  });

  app.get('/', async (c) => {
    const filter = ['unpaid', 'paid', 'closed'].includes(c.req.query('filter') ?? '') ? c.req.query('filter')! : 'all';
    const page = Math.max(1, Math.min(10_000, Number.parseInt(c.req.query('page') ?? '1', 10) || 1));
    const [{ orders, hasMore }, setting, runs] = await Promise.all([adminOrders(deps, filter, page), paymentSetting(deps), recentRuns(deps)]);
    return renderPage(
      c,
      web,
      '订单管理',
      <AdminHomePage
        csrf={c.get('csrf')}
        orders={orders}
        filter={filter}
        page={page}
        hasMore={hasMore}
        setting={setting}
        runs={runs}
        reconcileAfterMinutes={Math.round(deps.options.reconcileAfterMs / 60_000)}
        reconcileEverySeconds={Math.round(deps.options.reconcileEveryMs / 1000)}
        flash={FLASH[c.req.query('done') ?? '']}
      />,
      { admin: true, wide: true },
    );
  });

  app.post('/settings', async (c) => {
    const form = await c.req.parseBody();
    await setPaymentSetting(deps, field(form, 'payment_service'));
    return c.redirect('/admin?done=saved', 303);
  });

  app.post('/reconcile', async (c) => {
    await reconciler.runOnce();
    return c.redirect('/admin?done=reconciled', 303);
  });

  app.get('/notifications', async (c) => {
    const outcome = c.req.query('outcome') ?? 'all';
    const entries = await logEntries(deps, outcome === 'all' ? {} : { outcome });
    return renderPage(c, web, '通知日志', <AdminLogPage entries={entries} outcome={outcome} />, { admin: true, wide: true });
  });

  const showOrder = async (c: Context<ShopEnv>, outTradeNo: string, flash?: string, status: 200 | 400 | 404 | 409 | 502 = 200) => {
    const order = await orderByNumber(deps, outTradeNo);
    if (!order) throw new ShopError('not_found', '没有这笔订单');
    const [events, log, batches] = await Promise.all([orderHistory(deps.db, order.id), logEntries(deps, { outTradeNo }), refundBatches(deps, order.id)]);
    const instant = order.payment_service === 'create_direct_pay_by_user' || order.paid_way === 'instant';
    return renderPage(
      c,
      web,
      `订单 ${order.out_trade_no}`,
      <AdminOrderPage
        csrf={c.get('csrf')}
        order={order}
        events={events}
        log={log}
        batches={batches}
        canShip={order.trade_status === 'WAIT_SELLER_SEND_GOODS'}
        canRefund={instant && orderIsPaid(order) && order.trade_no !== null}
        canClose={order.trade_status === null || order.trade_status === 'WAIT_BUYER_PAY'}
        flash={flash}
      />,
      { admin: true, wide: true, status },
    );
  };

  app.get('/orders/:no', (c) => showOrder(c, c.req.param('no'), FLASH[c.req.query('done') ?? '']));

  /** Runs a seller action; a refusal shows the order again with the reason (4xx), nothing changed. */
  const act = async (c: Context<ShopEnv>, run: () => Promise<string>) => {
    const no = c.req.param('no')!;
    try {
      const done = await run();
      return c.redirect(`/admin/orders/${encodeURIComponent(no)}?done=${done}`, 303);
    } catch (error) {
      if (error instanceof ShopError && error.code !== 'not_found') {
        return showOrder(c, no, error.message, error.code === 'bad_input' ? 400 : error.code === 'bad_state' ? 409 : 502);
      }
      throw error;
    }
  };

  app.post('/orders/:no/ship', async (c) => {
    const form = await c.req.parseBody();
    return act(c, async () => {
      await shipOrder(deps, c.req.param('no'), {
        logistics_name: field(form, 'logistics_name'),
        invoice_no: field(form, 'invoice_no'),
        transport_type: field(form, 'transport_type'),
      });
      return 'shipped';
    });
  });

  app.post('/orders/:no/close', (c) =>
    act(c, async () => {
      await closeOrder(deps, c.req.param('no'));
      return 'closed';
    }),
  );

  app.post('/orders/:no/query', async (c) => {
    const no = c.req.param('no');
    try {
      const result = await askAlipay(deps, no);
      const text = !result.found
        ? '支付宝没有这笔交易（买家还没有到达收银台）。'
        : result.outcome === 'mismatch'
          ? `支付宝的交易与订单不符（${result.tradeStatus}），未更新。`
          : `支付宝交易状态 ${result.tradeStatus}：${result.outcome === 'applied' ? '已更新订单' : '订单已是最新'}。`;
      return showOrder(c, no, text);
    } catch (error) {
      if (error instanceof ShopError && error.code !== 'not_found') return showOrder(c, no, error.message, 502);
      throw error;
    }
  });

  app.post('/orders/:no/refund', async (c) => {
    const form = await c.req.parseBody();
    const no = c.req.param('no');
    try {
      const request = await startRefund(deps, no, { amount: field(form, 'amount'), reason: field(form, 'reason') });
      // The seller confirms the batch at Alipay with the payment password (protocol.md §4.11).
      return c.redirect(request.url, 303);
    } catch (error) {
      if (error instanceof ShopError && error.code !== 'not_found') return showOrder(c, no, error.message, error.code === 'bad_input' ? 400 : 409);
      throw error;
    }
  });

  return app;
}
