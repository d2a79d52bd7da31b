import { SEED_MERCHANT } from 'alipay-legacy-sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { orderByNumber } from '../../src/services/orders.js';
import { setPaymentSetting } from '../../src/services/settings.js';
import { forEachDialect } from '../helpers/dialects.js';
import { ADDRESS, HttpBuyer } from '../helpers/http-buyer.js';
import { startTestSandbox, startTestShop, type TestSandbox, type TestShop } from '../helpers/servers.js';

async function placeOrder(buyer: HttpBuyer): Promise<string> {
  await buyer.post('/cart/add', { product_id: 'test-penny' });
  const placed = await buyer.post('/checkout', { ...ADDRESS, payment: 'alipay' });
  const gatewayUrl = new URL(placed.location!);
  await fetch(gatewayUrl, { redirect: 'manual' });
  return gatewayUrl.searchParams.get('out_trade_no')!;
}

forEachDialect('exactly once', (dialect) => {
  let sandbox: TestSandbox;
  let shop: TestShop;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
    shop = await startTestShop(dialect, sandbox.gateway);
  });
  afterAll(async () => {
    await shop?.close();
    await sandbox?.close();
  });

  it('applies the payment once when the return and doubled notifications race', async () => {
    await setPaymentSetting(shop.deps, 'instant');
    const buyer = new HttpBuyer(shop.url);
    const no = await placeOrder(buyer);
    await sandbox.api('/faults', { partner: SEED_MERCHANT.partner, kind: 'duplicate', count: 3 });
    const paid = await sandbox.api<{ return_url: string }>('/pay', { partner: SEED_MERCHANT.partner, out_trade_no: no, buyer: 'buyer@sandbox.test' });
    const [page] = await Promise.all([buyer.get(paid.json.return_url), sandbox.deliver(), sandbox.deliver()]);
    expect(page.status).toBe(200);
    await sandbox.api('/faults', { partner: SEED_MERCHANT.partner, kind: 'none' });
    const order = (await orderByNumber(shop.deps, no))!;
    expect(order.trade_status).toBe('TRADE_FINISHED');
    const events = await shop.deps.db.selectFrom('order_events').selectAll().where('order_id', '=', order.id).where('kind', '=', 'trade_status').execute();
    expect(events.map((e) => e.to_status)).toEqual(['TRADE_FINISHED']);
    const log = await shop.deps.db.selectFrom('notification_log').selectAll().where('out_trade_no', '=', no).where('verified', '=', 1).execute();
    expect(log.filter((l) => l.outcome === 'applied')).toHaveLength(1);
    expect(log.length).toBeGreaterThanOrEqual(2);
    const notes = await sandbox.api<Array<{ state: string; attempts: Array<{ response_body: string }> }>>(`/notifications?out_trade_no=${no}`);
    expect(notes.json.every((n) => n.state === 'acknowledged')).toBe(true);
  });

  it('never moves an order backwards: a replayed earlier notification is stale', async () => {
    await setPaymentSetting(shop.deps, 'escrow');
    const buyer = new HttpBuyer(shop.url);
    const no = await placeOrder(buyer);
    const paid = await sandbox.api<{ trade_no: string }>('/pay', { partner: SEED_MERCHANT.partner, out_trade_no: no, buyer: 'buyer@sandbox.test' });
    await sandbox.api(`/trades/${paid.json.trade_no}/ship`, {});
    await sandbox.api(`/trades/${paid.json.trade_no}/confirm-receipt`, {});
    await sandbox.deliver();
    expect((await orderByNumber(shop.deps, no))!.trade_status).toBe('TRADE_FINISHED');
    const notes = await sandbox.api<Array<{ id: number; params: Record<string, string> }>>(`/notifications?out_trade_no=${no}`);
    const early = notes.json.find((n) => n.params.trade_status === 'WAIT_SELLER_SEND_GOODS')!;
    await sandbox.api(`/notifications/${early.id}/replay`, {});
    await sandbox.deliver();
    expect((await orderByNumber(shop.deps, no))!.trade_status).toBe('TRADE_FINISHED');
    const last = await shop.deps.db.selectFrom('notification_log').selectAll().where('out_trade_no', '=', no).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect([last.trade_status, last.verified, last.outcome]).toEqual(['WAIT_SELLER_SEND_GOODS', 1, 'stale']);
  });
});
