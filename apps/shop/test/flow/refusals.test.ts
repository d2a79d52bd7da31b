import { signedNotification, signedReturnQuery } from 'alipay-legacy/testing';
import { SEED_MERCHANT } from 'alipay-legacy-sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { forEachDialect } from '../helpers/dialects.js';
import { ADDRESS, HttpBuyer } from '../helpers/http-buyer.js';
import { startTestSandbox, startTestShop, type TestSandbox, type TestShop } from '../helpers/servers.js';

const signer = { partner: SEED_MERCHANT.partner, key: SEED_MERCHANT.key };

async function placeOrder(shop: TestShop, buyer: HttpBuyer): Promise<string> {
  await buyer.post('/cart/add', { product_id: 'test-penny' });
  const placed = await buyer.post('/checkout', { ...ADDRESS, payment: 'alipay' });
  const gatewayUrl = new URL(placed.location!);
  await fetch(gatewayUrl, { redirect: 'manual' });
  return gatewayUrl.searchParams.get('out_trade_no')!;
}

forEachDialect('refused notifications and returns', (dialect) => {
  let sandbox: TestSandbox;
  let shop: TestShop;
  let buyer: HttpBuyer;
  let unpaid: string;
  let paidNo: string;
  let paidTradeNo: string;
  let realNotification: string;
  let realReturnUrl: string;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    shop = await startTestShop(dialect, sandbox.gateway);
    buyer = new HttpBuyer(shop.url);
    unpaid = await placeOrder(shop, buyer);
    paidNo = await placeOrder(shop, buyer);
    const paid = await sandbox.api<{ trade_no: string; return_url: string }>('/pay', { partner: SEED_MERCHANT.partner, out_trade_no: paidNo, buyer: 'buyer@sandbox.test' });
    paidTradeNo = paid.json.trade_no;
    realReturnUrl = paid.json.return_url;
    await sandbox.deliver();
    const notes = await sandbox.api<Array<{ body: string }>>(`/notifications?out_trade_no=${paidNo}`);
    realNotification = notes.json[0]!.body;
  });
  afterAll(async () => {
    await shop?.close();
    await sandbox?.close();
  });

  const ordersSnapshot = async () => JSON.stringify(await shop.deps.db.selectFrom('orders').selectAll().orderBy('id').execute());
  const lastLog = () => shop.deps.db.selectFrom('notification_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();

  const fields = (over: Record<string, string>) => ({
    out_trade_no: unpaid,
    trade_no: '2026120200001000000000000001',
    trade_status: 'TRADE_FINISHED',
    total_fee: '0.01',
    seller_id: SEED_MERCHANT.partner,
    seller_email: SEED_MERCHANT.sellerEmail,
    buyer_id: '2088627882813857',
    subject: '测试商品（一分钱）',
    ...over,
  });

  const cases: Array<[string, () => string, string]> = [
    ['forged (signed with another key)', () => signedNotification({ ...signer, key: 'k'.repeat(32) }, fields({})).body, 'sign_mismatch'],
    ['replayed (a real notification sent again)', () => realNotification, 'notify_verify_false'],
    ['wrong amount', () => signedNotification(signer, fields({ total_fee: '0.02' })).body, 'amount_mismatch'],
    ['wrong seller', () => signedNotification(signer, fields({ seller_id: '2088000000000001' })).body, 'seller_mismatch'],
    ['unknown order', () => signedNotification(signer, fields({ out_trade_no: 'S-NO-SUCH-ORDER' })).body, 'unknown_order'],
  ];

  for (const [name, body, reason] of cases) {
    it(`refuses a ${name} notification, logs why, and changes no order`, async () => {
      const before = await ordersSnapshot();
      const res = await fetch(`${shop.url}/alipay/notify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body() });
      expect(await res.text()).toBe('fail');
      expect(res.status).toBe(400);
      const log = await lastLog();
      expect([log.kind, log.verified, log.outcome, log.reason]).toEqual(['notify', 0, 'refused', reason]);
      expect(log.raw.length).toBeGreaterThan(0);
      expect(await ordersSnapshot()).toBe(before);
    });
  }

  const returns: Array<[string, () => string, string]> = [
    ['forged', () => signedReturnQuery({ ...signer, key: 'k'.repeat(32) }, fields({})), 'sign_mismatch'],
    ['replayed', () => realReturnUrl.slice(realReturnUrl.indexOf('?') + 1), 'notify_verify_false'],
    ['wrong amount', () => signedReturnQuery(signer, fields({ total_fee: '0.02' })), 'amount_mismatch'],
    ['wrong seller', () => signedReturnQuery(signer, fields({ seller_id: '2088000000000001' })), 'seller_mismatch'],
    ['unknown order', () => signedReturnQuery(signer, fields({ out_trade_no: 'S-NO-SUCH-ORDER' })), 'unknown_order'],
  ];

  for (const [name, query, reason] of returns) {
    it(`refuses a ${name} return, logs why, and changes no order`, async () => {
      // The replayed return is used once first, as the buyer's browser would have: genuine, so a 200
      // even in a browser that cannot see the order.
      if (name === 'replayed') expect((await fetch(realReturnUrl)).status).toBe(200);
      const before = await ordersSnapshot();
      const stranger = new HttpBuyer(shop.url);
      const res = await stranger.get(`/alipay/return?${query()}`);
      expect(res.status).toBe(400);
      expect(res.html).not.toContain('付款成功');
      const log = await lastLog();
      expect([log.kind, log.verified, log.outcome, log.reason]).toEqual(['return', 0, 'refused', reason]);
      expect(await ordersSnapshot()).toBe(before);
    });
  }

  it('kept the genuine payment: the paid order is paid, the unpaid one is not', async () => {
    const rows = await shop.deps.db.selectFrom('orders').select(['out_trade_no', 'trade_status', 'trade_no']).orderBy('id').execute();
    expect(rows).toEqual([
      { out_trade_no: unpaid, trade_status: null, trade_no: null },
      { out_trade_no: paidNo, trade_status: 'TRADE_FINISHED', trade_no: paidTradeNo },
    ]);
  });
});
