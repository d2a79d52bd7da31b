import { SEED_MERCHANT } from 'alipay-legacy-sandbox';
import { describe, expect, it, onTestFinished } from 'vitest';
import { orderByNumber } from '../../src/services/orders.js';
import { setPaymentSetting } from '../../src/services/settings.js';
import { forEachDialect } from '../helpers/dialects.js';
import { HttpBuyer } from '../helpers/http-buyer.js';
import { serversForSuite, startTestServers } from '../helpers/servers.js';

forEachDialect('paying through each interface', (dialect) => {
  const servers = serversForSuite(dialect);

  it('instant: the return marks the order paid, the notification is then a duplicate, both are logged', async () => {
    await setPaymentSetting(servers.shop.deps, 'instant');
    const buyer = new HttpBuyer(servers.shop.url);
    const no = await buyer.placeOrder();
    const paid = await servers.sandbox.pay(no);
    const back = await buyer.get(paid.return_url);
    expect(back.status).toBe(200);
    expect(back.html).toContain('付款成功');
    await servers.sandbox.deliver();
    const order = (await orderByNumber(servers.shop.deps, no))!;
    expect(order.trade_status).toBe('TRADE_FINISHED');
    expect(order.trade_no).toBe(paid.trade_no);
    expect(order.paid_at).not.toBeNull();
    const log = await servers.shop.deps.db.selectFrom('notification_log').selectAll().where('out_trade_no', '=', no).orderBy('id').execute();
    expect(log.map((l) => [l.kind, l.verified, l.outcome])).toEqual([
      ['return', 1, 'applied'],
      ['notify', 1, 'duplicate'],
    ]);
    // A reload of the return page: its notify_id is used up, the buyer still sees the order.
    const reload = await buyer.get(paid.return_url);
    expect(reload.status).toBe(200);
    expect(reload.html).toContain('交易完成');
    const last = await servers.shop.deps.db.selectFrom('notification_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect([last.kind, last.outcome, last.reason]).toEqual(['return', 'refused', 'notify_verify_false']);
  });

  it('escrow: paid into escrow by notification, the sandbox acknowledges only after the commit', async () => {
    await setPaymentSetting(servers.shop.deps, 'escrow');
    const buyer = new HttpBuyer(servers.shop.url);
    const no = await buyer.placeOrder();
    const paid = await servers.sandbox.pay(no);
    expect(paid.trade_status).toBe('WAIT_SELLER_SEND_GOODS');
    await servers.sandbox.deliver();
    const order = (await orderByNumber(servers.shop.deps, no))!;
    expect(order.payment_service).toBe('create_partner_trade_by_buyer');
    expect(order.trade_status).toBe('WAIT_SELLER_SEND_GOODS');
    const notes = await servers.sandbox.api<Array<{ state: string; params: Record<string, string> }>>(`/notifications?out_trade_no=${no}`);
    expect(notes.json.map((n) => [n.params.trade_status, n.state])).toEqual([
      ['WAIT_BUYER_PAY', 'acknowledged'],
      ['WAIT_SELLER_SEND_GOODS', 'acknowledged'],
    ]);
  });

  it('dual: the buyer choosing instant payment is recorded from the notification (protocol.md §12.9)', async () => {
    await setPaymentSetting(servers.shop.deps, 'dual');
    const buyer = new HttpBuyer(servers.shop.url);
    const instantNo = await buyer.placeOrder();
    await servers.sandbox.pay(instantNo, { method: 'instant' });
    const escrowNo = await buyer.placeOrder();
    await servers.sandbox.pay(escrowNo, { method: 'escrow' });
    await servers.sandbox.deliver();
    const instant = (await orderByNumber(servers.shop.deps, instantNo))!;
    const escrow = (await orderByNumber(servers.shop.deps, escrowNo))!;
    expect([instant.payment_service, instant.trade_status, instant.paid_way]).toEqual(['trade_create_by_buyer', 'TRADE_FINISHED', 'instant']);
    expect([escrow.trade_status, escrow.paid_way]).toEqual(['WAIT_SELLER_SEND_GOODS', 'escrow']);
  });
});

describe('the gateway charset and sign type are configuration', () => {
  it('pays a GBK order end to end', async () => {
    const { sandbox, shop, close } = await startTestServers('sqlite', { shop: { alipay: { charset: 'gbk' } } });
    onTestFinished(close);
    const buyer = new HttpBuyer(shop.url);
    const no = await buyer.placeOrder();
    await sandbox.pay(no, { buyer: 'gbk@sandbox.test' });
    await sandbox.deliver();
    const order = (await orderByNumber(shop.deps, no))!;
    expect(order.trade_status).toBe('TRADE_FINISHED');
    const log = await shop.deps.db.selectFrom('notification_log').selectAll().where('out_trade_no', '=', no).execute();
    expect(log.map((l) => [l.charset, l.outcome])).toEqual([['gbk', 'applied']]);
  });

  it('pays an RSA-signed order end to end (the merchant key signs, the Alipay key verifies)', async () => {
    const { sandbox, shop, close } = await startTestServers('sqlite', {
      shop: async (sandbox) => {
        const merchants = await sandbox.api<Array<{ partner: string; rsa_private_key: string; alipay_public_key: string }>>('/merchants');
        const merchant = merchants.json.find((m) => m.partner === SEED_MERCHANT.partner)!;
        return { alipay: { signType: 'RSA', privateKey: merchant.rsa_private_key, alipayPublicKey: merchant.alipay_public_key } };
      },
    });
    onTestFinished(close);
    const buyer = new HttpBuyer(shop.url);
    const no = await buyer.placeOrder();
    const paid = await sandbox.pay(no);
    expect(new URL(paid.return_url).searchParams.get('sign_type')).toBe('RSA');
    expect((await buyer.get(paid.return_url)).html).toContain('付款成功');
    await sandbox.deliver();
    const log = await shop.deps.db.selectFrom('notification_log').selectAll().where('out_trade_no', '=', no).orderBy('id').execute();
    expect(log.map((l) => [l.kind, l.outcome])).toEqual([
      ['return', 'applied'],
      ['notify', 'duplicate'],
    ]);
  });
});
