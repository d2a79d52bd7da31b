import { verifySign } from 'alipay-legacy/protocol';
import { afterEach, expect, it } from 'vitest';
import { forEachDialect } from '../helpers/dialects.js';
import { SEED_BUYERS } from '../../src/seed.js';
import { getAlipayKeys, getTrade, listAddresses, listNotifications, updateMerchantSettings } from '../../src/services/index.js';
import {
  CookieJar,
  KEY,
  directPayParams,
  escrowParams,
  gatewayGet,
  getPage,
  pageErrorCode,
  postForm,
  queryOf,
} from '../helpers/gateway-client.js';
import { openSandbox, type TestSandbox } from '../helpers/sandbox-fixture.js';

const buyer = SEED_BUYERS[0]!;
const poor = SEED_BUYERS[1]!;

let sb: TestSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

/** Opens the cashier of a fresh request; returns the trade number. */
async function openCashier(s: TestSandbox, params: Record<string, string>, options: Parameters<typeof gatewayGet>[2] = {}): Promise<string> {
  const res = await gatewayGet(s.app, params, options);
  expect(res.status).toBe(303);
  const location = res.headers.get('location')!;
  expect(location).toMatch(/^\/cashier\/\d{28}$/);
  return location.split('/').pop()!;
}

async function login(s: TestSandbox, tradeNo: string, jar: CookieJar, who = buyer) {
  const res = await postForm(s.app, `/cashier/${tradeNo}/login`, { login: who.login, password: who.loginPassword }, jar);
  expect(res.status).toBe(303);
}

/** Pays on the cashier's pay page and follows to the success page; returns its HTML. */
async function pay(s: TestSandbox, tradeNo: string, jar: CookieJar, fields: Record<string, string> = {}) {
  const res = await postForm(s.app, `/cashier/${tradeNo}/pay`, { pay_password: buyer.payPassword, ...fields }, jar);
  expect(res.status).toBe(303);
  const success = await getPage(s.app, res.headers.get('location')!, jar);
  expect(success.status).toBe(200);
  return success.text();
}

function returnUrlOf(html: string): string {
  const m = /id="return-link" href="([^"]+)"/.exec(html);
  expect(m).not.toBeNull();
  return m![1]!.replace(/&amp;/g, '&');
}

async function statusesNotified(s: TestSandbox, tradeNo: string): Promise<string[]> {
  await s.deps.dispatcher.runDue();
  const list = await listNotifications(s.deps, { tradeNo });
  return list.sort((a, b) => a.sequence - b.sequence).map((n) => n.params.trade_status ?? '');
}

forEachDialect('the cashier', (dialect) => {
  it('takes a direct payment through login, payment password and the success page back to a signed return_url', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await openCashier(sb, directPayParams({ total_fee: '12.34', subject: '一本书' }));
    const jar = new CookieJar();

    const loginPage = await (await getPage(sb.app, `/cashier/${tradeNo}`, jar)).text();
    expect(loginPage).toContain('登录支付宝账户付款');
    expect(loginPage).toContain('一本书');
    expect(loginPage).toContain('12.34');
    expect(loginPage).toContain('沙箱测试商户');

    const wrong = await postForm(sb.app, `/cashier/${tradeNo}/login`, { login: buyer.login, password: 'nope' }, jar);
    expect(wrong.status).toBe(200);
    expect(await wrong.text()).toContain('账户名或登录密码不正确');

    await login(sb, tradeNo, jar);
    const payPage = await (await getPage(sb.app, `/cashier/${tradeNo}`, jar)).text();
    expect(payPage).toContain('支付密码');
    expect(payPage).toContain(buyer.realName);

    const wrongPay = await postForm(sb.app, `/cashier/${tradeNo}/pay`, { pay_password: '000000' }, jar);
    expect(await wrongPay.text()).toContain('支付密码不正确');
    expect((await getTrade(sb.deps, tradeNo))!.tradeStatus).toBe('WAIT_BUYER_PAY');

    const success = await pay(sb, tradeNo, jar);
    expect(success).toContain('您已成功付款 12.34 元！');
    expect(success).toMatch(/<meta http-equiv="refresh" content="5;url=http:\/\/127\.0\.0\.1:9\/return\?/);
    const returnUrl = returnUrlOf(success);
    const params = queryOf(returnUrl);
    expect(params).toMatchObject({ is_success: 'T', trade_no: tradeNo, trade_status: 'TRADE_FINISHED', total_fee: '12.34', exterface: 'create_direct_pay_by_user' });
    expect(verifySign(params, params.sign, { key: KEY }).valid).toBe(true);

    // decisions.md §1: the return's notify_id answers true once.
    const first = await sb.app.request(`/gateway.do?service=notify_verify&partner=2088328287403500&notify_id=${encodeURIComponent(params.notify_id!)}`);
    expect(await first.text()).toBe('true');
    const second = await sb.app.request(`/trade/notify_query.do?partner=2088328287403500&notify_id=${encodeURIComponent(params.notify_id!)}`);
    expect(await second.text()).toBe('false');

    expect(await statusesNotified(sb, tradeNo)).toEqual(['TRADE_FINISHED']);

    const again = await getPage(sb.app, `/cashier/${tradeNo}`, jar);
    expect(pageErrorCode(await again.text())).toBe('TRADE_NOT_ALLOWED_PAY');
  });

  it('walks an escrow order through logistics, address, payment, shipping and receipt', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await openCashier(sb, escrowParams({ price: '10.00' }));
    const jar = new CookieJar();
    await login(sb, tradeNo, jar);

    const confirmPage = await (await getPage(sb.app, `/cashier/${tradeNo}`, jar)).text();
    expect(confirmPage).toContain('确认订单信息');
    expect(confirmPage).toContain('快递（EXPRESS），运费 ¥5.00');
    expect(confirmPage).toContain('平邮（POST），运费 ¥2.00');
    expect(confirmPage).toContain('上海 上海 浦东新区');

    const [firstAddress] = await listAddresses(sb.deps, buyer.userId);
    const confirmed = await postForm(sb.app, `/cashier/${tradeNo}/confirm`, { logistics: '1', address: String(firstAddress!.id) }, jar);
    expect(confirmed.status).toBe(303);
    const trade = (await getTrade(sb.deps, tradeNo))!;
    expect(trade.logisticsIndex).toBe(1);
    expect(trade.receiveName).toBe(firstAddress!.fullname);

    const success = await pay(sb, tradeNo, jar);
    expect(success).toMatch(/您已成功付款 \d+\.\d\d 元！/);
    expect((await getTrade(sb.deps, tradeNo))!.tradeStatus).toBe('WAIT_SELLER_SEND_GOODS');

    const ship = await gatewayGet(sb.app, { service: 'send_goods_confirm_by_platform', trade_no: tradeNo, logistics_name: '中国邮政', transport_type: 'POST', invoice_no: 'PO123' });
    const shipXml = await ship.text();
    expect(shipXml).toContain('<is_success>T</is_success>');
    expect(shipXml).toContain('<trade_status>WAIT_BUYER_CONFIRM_GOODS</trade_status>');

    const consoleJar = new CookieJar();
    expect((await postForm(sb.app, '/buyer/login', { login: buyer.login, password: buyer.loginPassword }, consoleJar)).status).toBe(303);
    const consolePage = await (await getPage(sb.app, '/buyer', consoleJar)).text();
    expect(consolePage).toContain(tradeNo);
    expect(consolePage).toContain('确认收货');
    const receipt = await postForm(sb.app, `/buyer/trades/${tradeNo}/confirm-receipt`, { pay_password: buyer.payPassword }, consoleJar);
    expect(receipt.status).toBe(303);

    expect((await getTrade(sb.deps, tradeNo))!.tradeStatus).toBe('TRADE_FINISHED');
    expect(await statusesNotified(sb, tradeNo)).toEqual(['WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS', 'TRADE_FINISHED']);
  });

  it('lets the buyer of the dual interface pay instantly, straight to TRADE_FINISHED (decisions.md §12)', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await openCashier(sb, escrowParams({ service: 'trade_create_by_buyer' }));
    const jar = new CookieJar();
    await login(sb, tradeNo, jar);
    const [address] = await listAddresses(sb.deps, buyer.userId);
    await postForm(sb.app, `/cashier/${tradeNo}/confirm`, { logistics: '0', address: String(address!.id) }, jar);
    const payPage = await (await getPage(sb.app, `/cashier/${tradeNo}`, jar)).text();
    expect(payPage).toContain('选择交易方式');
    expect(payPage).toContain('即时到账');
    // Escrow preselected (decisions.md §12), instant the other choice.
    expect(payPage).toMatch(/<input type="radio" name="method" value="escrow" checked="?[^>]*\/?>/);
    expect(payPage).toMatch(/<input type="radio" name="method" value="instant" ?\/?>/);
    const success = await pay(sb, tradeNo, jar, { method: 'instant' });
    expect(queryOf(returnUrlOf(success)).trade_status).toBe('TRADE_FINISHED');
    const statuses = await statusesNotified(sb, tradeNo);
    expect(statuses.at(-1)).toBe('TRADE_FINISHED');
    expect(statuses).not.toContain('WAIT_SELLER_SEND_GOODS');
  });

  it('refuses a buyer whose balance is too small, and the trade stays unpaid', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await openCashier(sb, directPayParams({ total_fee: '5.00' }));
    const jar = new CookieJar();
    await login(sb, tradeNo, jar, poor);
    const res = await postForm(sb.app, `/cashier/${tradeNo}/pay`, { pay_password: poor.payPassword }, jar);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toContain('余额不足，付款失败');
    expect(html).toMatch(/<meta name="alipay-sandbox-refusal" content="BALANCE_NOT_ENOUGH"\/?>/);
    expect((await getTrade(sb.deps, tradeNo))!.tradeStatus).toBe('WAIT_BUYER_PAY');
    expect(await listNotifications(sb.deps, { tradeNo })).toEqual([]);
  });

  it('shows the same trade again for the same request, so the buyer can come back to pay (decisions.md §15)', async () => {
    sb = await openSandbox(dialect);
    const params = directPayParams();
    const first = await openCashier(sb, params);
    const second = await openCashier(sb, params);
    expect(second).toBe(first);
  });

  it('asks every new trade for the login again: a cashier login is for one trade', async () => {
    sb = await openSandbox(dialect);
    const jar = new CookieJar();
    const first = await openCashier(sb, directPayParams());
    await login(sb, first, jar);
    const second = await openCashier(sb, directPayParams());
    expect(await (await getPage(sb.app, `/cashier/${second}`, jar)).text()).toContain('登录支付宝账户付款');
  });

  it('signs the return of an RSA merchant with the sandbox’s Alipay key', async () => {
    sb = await openSandbox(dialect);
    await updateMerchantSettings(sb.deps, '2088328287403500', { advancedInstant: true });
    const tradeNo = await openCashier(sb, directPayParams(), { signType: 'RSA' });
    const jar = new CookieJar();
    await login(sb, tradeNo, jar);
    const params = queryOf(returnUrlOf(await pay(sb, tradeNo, jar)));
    expect(params.sign_type).toBe('RSA');
    expect(params.trade_status).toBe('TRADE_SUCCESS');
    expect(verifySign(params, params.sign, { signType: 'RSA', publicKey: getAlipayKeys().publicKey }).valid).toBe(true);
  });

  it('reads a GBK request in GBK and returns in GBK', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await openCashier(sb, directPayParams({ subject: '测试商品：￥礼品' }), { charset: 'gbk' });
    expect((await getTrade(sb.deps, tradeNo))!.subject).toBe('测试商品：￥礼品');
    const jar = new CookieJar();
    await login(sb, tradeNo, jar);
    const returnUrl = returnUrlOf(await pay(sb, tradeNo, jar));
    expect(returnUrl).toContain('%B2%E2%CA%D4'); // 测试 in GBK
    const params = queryOf(returnUrl, 'gbk');
    expect(params.subject).toBe('测试商品：￥礼品');
    expect(verifySign(params, params.sign, { key: KEY, charset: 'gbk' }).valid).toBe(true);
  });
});
