import { fakeNotifyVerify, signedReturnQuery } from 'alipay-legacy/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPaymentSetting } from '../../src/services/settings.js';
import { forEachDialect } from '../helpers/dialects.js';
import { ADDRESS, HttpBuyer } from '../helpers/http-buyer.js';
import { postForm, readForm } from '../helpers/sandbox-pages.js';
import { SEED_SIGNER, serversForSuite, startTestShop, type TestSandbox, type TestShop } from '../helpers/servers.js';

/** Quick login from the shop's link: through the sandbox's login window and back. Returns where the shop sent the buyer. */
async function quickLogin(sandbox: TestSandbox, buyer: HttpBuyer, back: string): Promise<string> {
  const start = await buyer.get(`/login?back=${encodeURIComponent(back)}`);
  expect(start.status).toBe(303);
  const window = await fetch(start.location!, { redirect: 'manual' });
  const form = readForm(await window.text(), '/auth/login');
  const loggedIn = await postForm(`${sandbox.url}${form.action}`, { ...form.fields, login: 'buyer@sandbox.test', password: '111111' });
  expect(loggedIn.status).toBe(303);
  const returned = await buyer.get(loggedIn.headers.get('location')!);
  expect(returned.status).toBe(303);
  return returned.location!;
}

forEachDialect('quick login (protocol.md §12.10–§12.12)', (dialect) => {
  const servers = serversForSuite(dialect);

  it('log in then buy: back to the page the buyer was on, shown as 支付宝用户 + real_name, keyed by user_id', async () => {
    const buyer = new HttpBuyer(servers.shop.url);
    await buyer.get('/products/three-body');
    expect(await quickLogin(servers.sandbox, buyer, '/products/three-body')).toBe('/products/three-body');
    const page = await buyer.get('/products/three-body');
    expect(page.html).toContain('你好，支付宝用户张三');
    const customer = await servers.shop.deps.db.selectFrom('customers').selectAll().executeTakeFirstOrThrow();
    expect(customer.user_id).toBe('2088627882813857');
    expect(customer.token).toHaveLength(40);
    const log = await servers.shop.deps.db.selectFrom('notification_log').selectAll().where('kind', '=', 'login_return').executeTakeFirstOrThrow();
    expect(log.raw).not.toContain(customer.token!);
  });

  it('buy then log in: the cart is kept, the order form comes next, the Alipay address fills it, only Alipay is offered, the token goes with the payment', async () => {
    await setPaymentSetting(servers.shop.deps, 'escrow');
    const buyer = new HttpBuyer(servers.shop.url);
    await buyer.post('/cart/add', { product_id: 'test-penny' });
    const cart = await buyer.get('/cart');
    expect(cart.html).toContain('用支付宝账号登录并结算');
    expect(await quickLogin(servers.sandbox, buyer, '/checkout')).toBe('/checkout');
    const form = await buyer.get('/checkout');
    expect(form.html).toContain('测试商品（一分钱）');
    expect(form.html).not.toContain('货到付款');
    // protocol.md §12.12: the address query with the token, back by the sandbox's auto-posted form.
    const query = await buyer.post('/checkout/alipay-address', {});
    expect(new URL(query.location!).searchParams.get('token')).toHaveLength(40);
    const picker = await fetch(query.location!, { redirect: 'manual' });
    const choose = readForm(await picker.text(), '/address/select');
    const chosen = await postForm(`${servers.sandbox.url}${choose.action}`, choose.fields);
    const back = readForm(await chosen.text(), '/alipay/address-return');
    const returned = await fetch(back.action, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(back.fields),
    });
    expect(returned.status).toBe(303);
    expect(returned.headers.get('location')).toBe('/checkout?address=alipay');
    const filled = await buyer.get('/checkout?address=alipay');
    expect(filled.html).toContain('已填入您在支付宝选择的地址');
    expect(filled.html).toMatch(/<option value="上海市" selected="">上海市<\/option>/);
    expect(filled.html).toMatch(/<option value="浦东" selected="">浦东<\/option>/);
    expect(filled.html).toContain('value="张三"');
    // Cash on delivery is refused after a quick login, even when posted by hand.
    const cod = await buyer.post('/checkout', { ...ADDRESS, payment: 'cod' });
    expect(cod.status).toBe(400);
    const placed = await buyer.post('/checkout', { ...ADDRESS, payment: 'alipay' });
    expect(placed.status).toBe(303);
    const pay = new URL(placed.location!);
    expect(pay.searchParams.get('service')).toBe('create_partner_trade_by_buyer');
    expect(pay.searchParams.get('token')).toHaveLength(40);
    const order = await servers.shop.deps.db.selectFrom('orders').selectAll().where('out_trade_no', '=', pay.searchParams.get('out_trade_no')!).executeTakeFirstOrThrow();
    expect(order.customer_user_id).toBe('2088627882813857');
  });
});

describe('the etao rules (protocol.md §12.13)', () => {
  let shop: TestShop;
  beforeAll(async () => {
    shop = await startTestShop('sqlite', 'http://127.0.0.1:9/gateway.do', { alipay: { fetch: fakeNotifyVerify({ singleUse: true }) } });
  });
  afterAll(async () => {
    await shop?.close();
  });
  const loginReturn = (targetUrl: string) =>
    `/alipay/login-return?${signedReturnQuery(SEED_SIGNER, { user_id: '2088000000000077', token: `20261202${'a'.repeat(29)}X01`, real_name: '王五', email: 'w@x.test', target_url: targetUrl })}`;

  it('goes on to target_url on the shop after the login return, and passes item_orders_info to instant payment', async () => {
    const buyer = new HttpBuyer(shop.url);
    const res = await buyer.get(loginReturn(`${shop.url}/products/zongzi`));
    expect(res.location).toBe('/products/zongzi');
    await buyer.post('/cart/add', { product_id: 'zongzi' });
    const placed = await buyer.post('/checkout', { ...ADDRESS, payment: 'alipay' });
    const pay = new URL(placed.location!);
    expect(pay.searchParams.get('service')).toBe('create_direct_pay_by_user');
    expect(pay.searchParams.get('item_orders_info')).toBe('zongzi^1^29.80');
  });

  it('sends a buyer from etao who is not signed in on to target_url, logging nobody in', async () => {
    const buyer = new HttpBuyer(shop.url);
    const res = await buyer.get(`/alipay/login-return?${signedReturnQuery(SEED_SIGNER, { target_url: `${shop.url}/products/zongzi` })}`);
    expect([res.status, res.location]).toEqual([303, '/products/zongzi']);
    expect((await buyer.get('/')).html).toContain('id="quick-login"');
    const forged = await buyer.get(`/alipay/login-return?${signedReturnQuery({ ...SEED_SIGNER, key: 'k'.repeat(32) }, { target_url: `${shop.url}/products/zongzi` })}`);
    expect(forged.status).toBe(400);
  });

  it('never redirects to another site (no open redirect)', async () => {
    for (const target of ['https://evil.example/steal', '//evil.example/', 'javascript:alert(1)']) {
      const buyer = new HttpBuyer(shop.url);
      const res = await buyer.get(loginReturn(target));
      expect(res.status).toBe(303);
      expect(res.location).toBe('/');
    }
  });

  it('refuses a forged login return and logs nobody in', async () => {
    const buyer = new HttpBuyer(shop.url);
    const forged = `/alipay/login-return?${signedReturnQuery({ ...SEED_SIGNER, key: 'k'.repeat(32) }, { user_id: '2088000000000099', token: 'x'.repeat(40), real_name: '假' })}`;
    const res = await buyer.get(forged);
    expect(res.status).toBe(400);
    const page = await buyer.get('/');
    expect(page.html).not.toContain('支付宝用户假');
    expect(await shop.deps.db.selectFrom('customers').selectAll().where('user_id', '=', '2088000000000099').execute()).toEqual([]);
  });
});
