import { signedNotification, signedReturnQuery } from 'alipay-legacy/testing';
import { SEED_MERCHANT } from 'alipay-legacy-sandbox';
import { beforeAll, expect, it } from 'vitest';
import { forEachDialect } from '../helpers/dialects.js';
import { HttpBuyer } from '../helpers/http-buyer.js';
import { SEED_SIGNER, serversForSuite } from '../helpers/servers.js';

forEachDialect('refused notifications and returns', (dialect) => {
  const servers = serversForSuite(dialect);
  let buyer: HttpBuyer;
  let unpaid: string;
  let paidNo: string;
  let paidTradeNo: string;
  let realNotification: string;
  let realReturnUrl: string;

  beforeAll(async () => {
    buyer = new HttpBuyer(servers.shop.url);
    unpaid = await buyer.placeOrder();
    paidNo = await buyer.placeOrder();
    const paid = await servers.sandbox.pay(paidNo);
    paidTradeNo = paid.trade_no;
    realReturnUrl = paid.return_url;
    await servers.sandbox.deliver();
    const notes = await servers.sandbox.api<Array<{ body: string }>>(`/notifications?out_trade_no=${paidNo}`);
    realNotification = notes.json[0]!.body;
  });

  const ordersSnapshot = async () => JSON.stringify(await servers.shop.deps.db.selectFrom('orders').selectAll().orderBy('id').execute());
  const lastLog = () => servers.shop.deps.db.selectFrom('notification_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();

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
    ['forged (signed with another key)', () => signedNotification({ ...SEED_SIGNER, key: 'k'.repeat(32) }, fields({})).body, 'sign_mismatch'],
    ['replayed (a real notification sent again)', () => realNotification, 'notify_verify_false'],
    ['wrong amount', () => signedNotification(SEED_SIGNER, fields({ total_fee: '0.02' })).body, 'amount_mismatch'],
    ['wrong seller', () => signedNotification(SEED_SIGNER, fields({ seller_id: '2088000000000001' })).body, 'seller_mismatch'],
    ['unknown order', () => signedNotification(SEED_SIGNER, fields({ out_trade_no: 'S-NO-SUCH-ORDER' })).body, 'unknown_order'],
  ];

  for (const [name, body, reason] of cases) {
    it(`refuses a ${name} notification, logs why, and changes no order`, async () => {
      const before = await ordersSnapshot();
      const res = await fetch(`${servers.shop.url}/alipay/notify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body() });
      expect(await res.text()).toBe('fail');
      expect(res.status).toBe(400);
      const log = await lastLog();
      expect([log.kind, log.verified, log.outcome, log.reason]).toEqual(['notify', 0, 'refused', reason]);
      expect(log.raw.length).toBeGreaterThan(0);
      expect(await ordersSnapshot()).toBe(before);
    });
  }

  const returns: Array<[string, () => string, string]> = [
    ['forged', () => signedReturnQuery({ ...SEED_SIGNER, key: 'k'.repeat(32) }, fields({})), 'sign_mismatch'],
    ['replayed', () => realReturnUrl.slice(realReturnUrl.indexOf('?') + 1), 'notify_verify_false'],
    ['wrong amount', () => signedReturnQuery(SEED_SIGNER, fields({ total_fee: '0.02' })), 'amount_mismatch'],
    ['wrong seller', () => signedReturnQuery(SEED_SIGNER, fields({ seller_id: '2088000000000001' })), 'seller_mismatch'],
    ['unknown order', () => signedReturnQuery(SEED_SIGNER, fields({ out_trade_no: 'S-NO-SUCH-ORDER' })), 'unknown_order'],
  ];

  for (const [name, query, reason] of returns) {
    it(`refuses a ${name} return, logs why, and changes no order`, async () => {
      // The replayed return is used once first, as the buyer's browser would have: genuine, so a 200
      // even in a browser that cannot see the order.
      if (name === 'replayed') expect((await fetch(realReturnUrl)).status).toBe(200);
      const before = await ordersSnapshot();
      const stranger = new HttpBuyer(servers.shop.url);
      const res = await stranger.get(`/alipay/return?${query()}`);
      expect(res.status).toBe(400);
      expect(res.html).not.toContain('付款成功');
      const log = await lastLog();
      expect([log.kind, log.verified, log.outcome, log.reason]).toEqual(['return', 0, 'refused', reason]);
      expect(await ordersSnapshot()).toBe(before);
    });
  }

  it('kept the genuine payment: the paid order is paid, the unpaid one is not', async () => {
    const rows = await servers.shop.deps.db.selectFrom('orders').select(['out_trade_no', 'trade_status', 'trade_no']).orderBy('id').execute();
    expect(rows).toEqual([
      { out_trade_no: unpaid, trade_status: null, trade_no: null },
      { out_trade_no: paidNo, trade_status: 'TRADE_FINISHED', trade_no: paidTradeNo },
    ]);
  });
});
