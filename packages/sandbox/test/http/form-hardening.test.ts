import { afterEach, expect, it } from 'vitest';
import { SEED_BUYERS } from '../../src/seed.js';
import { listMerchants } from '../../src/services/index.js';
import { forEachDialect } from '../helpers/dialects.js';
import { CookieJar, KEY, PARTNER, directPayParams, gatewayGet, getPage, hiddenCtx, postForm } from '../helpers/gateway-client.js';
import { openSandbox, stateOf, type TestSandbox } from '../helpers/sandbox-fixture.js';

const buyer = SEED_BUYERS[0]!;
const OWN = 'http://sandbox.test';

let sb: TestSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

/** Everything a hostile request must leave as it was: the trades, notifications, batches and merchants. */
async function everything(s: TestSandbox): Promise<string> {
  return `${await stateOf(s.deps)}${JSON.stringify(await listMerchants(s.deps))}`;
}

forEachDialect('hostile form posts', (dialect) => {
  it.each([
    ['a body without its closing boundary', 'multipart/form-data; boundary=XyZ', '--XyZ\r\nContent-Disposition: form-data; name="login"\r\n\r\nbuyer'],
    ['a multipart type without a boundary', 'multipart/form-data', 'login=buyer'],
    ['a part without a Content-Disposition', 'multipart/form-data; boundary=XyZ', '--XyZ\r\n\r\nvalue\r\n--XyZ--\r\n'],
  ])('refuses %s at every form route, never with a 5xx, and changes nothing', async (_name, type, body) => {
    sb = await openSandbox(dialect);
    const trade = await gatewayGet(sb.app, directPayParams());
    const tradeNo = trade.headers.get('location')!.split('/').pop()!;
    const login = await gatewayGet(sb.app, { service: 'alipay.auth.authorize', target_service: 'user.auth.quick.login', return_url: 'http://127.0.0.1:9/r' });
    const ctx = hiddenCtx(await login.text());
    const before = await everything(sb);
    const routes = [
      '/seller/login',
      '/buyer/login',
      `/cashier/${tradeNo}/login`,
      `/cashier/${tradeNo}/confirm`,
      `/cashier/${tradeNo}/pay`,
      '/auth/login',
      '/address/login',
      '/address/select',
      '/clock/advance',
      `/merchants/${PARTNER}/fault`,
      '/etao',
    ];
    for (const path of routes) {
      const res = await sb.app.request(path, { method: 'POST', headers: { 'content-type': type, origin: OWN }, body: body.replace('buyer', ctx) });
      expect(res.status, path).toBeLessThan(500);
      // The consoles and the dashboard refuse with 400 (or 403: no form token in what could be read);
      // the buyer's pages show their 调试错误 page (or, for a body read as no fields, their wrong-login
      // message), or send a browser without a login back (303).
      const text = await res.text();
      if (['/seller', '/buyer', '/clock', '/merchants', '/etao'].some((p) => path.startsWith(p))) expect([400, 403], path).toContain(res.status);
      else if (res.status === 200) expect(text, path).toMatch(/ILLEGAL_ARGUMENT|账户名或登录密码不正确/);
    }
    expect(await everything(sb)).toBe(before);
  });

  it('reads a well-formed multipart form as the urlencoded one (a login at the cashier)', async () => {
    sb = await openSandbox(dialect);
    const trade = await gatewayGet(sb.app, directPayParams());
    const cashier = trade.headers.get('location')!;
    const jar = new CookieJar();
    await getPage(sb.app, cashier, jar);
    const form = new FormData();
    form.set('login', buyer.login);
    form.set('password', buyer.loginPassword);
    const res = await sb.app.request(`${cashier}/login`, { method: 'POST', headers: jar.header(), body: form });
    expect(res.status).toBe(303);
    jar.store(res);
    expect(await (await getPage(sb.app, cashier, jar)).text()).toContain('支付密码');
  });

  it.each(['a%20b;c', '%0d%0aSet-Cookie:%20x=1', 'x'.repeat(300), '..%2f..%2fseller'])('answers a cashier logout for the trade "%s" without a 5xx', async (id) => {
    sb = await openSandbox(dialect);
    const before = await everything(sb);
    const res = await sb.app.request(`/cashier/${id}/logout`, { method: 'POST' });
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(await everything(sb)).toBe(before);
  });

  it.each(['/\\evil.example/x', '//evil.example', '/\t/evil.example', '/\n/evil.example', 'javascript:alert(1)', 'http://evil.example/', ' /seller', '/%09/evil.example'])(
    'sends a login with next=%j to the console, never to another site',
    async (next) => {
      sb = await openSandbox(dialect);
      const res = await postForm(sb.app, '/seller/login', { login: PARTNER, password: KEY, next }, new CookieJar());
      expect(res.status).toBe(303);
      const location = res.headers.get('location')!;
      expect(new URL(location, OWN).origin).toBe(OWN);
      expect(location.startsWith('//')).toBe(false);
    },
  );

  it('keeps a same-site next with its query', async () => {
    sb = await openSandbox(dialect);
    const res = await postForm(sb.app, '/buyer/login', { login: buyer.login, password: buyer.loginPassword, next: '/buyer?x=1' }, new CookieJar());
    expect(res.headers.get('location')).toBe('/buyer?x=1');
  });
});

forEachDialect('merchant settings', (dialect) => {
  async function settings(s: TestSandbox, body: unknown) {
    const res = await s.app.request(`/sandbox/api/merchants/${PARTNER}/settings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as { error?: string; message?: string } };
  }

  it.each([
    ['an unknown service', { services: ['create_direct_pay_by_user', 'create_direct_pay_by_usr'], anti_phishing: true }, 'create_direct_pay_by_usr'],
    ['a key that is not PEM', { rsa_public_key: 'not a key', ip_check: true }, 'rsa_public_key'],
    ['a PEM that is no key', { rsa_public_key: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' }, 'rsa_public_key'],
  ])('refuses %s with a clear error and changes nothing', async (_name, body, mentioned) => {
    sb = await openSandbox(dialect);
    const before = await everything(sb);
    const res = await settings(sb, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('BAD_INPUT');
    expect(res.body.message).toContain(mentioned);
    expect(await everything(sb)).toBe(before);
  });

  it('still takes a real RSA public key and a list of served services', async () => {
    sb = await openSandbox(dialect);
    const [merchant] = await listMerchants(sb.deps);
    const res = await settings(sb, { rsa_public_key: merchant!.rsaPublicKey, services: ['create_direct_pay_by_user'] });
    expect(res.status).toBe(200);
  });
});
