import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { SEED_MERCHANT } from 'alipay-legacy-sandbox';
import { createShop } from '../../src/app.js';
import { orderByNumber } from '../../src/services/orders.js';
import { setPaymentSetting } from '../../src/services/settings.js';
import { ADDRESS, HttpBuyer } from '../helpers/http-buyer.js';
import { serversForSuite } from '../helpers/servers.js';

/** POSTs with node:http (fetch cannot send a body without its length), reading the answer to the end. */
function rawPost(url: string, body: string, chunked: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: chunked ? {} : { 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    if (chunked) for (let at = 0; at < body.length; at += 64 * 1024) req.write(body.slice(at, at + 64 * 1024));
    req.end(chunked ? undefined : body);
  });
}

describe('the checkout, the direct-payment page and web basics', () => {
  const servers = serversForSuite('sqlite', { shop: { options: { mainname: '示例商城（上海）有限公司', adminPassword: 'pw' } } });

  it('sends a bank choice as paymethod=bankPay with defaultbank (protocol.md §12.6)', async () => {
    await setPaymentSetting(servers.shop.deps, 'instant');
    const buyer = new HttpBuyer(servers.shop.url);
    await buyer.post('/cart/add', { product_id: 'test-penny' });
    const form = await buyer.get('/checkout');
    expect(form.html).toContain('招商银行');
    const placed = await buyer.post('/checkout', { ...ADDRESS, payment: 'bank', bank: 'CMB' });
    const pay = new URL(placed.location!);
    expect([pay.searchParams.get('paymethod'), pay.searchParams.get('defaultbank')]).toEqual(['bankPay', 'CMB']);
    const atGateway = await fetch(pay, { redirect: 'manual' });
    expect(atGateway.status).toBe(303);
    await servers.sandbox.pay(pay.searchParams.get('out_trade_no')!);
    await servers.sandbox.deliver();
    expect((await orderByNumber(servers.shop.deps, pay.searchParams.get('out_trade_no')!))!.trade_status).toBe('TRADE_FINISHED');
  });

  it('refuses an unknown bank, and offers no bank choice for escrow', async () => {
    const buyer = new HttpBuyer(servers.shop.url);
    await buyer.post('/cart/add', { product_id: 'test-penny' });
    expect((await buyer.post('/checkout', { ...ADDRESS, payment: 'bank', bank: 'EVILBANK' })).status).toBe(400);
    await setPaymentSetting(servers.shop.deps, 'escrow');
    expect((await buyer.get('/checkout')).html).not.toContain('招商银行');
    await setPaymentSetting(servers.shop.deps, 'instant');
  });

  it('the direct-payment page shows the payee and pays what the buyer typed by instant payment (protocol.md §12.5)', async () => {
    const buyer = new HttpBuyer(servers.shop.url);
    const page = await buyer.get('/pay');
    expect(page.html).toContain('示例商城（上海）有限公司');
    const bad = await buyer.post('/pay', { subject: '订金', amount: '1.001', note: '' });
    expect(bad.status).toBe(400);
    const sent = await buyer.post('/pay', { subject: '定制茶礼订金', amount: '0.01', note: '周五前发货' });
    const pay = new URL(sent.location!);
    expect(pay.searchParams.get('service')).toBe('create_direct_pay_by_user');
    expect([pay.searchParams.get('subject'), pay.searchParams.get('total_fee'), pay.searchParams.get('body')]).toEqual(['定制茶礼订金', '0.01', '周五前发货']);
    await fetch(pay, { redirect: 'manual' });
    const paid = await servers.sandbox.pay(pay.searchParams.get('out_trade_no')!);
    const back = await buyer.get(paid.return_url);
    expect(back.html).toContain('付款成功');
    expect(back.html).toContain('定制茶礼订金');
  });

  it('sets an HttpOnly SameSite session cookie and refuses forms without the CSRF token', async () => {
    const res = await fetch(`${servers.shop.url}/`);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const buyer = new HttpBuyer(servers.shop.url);
    await buyer.get('/');
    expect((await buyer.post('/cart/add', { product_id: 'test-penny' }, { csrf: false })).status).toBe(403);
    expect((await buyer.post('/cart/add', { product_id: 'test-penny', _csrf: 'forged' }, { csrf: false })).status).toBe(403);
    const cart = await buyer.get('/cart');
    expect(cart.html).toContain('购物车是空的');
  });

  it('escapes every value it shows', async () => {
    const buyer = new HttpBuyer(servers.shop.url);
    const sent = await buyer.post('/pay', { subject: '<script>alert(1)</script>', amount: '0.01', note: '"><img src=x onerror=alert(1)>' });
    const no = new URL(sent.location!).searchParams.get('out_trade_no')!;
    const page = await buyer.get(`/orders/${no}`);
    expect(page.html).not.toContain('<script>alert(1)</script>');
    expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.html).not.toContain('<img src=x');
  });

  it('answers bad input with a 4xx page, never a 5xx', async () => {
    const buyer = new HttpBuyer(servers.shop.url);
    expect((await buyer.get('/orders/NOPE')).status).toBe(404);
    expect((await buyer.get('/products/nope')).status).toBe(404);
    expect((await buyer.post('/cart/add', { product_id: 'nope' })).status).toBe(404);
    expect((await buyer.post('/cart/update', { product_id: 'test-penny', quantity: '-3' })).status).toBe(400);
    expect((await buyer.get('/alipay/return?%%%')).status).toBe(400);
    // In process, where the body is read from the web Request (over a socket: the next test).
    const huge = await createShop(servers.shop.deps).request('/alipay/notify', { method: 'POST', body: 'a='.padEnd(2 * 1024 * 1024, 'x') });
    expect(huge.status).toBe(413);
    const notify = await fetch(`${servers.shop.url}/alipay/notify`, { method: 'POST', body: 'garbage=%ZZ' });
    expect(notify.status).toBe(400);
    expect(await notify.text()).toBe('fail');
  });

  it('refuses a notification body over 1 MiB read from the socket (413, fail), declared or chunked, and keeps serving', async () => {
    const huge = 'a='.padEnd(2 * 1024 * 1024, 'x');
    for (const chunked of [false, true]) {
      const answer = await rawPost(`${servers.shop.url}/alipay/notify`, huge, chunked);
      expect(answer).toEqual({ status: 413, body: 'fail' });
    }
    expect((await fetch(`${servers.shop.url}/alipay/notify`, { method: 'POST', body: 'garbage=%ZZ' })).status).toBe(400);
  });

  it("shows a buyer only their own orders", async () => {
    const owner = new HttpBuyer(servers.shop.url);
    const sent = await owner.post('/pay', { subject: '私人订单', amount: '0.01', note: '' });
    const no = new URL(sent.location!).searchParams.get('out_trade_no')!;
    expect((await owner.get(`/orders/${no}`)).status).toBe(200);
    const other = new HttpBuyer(servers.shop.url);
    expect((await other.get(`/orders/${no}`)).status).toBe(404);
    expect((await other.post(`/orders/${no}/pay`, {})).status).toBe(404);
  });

  it('puts no secret in pages', async () => {
    const admin = new HttpBuyer(servers.shop.url);
    await admin.logInAsAdmin('pw');
    for (const path of ['/admin', '/admin/notifications', '/', '/pay']) {
      const page = await admin.get(path);
      expect(page.html).not.toContain(SEED_MERCHANT.key);
    }
  });

  it('gives a new session id at login, so a planted one is worth nothing', async () => {
    const victim = new HttpBuyer(servers.shop.url);
    victim.setCookie('shop_sid', 'p'.repeat(32));
    await victim.get('/admin/login');
    const login = await victim.post('/admin/login', { password: 'pw' });
    expect(login.location).toBe('/admin');
    expect(victim.cookie('shop_sid')).not.toBe('p'.repeat(32));
    expect((await victim.get('/admin')).status).toBe(200);
    const attacker = new HttpBuyer(servers.shop.url);
    attacker.setCookie('shop_sid', 'p'.repeat(32));
    expect((await attacker.get('/admin')).location).toBe('/admin/login');
  });
});
