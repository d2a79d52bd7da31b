import { SEED_MERCHANT } from 'alipay-legacy-sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderByNumber } from '../../src/services/orders.js';
import { setPaymentSetting } from '../../src/services/settings.js';
import { forEachDialect } from '../helpers/dialects.js';
import { ADDRESS, HttpBuyer } from '../helpers/http-buyer.js';
import { startTestSandbox, startTestShop, type TestSandbox, type TestShop } from '../helpers/servers.js';

/** Places an order of the test product and follows the shop's redirect to the gateway; returns the order number. */
async function placeOrder(shop: TestShop, buyer: HttpBuyer, form: Record<string, string> = {}): Promise<string> {
  await buyer.post('/cart/add', { product_id: 'test-penny' });
  const placed = await buyer.post('/checkout', { ...ADDRESS, payment: 'alipay', ...form });
  expect(placed.status).toBe(303);
  const gatewayUrl = new URL(placed.location!);
  const outTradeNo = gatewayUrl.searchParams.get('out_trade_no')!;
  // The browser reaches the gateway, which opens the trade and sends it to the cashier.
  const atGateway = await fetch(gatewayUrl, { redirect: 'manual' });
  expect(atGateway.status, await atGateway.clone().text()).toBe(303);
  expect(atGateway.headers.get('location')).toContain('/cashier/');
  expect(await orderByNumber(shop.deps, outTradeNo)).toBeDefined();
  return outTradeNo;
}

forEachDialect('paying through each interface', (dialect) => {
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

  it('instant: the return marks the order paid, the notification is then a duplicate, both are logged', async () => {
    await setPaymentSetting(shop.deps, 'instant');
    const buyer = new HttpBuyer(shop.url);
    const no = await placeOrder(shop, buyer);
    const paid = await sandbox.api<{ trade_no: string; trade_status: string; return_url: string }>('/pay', {
      partner: SEED_MERCHANT.partner,
      out_trade_no: no,
      buyer: 'buyer@sandbox.test',
    });
    expect(paid.status).toBe(200);
    const back = await buyer.get(paid.json.return_url);
    expect(back.status).toBe(200);
    expect(back.html).toContain('付款成功');
    await sandbox.deliver();
    const order = (await orderByNumber(shop.deps, no))!;
    expect(order.trade_status).toBe('TRADE_FINISHED');
    expect(order.trade_no).toBe(paid.json.trade_no);
    expect(order.paid_at).not.toBeNull();
    const log = await shop.deps.db.selectFrom('notification_log').selectAll().where('out_trade_no', '=', no).orderBy('id').execute();
    expect(log.map((l) => [l.kind, l.verified, l.outcome])).toEqual([
      ['return', 1, 'applied'],
      ['notify', 1, 'duplicate'],
    ]);
    // A reload of the return page: its notify_id is used up, the buyer still sees the order.
    const reload = await buyer.get(paid.json.return_url);
    expect(reload.status).toBe(200);
    expect(reload.html).toContain('交易完成');
    const last = await shop.deps.db.selectFrom('notification_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect([last.kind, last.outcome, last.reason]).toEqual(['return', 'refused', 'notify_verify_false']);
  });

  it('escrow: paid into escrow by notification, the sandbox acknowledges only after the commit', async () => {
    await setPaymentSetting(shop.deps, 'escrow');
    const buyer = new HttpBuyer(shop.url);
    const no = await placeOrder(shop, buyer);
    const paid = await sandbox.api<{ trade_status: string }>('/pay', { partner: SEED_MERCHANT.partner, out_trade_no: no, buyer: 'buyer@sandbox.test' });
    expect(paid.json.trade_status).toBe('WAIT_SELLER_SEND_GOODS');
    await sandbox.deliver();
    const order = (await orderByNumber(shop.deps, no))!;
    expect(order.payment_service).toBe('create_partner_trade_by_buyer');
    expect(order.trade_status).toBe('WAIT_SELLER_SEND_GOODS');
    const notes = await sandbox.api<Array<{ state: string; params: Record<string, string> }>>(`/notifications?out_trade_no=${no}`);
    expect(notes.json.map((n) => [n.params.trade_status, n.state])).toEqual([
      ['WAIT_BUYER_PAY', 'acknowledged'],
      ['WAIT_SELLER_SEND_GOODS', 'acknowledged'],
    ]);
  });

  it('dual: the buyer choosing instant payment is recorded from the notification (protocol.md §12.9)', async () => {
    await setPaymentSetting(shop.deps, 'dual');
    const buyer = new HttpBuyer(shop.url);
    const instantNo = await placeOrder(shop, buyer);
    await sandbox.api('/pay', { partner: SEED_MERCHANT.partner, out_trade_no: instantNo, buyer: 'buyer@sandbox.test', method: 'instant' });
    const escrowNo = await placeOrder(shop, buyer);
    await sandbox.api('/pay', { partner: SEED_MERCHANT.partner, out_trade_no: escrowNo, buyer: 'buyer@sandbox.test', method: 'escrow' });
    await sandbox.deliver();
    const instant = (await orderByNumber(shop.deps, instantNo))!;
    const escrow = (await orderByNumber(shop.deps, escrowNo))!;
    expect([instant.payment_service, instant.trade_status, instant.paid_way]).toEqual(['trade_create_by_buyer', 'TRADE_FINISHED', 'instant']);
    expect([escrow.trade_status, escrow.paid_way]).toEqual(['WAIT_SELLER_SEND_GOODS', 'escrow']);
  });
});

describe('the gateway charset and sign type are configuration', () => {
  it('pays a GBK order end to end', async () => {
    const sandbox = await startTestSandbox();
    const shop = await startTestShop('sqlite', sandbox.gateway, { alipay: { charset: 'gbk' } });
    try {
      const buyer = new HttpBuyer(shop.url);
      const no = await placeOrder(shop, buyer);
      await sandbox.api('/pay', { partner: SEED_MERCHANT.partner, out_trade_no: no, buyer: 'gbk@sandbox.test' });
      await sandbox.deliver();
      const order = (await orderByNumber(shop.deps, no))!;
      expect(order.trade_status).toBe('TRADE_FINISHED');
      const log = await shop.deps.db.selectFrom('notification_log').selectAll().where('out_trade_no', '=', no).execute();
      expect(log.map((l) => [l.charset, l.outcome])).toEqual([['gbk', 'applied']]);
    } finally {
      await shop.close();
      await sandbox.close();
    }
  });

  it('pays an RSA-signed order end to end (the merchant key signs, the Alipay key verifies)', async () => {
    const sandbox = await startTestSandbox();
    const merchants = await sandbox.api<Array<{ partner: string; rsa_private_key: string; alipay_public_key: string }>>('/merchants');
    const merchant = merchants.json.find((m) => m.partner === SEED_MERCHANT.partner)!;
    const shop = await startTestShop('sqlite', sandbox.gateway, {
      alipay: { signType: 'RSA', privateKey: merchant.rsa_private_key, alipayPublicKey: merchant.alipay_public_key },
    });
    try {
      const buyer = new HttpBuyer(shop.url);
      const no = await placeOrder(shop, buyer);
      const paid = await sandbox.api<{ return_url: string }>('/pay', { partner: SEED_MERCHANT.partner, out_trade_no: no, buyer: 'buyer@sandbox.test' });
      expect(new URL(paid.json.return_url).searchParams.get('sign_type')).toBe('RSA');
      expect((await buyer.get(paid.json.return_url)).html).toContain('付款成功');
      await sandbox.deliver();
      const log = await shop.deps.db.selectFrom('notification_log').selectAll().where('out_trade_no', '=', no).orderBy('id').execute();
      expect(log.map((l) => [l.kind, l.outcome])).toEqual([
        ['return', 'applied'],
        ['notify', 'duplicate'],
      ]);
    } finally {
      await shop.close();
      await sandbox.close();
    }
  });
});
