import { SEED_MERCHANT } from 'alipay-legacy-sandbox';
import { expect, it } from 'vitest';
import { orderByNumber } from '../../src/services/orders.js';
import { setPaymentSetting } from '../../src/services/settings.js';
import { forEachDialect } from '../helpers/dialects.js';
import { HttpBuyer } from '../helpers/http-buyer.js';
import { serversForSuite } from '../helpers/servers.js';

forEachDialect('exactly once', (dialect) => {
  const servers = serversForSuite(dialect);

  it('applies the payment once when the return and doubled notifications race', async () => {
    await setPaymentSetting(servers.shop.deps, 'instant');
    const buyer = new HttpBuyer(servers.shop.url);
    const no = await buyer.placeOrder();
    await servers.sandbox.api('/faults', { partner: SEED_MERCHANT.partner, kind: 'duplicate', count: 3 });
    const paid = await servers.sandbox.pay(no);
    const [page] = await Promise.all([buyer.get(paid.return_url), servers.sandbox.deliver(), servers.sandbox.deliver()]);
    expect(page.status).toBe(200);
    await servers.sandbox.api('/faults', { partner: SEED_MERCHANT.partner, kind: 'none' });
    const order = (await orderByNumber(servers.shop.deps, no))!;
    expect(order.trade_status).toBe('TRADE_FINISHED');
    const events = await servers.shop.deps.db.selectFrom('order_events').selectAll().where('order_id', '=', order.id).where('kind', '=', 'trade_status').execute();
    expect(events.map((e) => e.to_status)).toEqual(['TRADE_FINISHED']);
    const log = await servers.shop.deps.db.selectFrom('notification_log').selectAll().where('out_trade_no', '=', no).where('verified', '=', 1).execute();
    expect(log.filter((l) => l.outcome === 'applied')).toHaveLength(1);
    expect(log.length).toBeGreaterThanOrEqual(2);
    const notes = await servers.sandbox.api<Array<{ state: string; attempts: Array<{ response_body: string }> }>>(`/notifications?out_trade_no=${no}`);
    expect(notes.json.every((n) => n.state === 'acknowledged')).toBe(true);
  });

  it('never moves an order backwards: a replayed earlier notification is stale', async () => {
    await setPaymentSetting(servers.shop.deps, 'escrow');
    const buyer = new HttpBuyer(servers.shop.url);
    const no = await buyer.placeOrder();
    const paid = await servers.sandbox.pay(no);
    await servers.sandbox.api(`/trades/${paid.trade_no}/ship`, {});
    await servers.sandbox.api(`/trades/${paid.trade_no}/confirm-receipt`, {});
    await servers.sandbox.deliver();
    expect((await orderByNumber(servers.shop.deps, no))!.trade_status).toBe('TRADE_FINISHED');
    const notes = await servers.sandbox.api<Array<{ id: number; params: Record<string, string> }>>(`/notifications?out_trade_no=${no}`);
    const early = notes.json.find((n) => n.params.trade_status === 'WAIT_SELLER_SEND_GOODS')!;
    await servers.sandbox.api(`/notifications/${early.id}/replay`, {});
    await servers.sandbox.deliver();
    expect((await orderByNumber(servers.shop.deps, no))!.trade_status).toBe('TRADE_FINISHED');
    const last = await servers.shop.deps.db.selectFrom('notification_log').selectAll().where('out_trade_no', '=', no).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect([last.trade_status, last.verified, last.outcome]).toEqual(['WAIT_SELLER_SEND_GOODS', 1, 'stale']);
  });
});
