import { expect, it } from 'vitest';
import { forEachDialect } from '../helpers/dialects.js';
import { HttpBuyer } from '../helpers/http-buyer.js';
import { serversForSuite } from '../helpers/servers.js';

/**
 * Input no browser sends, answered with a 4xx and no change: a NUL in an order number (PostgreSQL
 * refuses one in a query parameter) or in a forged message (still logged), and a malformed
 * multipart form (the form cannot be read for its CSRF token).
 */
forEachDialect('hostile input at the shop', (dialect) => {
  const servers = serversForSuite(dialect);

  it('answers an order number with a NUL as no such order', async () => {
    const buyer = new HttpBuyer(servers.shop.url);
    expect((await buyer.get('/orders/a%00b')).status).toBe(404);
    expect((await buyer.post('/orders/%00/pay', {})).status).toBe(404);
    const back = await buyer.get('/alipay/return?out_trade_no=%00&is_success=T');
    expect(back.status).toBe(400);
  });

  it('logs a refused message with a NUL in it (as %00), on PostgreSQL too', async () => {
    const db = servers.shop.deps.db;
    const before = Math.max(0, ...(await db.selectFrom('notification_log').select('id').execute()).map((l) => l.id));
    expect((await new HttpBuyer(servers.shop.url).get('/alipay/return?out_trade_no=a%00b&notify_id=%00')).status).toBe(400);
    const notify = await fetch(`${servers.shop.url}/alipay/notify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'out_trade_no=x\u0000y&sign=\u0000' });
    expect(await notify.text()).toBe('fail');
    const log = await db.selectFrom('notification_log').select(['kind', 'outcome', 'out_trade_no', 'raw']).where('id', '>', before).orderBy('id').execute();
    expect(log.map((l) => [l.kind, l.outcome, l.out_trade_no])).toEqual([
      ['return', 'refused', 'a%00b'],
      ['notify', 'refused', 'x%00y'],
    ]);
    expect(log[1]!.raw).toBe('out_trade_no=x%00y&sign=%00');
  });

  it('refuses a malformed multipart form with 400, before its token is looked at', async () => {
    for (const [type, body] of [
      ['multipart/form-data', 'product_id=test-penny'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated'],
    ]) {
      const res = await fetch(`${servers.shop.url}/cart/add`, { method: 'POST', headers: { 'content-type': type! }, body });
      expect(res.status).toBe(400);
    }
  });
});
