import { SEED_MERCHANT } from 'alipay-legacy-sandbox';
import { beforeAll, expect, it } from 'vitest';
import { orderByNumber } from '../../src/services/orders.js';
import { setPaymentSetting } from '../../src/services/settings.js';
import { forEachDialect } from '../helpers/dialects.js';
import { HttpBuyer } from '../helpers/http-buyer.js';
import { serversForSuite } from '../helpers/servers.js';

const partner = SEED_MERCHANT.partner;

forEachDialect('the seller admin', (dialect) => {
  const servers = serversForSuite(dialect, { shop: { options: { adminPassword: 'admin-secret' } } });
  let admin: HttpBuyer;
  let buyer: HttpBuyer;
  beforeAll(async () => {
    buyer = new HttpBuyer(servers.shop.url);
    admin = new HttpBuyer(servers.shop.url);
    await admin.logInAsAdmin('admin-secret');
  });

  /** The buyer pays; every delivery of the notification is dropped on the way to the shop. */
  async function payWithNotificationDropped(no: string): Promise<void> {
    await servers.sandbox.api('/faults', { partner, kind: 'drop', count: 5 });
    await servers.sandbox.pay(no);
    await servers.sandbox.deliver();
    await servers.sandbox.api('/faults', { partner, kind: 'none' });
  }

  it('keeps strangers out: no session, a wrong password, a missing CSRF token', async () => {
    const stranger = new HttpBuyer(servers.shop.url);
    expect((await stranger.get('/admin')).location).toBe('/admin/login');
    expect((await stranger.post('/admin/login', { password: 'nope' })).status).toBe(403);
    const noToken = await admin.post('/admin/settings', { payment_service: 'dual' }, { csrf: false });
    expect(noToken.status).toBe(403);
    expect((await servers.shop.deps.db.selectFrom('settings').selectAll().execute()).length).toBe(0);
  });

  it('ships an escrow order and sees the buyer confirm receipt', async () => {
    await setPaymentSetting(servers.shop.deps, 'escrow');
    const no = await buyer.placeOrder();
    const paid = await servers.sandbox.pay(no);
    await servers.sandbox.deliver();
    const shipped = await admin.post(`/admin/orders/${no}/ship`, { logistics_name: '顺丰速运', invoice_no: 'SF1001', transport_type: 'EXPRESS' });
    expect(shipped.status).toBe(303);
    const trade = await servers.sandbox.api<{ trade: { trade_status: string; invoice_no: string } }>(`/trades/${paid.trade_no}`);
    expect(trade.json.trade).toMatchObject({ trade_status: 'WAIT_BUYER_CONFIRM_GOODS', invoice_no: 'SF1001' });
    await servers.sandbox.deliver();
    expect((await orderByNumber(servers.shop.deps, no))!.trade_status).toBe('WAIT_BUYER_CONFIRM_GOODS');
    await servers.sandbox.api(`/trades/${paid.trade_no}/confirm-receipt`, {});
    await servers.sandbox.deliver();
    const order = (await orderByNumber(servers.shop.deps, no))!;
    expect([order.trade_status, order.logistics_name, order.invoice_no]).toEqual(['TRADE_FINISHED', '顺丰速运', 'SF1001']);
    const page = await admin.get(`/admin/orders/${no}`);
    expect(page.html).toContain('shipped');
    expect(page.html).toContain('WAIT_BUYER_CONFIRM_GOODS → TRADE_FINISHED');
  });

  it('refuses to ship an order that is not waiting for shipment (409, nothing sent)', async () => {
    await setPaymentSetting(servers.shop.deps, 'escrow');
    const no = await buyer.placeOrder();
    const res = await admin.post(`/admin/orders/${no}/ship`, { logistics_name: '顺丰速运', invoice_no: 'SF1002', transport_type: 'EXPRESS' });
    expect(res.status).toBe(409);
    expect((await orderByNumber(servers.shop.deps, no))!.logistics_name).toBeNull();
  });

  it('refunds an instant order through the batch refund and its batch_refund_notify', async () => {
    await servers.sandbox.api(`/merchants/${partner}/settings`, { advanced_instant: true });
    await setPaymentSetting(servers.shop.deps, 'instant');
    const no = await buyer.placeOrder();
    await servers.sandbox.pay(no);
    await servers.sandbox.deliver();
    expect((await orderByNumber(servers.shop.deps, no))!.trade_status).toBe('TRADE_SUCCESS');
    const refund = await admin.post(`/admin/orders/${no}/refund`, { amount: '0.01', reason: '协商退款' });
    expect(refund.status).toBe(303);
    const toAlipay = new URL(refund.location!);
    const batchNo = toAlipay.searchParams.get('batch_no')!;
    const atGateway = await fetch(toAlipay, { redirect: 'manual' });
    expect(atGateway.headers.get('location')).toContain(`/seller/refund-batches/${batchNo}`);
    const confirmed = await servers.sandbox.api(`/refund-batches/${batchNo}/confirm`, { partner });
    expect(confirmed.status).toBe(200);
    await servers.sandbox.deliver();
    const batch = await servers.shop.deps.db.selectFrom('refund_batches').selectAll().where('batch_no', '=', batchNo).executeTakeFirstOrThrow();
    expect(batch.status).toBe('succeeded');
    const order = (await orderByNumber(servers.shop.deps, no))!;
    expect([order.trade_status, order.refund_status]).toEqual(['TRADE_CLOSED', 'REFUND_SUCCESS']);
    await servers.sandbox.api(`/merchants/${partner}/settings`, { advanced_instant: false });
  });

  it('closes an unpaid order at Alipay', async () => {
    await setPaymentSetting(servers.shop.deps, 'escrow');
    const no = await buyer.placeOrder();
    const res = await admin.post(`/admin/orders/${no}/close`, {});
    expect(res.status).toBe(303);
    expect((await orderByNumber(servers.shop.deps, no))!.trade_status).toBe('TRADE_CLOSED');
    const trades = await servers.sandbox.api<Array<{ trade_status: string }>>(`/trades?out_trade_no=${no}`);
    expect(trades.json[0]!.trade_status).toBe('TRADE_CLOSED');
    const pay = await buyer.post(`/orders/${no}/pay`, {});
    expect(pay.status).toBe(409);
  });

  it('"ask Alipay" reconciles an order whose notification was dropped', async () => {
    await setPaymentSetting(servers.shop.deps, 'instant');
    const no = await buyer.placeOrder();
    await payWithNotificationDropped(no);
    expect((await orderByNumber(servers.shop.deps, no))!.trade_status).toBeNull();
    const page = await admin.post(`/admin/orders/${no}/query`, {});
    expect(page.status).toBe(200);
    expect(page.html).toContain('已更新订单');
    const order = (await orderByNumber(servers.shop.deps, no))!;
    expect(order.trade_status).toBe('TRADE_FINISHED');
    const events = await servers.shop.deps.db.selectFrom('order_events').selectAll().where('order_id', '=', order.id).where('kind', '=', 'trade_status').execute();
    expect(events.map((e) => e.source)).toEqual(['query']);
  });

  it('reconciliation asks about unpaid orders only some minutes after the buyer went to pay', async () => {
    await setPaymentSetting(servers.shop.deps, 'instant');
    const no = await buyer.placeOrder();
    await payWithNotificationDropped(no);
    const early = await servers.shop.reconciler.runOnce();
    expect(early.checked).toBe(0);
    servers.shop.clock.advance(servers.shop.deps.options.reconcileAfterMs + 1000);
    const late = await servers.shop.reconciler.runOnce();
    expect(late.updated).toBeGreaterThanOrEqual(1);
    expect((await orderByNumber(servers.shop.deps, no))!.trade_status).toBe('TRADE_FINISHED');
    const again = await servers.shop.reconciler.runOnce();
    expect(again.updated).toBe(0);
    const home = await admin.get('/admin');
    expect(home.html).toContain('对账任务');
    const runs = await servers.shop.deps.db.selectFrom('job_runs').selectAll().execute();
    expect(runs.length).toBeGreaterThanOrEqual(3);
  });
});
