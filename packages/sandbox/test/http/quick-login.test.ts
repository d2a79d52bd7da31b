import { readXmlElements, verifySign } from 'alipay-legacy/protocol';
import { afterEach, expect, it } from 'vitest';
import { forEachDialect } from '../helpers/dialects.js';
import { SEED_BUYERS } from '../../src/seed.js';
import { listAddresses } from '../../src/services/index.js';
import { CookieJar, KEY, directPayParams, gatewayGet, getPage, hiddenCtx, pageErrorCode, postForm, queryOf } from '../helpers/gateway-client.js';
import { openSandbox, type TestSandbox } from '../helpers/sandbox-fixture.js';

const buyer = SEED_BUYERS[0]!;
const LOGIN = { service: 'alipay.auth.authorize', target_service: 'user.auth.quick.login', return_url: 'http://127.0.0.1:9/login-return' };

let sb: TestSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

/** Quick login through the login window; returns the return URL's parameters. */
async function quickLogin(s: TestSandbox, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const page = await gatewayGet(s.app, { ...LOGIN, ...extra });
  const html = await page.text();
  expect(html).toContain('支付宝快捷登录');
  const jar = new CookieJar();
  const wrong = await postForm(s.app, '/auth/login', { ctx: hiddenCtx(html), login: buyer.login, password: 'bad' }, jar);
  expect(await wrong.text()).toContain('账户名或登录密码不正确');
  const res = await postForm(s.app, '/auth/login', { ctx: hiddenCtx(html), login: buyer.login, password: buyer.loginPassword }, jar);
  expect(res.status).toBe(303);
  const location = res.headers.get('location')!;
  expect(location.startsWith('http://127.0.0.1:9/login-return?')).toBe(true);
  return queryOf(location);
}

forEachDialect('quick login (alipay.auth.authorize)', (dialect) => {
  it('returns by GET with user_id, a 40-character token, real_name and email, signed (decisions.md §16)', async () => {
    sb = await openSandbox(dialect);
    const params = await quickLogin(sb);
    expect(params).toMatchObject({ is_success: 'T', user_id: buyer.userId, real_name: buyer.realName, email: buyer.email });
    expect(params.token).toHaveLength(40);
    expect(params.notify_id).toBeTruthy();
    expect(verifySign(params, params.sign, { key: KEY }).valid).toBe(true);
  });

  it('passes target_url through when the request came through the etao entry', async () => {
    sb = await openSandbox(dialect);
    const params = await quickLogin(sb, { target_url: 'http://127.0.0.1:9/item/42' });
    expect(params.target_url).toBe('http://127.0.0.1:9/item/42');
  });

  it('refuses a forged login form', async () => {
    sb = await openSandbox(dialect);
    const res = await postForm(sb.app, '/auth/login', { ctx: 'forged.value', login: buyer.login, password: buyer.loginPassword }, new CookieJar());
    expect(pageErrorCode(await res.text())).toBe('ILLEGAL_ARGUMENT');
  });

  it('lets a payment carrying a token with a live login state skip the cashier login', async () => {
    sb = await openSandbox(dialect);
    const { token } = await quickLogin(sb);
    const res = await gatewayGet(sb.app, directPayParams({ token: token! }));
    const cashier = await (await getPage(sb.app, res.headers.get('location')!, new CookieJar())).text();
    expect(cashier).toContain('支付密码');
    expect(cashier).not.toContain('登录支付宝账户付款');
  });

  it('asks for the password again once the 10-minute login state behind the token is over', async () => {
    sb = await openSandbox(dialect);
    const { token } = await quickLogin(sb);
    await sb.deps.clock.advance(11 * 60);
    const res = await gatewayGet(sb.app, directPayParams({ token: token! }));
    const cashier = await (await getPage(sb.app, res.headers.get('location')!, new CookieJar())).text();
    expect(cashier).toContain('登录支付宝账户付款');
  });
});

forEachDialect('address query (user.logistics.address.query)', (dialect) => {
  const QUERY = { service: 'user.logistics.address.query', return_url: 'http://127.0.0.1:9/address-return' };

  it('shows the saved addresses for a live token and posts the chosen one back as receive_address XML (decisions.md §17)', async () => {
    sb = await openSandbox(dialect);
    const { token } = await quickLogin(sb);
    const picker = await (await gatewayGet(sb.app, { ...QUERY, token: token! })).text();
    expect(picker).toContain('选择收货地址');
    expect(picker).toContain('浦东新区');
    const addresses = await listAddresses(sb.deps, buyer.userId);
    const res = await postForm(sb.app, '/address/select', { ctx: hiddenCtx(picker), address: String(addresses[1]!.id) }, new CookieJar());
    const html = await res.text();
    expect(html).toContain('<form id="return-form" method="post" action="http://127.0.0.1:9/address-return" accept-charset="utf-8">');
    expect(html).toContain('document.getElementById("return-form").submit();');
    const fields: Record<string, string> = {};
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
      fields[m[1]!] = m[2]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    }
    expect(fields).toMatchObject({ is_success: 'T', user_id: buyer.userId });
    expect(verifySign(fields, fields.sign, { key: KEY }).valid).toBe(true);
    const address = readXmlElements(fields.receive_address!, 'receive_address');
    expect(address).toMatchObject({ prov: '北京', city: '北京', area: '朝阳区', fullname: addresses[1]!.fullname });
  });

  it('asks for the login when the token is unknown, then shows the picker', async () => {
    sb = await openSandbox(dialect);
    const login = await (await gatewayGet(sb.app, { ...QUERY, token: 'x'.repeat(40) })).text();
    expect(login).toContain('支付宝快捷登录');
    const picker = await postForm(sb.app, '/address/login', { ctx: hiddenCtx(login), login: buyer.login, password: buyer.loginPassword }, new CookieJar());
    expect(await picker.text()).toContain('选择收货地址');
  });
});
