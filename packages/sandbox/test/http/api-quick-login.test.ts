import { parseAddressReturn, parseAuthReturn, verifyMessageSign, verifySign } from 'alipay-legacy/protocol';
import { afterEach, expect, it } from 'vitest';
import { API_ROUTES } from '../../src/routes/api-index.js';
import { SEED_BUYERS } from '../../src/seed.js';
import { listAddresses, resolveToken, verifyNotifyId } from '../../src/services/index.js';
import { forEachDialect } from '../helpers/dialects.js';
import { CookieJar, KEY, PARTNER, gatewayGet, hiddenCtx, postForm, queryOf } from '../helpers/gateway-client.js';
import { openSandbox, stateOf, type TestSandbox } from '../helpers/sandbox-fixture.js';

const buyer = SEED_BUYERS[0]!;
const family = SEED_BUYERS.find((b) => b.login === 'family@sandbox.test')!;
const RETURN = 'http://127.0.0.1:9/login-return';

let sb: TestSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function api(s: TestSandbox, method: string, path: string, body?: unknown) {
  const res = await s.app.request(`/sandbox/api${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

forEachDialect('the test API index and quick-login helpers', (dialect) => {
  it('answers an index of every route at /sandbox/api, the URL the banner prints', async () => {
    sb = await openSandbox(dialect);
    const { status, body } = await api(sb, 'GET', '');
    expect(status).toBe(200);
    const routes = body.routes as Array<{ method: string; path: string; description: string; fields?: string[] }>;
    expect(routes).toEqual(API_ROUTES);
    expect(routes.find((r) => r.path === '/sandbox/api/authorize')).toMatchObject({ method: 'POST', fields: expect.arrayContaining(['partner', 'buyer', 'return_url']) });
    expect(routes.every((r) => r.description.length > 0)).toBe(true);
  });

  it('authorize answers the signed return the login window sends the browser to, with the same fields', async () => {
    sb = await openSandbox(dialect);
    const { status, body } = await api(sb, 'POST', '/authorize', { partner: PARTNER, buyer: buyer.login, return_url: RETURN, target_url: 'http://127.0.0.1:9/item/7' });
    expect(status).toBe(200);
    const url = body.return_url as string;
    expect(url.startsWith(`${RETURN}?`)).toBe(true);
    const params = queryOf(url);
    expect(verifySign(params, params.sign, { key: KEY }).valid).toBe(true);
    expect(parseAuthReturn(params, 'return')).toMatchObject({ user_id: buyer.userId, real_name: buyer.realName, email: buyer.email });
    expect(params.target_url).toBe('http://127.0.0.1:9/item/7');
    expect(await verifyNotifyId(sb.deps, PARTNER, params.notify_id!)).toBe('true');
    expect(await resolveToken(sb.deps, PARTNER, params.token!)).toEqual({ userId: buyer.userId, loginLive: true });

    // The page flow gives the same parameters (values aside: notify_id and token are new each time).
    const page = await gatewayGet(sb.app, { service: 'alipay.auth.authorize', target_service: 'user.auth.quick.login', return_url: RETURN, target_url: 'http://127.0.0.1:9/item/7' });
    const res = await postForm(sb.app, '/auth/login', { ctx: hiddenCtx(await page.text()), login: buyer.login, password: buyer.loginPassword }, new CookieJar());
    expect(Object.keys(queryOf(res.headers.get('location')!)).sort()).toEqual(Object.keys(params).sort());
  });

  it('authorize signs with RSA and in GBK when asked', async () => {
    sb = await openSandbox(dialect);
    const { body } = await api(sb, 'POST', '/authorize', { partner: PARTNER, buyer: 'gbk@sandbox.test', return_url: RETURN, charset: 'gbk', sign_type: 'RSA' });
    const params = queryOf(body.return_url as string, 'gbk');
    const merchants = (await api(sb, 'GET', '/merchants')).body as unknown as Array<{ alipay_public_key: string }>;
    expect(() => verifyMessageSign(params, { signType: 'RSA', charset: 'gbk', publicKey: merchants[0]!.alipay_public_key })).not.toThrow();
  });

  it('address-query answers the signed form of the address page for a live token, the first address by default', async () => {
    sb = await openSandbox(dialect);
    const token = (await api(sb, 'POST', '/quick-login', { partner: PARTNER, buyer: family.login })).body.token as string;
    const addresses = await listAddresses(sb.deps, family.userId);
    const first = await api(sb, 'POST', '/address-query', { partner: PARTNER, token, return_url: 'http://127.0.0.1:9/address' });
    expect(first.status).toBe(200);
    const form = first.body.form as { action: string; method: string; fields: Record<string, string> };
    expect(form).toMatchObject({ action: 'http://127.0.0.1:9/address', method: 'POST' });
    expect(() => verifyMessageSign(form.fields, { signType: 'MD5', key: KEY, charset: 'utf-8' })).not.toThrow();
    expect(parseAddressReturn(form.fields, 'return').address).toMatchObject({ fullname: addresses[0]!.fullname, address: addresses[0]!.address });

    const third = await api(sb, 'POST', '/address-query', { partner: PARTNER, token, return_url: 'http://127.0.0.1:9/address', address: addresses[2]!.id });
    expect(parseAddressReturn((third.body.form as { fields: Record<string, string> }).fields, 'return').address).toMatchObject({ address: addresses[2]!.address });
  });

  it.each([
    ['an unknown token', () => ({ token: 'x'.repeat(40) }), 400, 'ILLEGAL_ARGUMENT'],
    ['another buyer’s address', (t: string) => ({ token: t, address: 999_999 }), 400, 'ILLEGAL_ARGUMENT'],
    ['a return_url that is not http(s)', (t: string) => ({ token: t, return_url: 'javascript:alert(1)' }), 400, 'ILLEGAL_ARGUMENT'],
    ['an unknown partner', (t: string) => ({ token: t, partner: '2088000000000000' }), 404, 'ILLEGAL_PARTNER'],
    ['a sign type that is not one', (t: string) => ({ token: t, sign_type: 'DSA' }), 400, 'ILLEGAL_SIGN_TYPE'],
  ])('address-query refuses %s and changes nothing', async (_name, make, status, code) => {
    sb = await openSandbox(dialect);
    const token = (await api(sb, 'POST', '/quick-login', { partner: PARTNER, buyer: buyer.login })).body.token as string;
    const before = await stateOf(sb.deps);
    const res = await api(sb, 'POST', '/address-query', { partner: PARTNER, return_url: 'http://127.0.0.1:9/address', ...make(token) });
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(code);
    expect(await stateOf(sb.deps)).toBe(before);
  });

  it('address-query refuses a token whose login state ended, as the page would ask for the login again', async () => {
    sb = await openSandbox(dialect);
    const token = (await api(sb, 'POST', '/quick-login', { partner: PARTNER, buyer: buyer.login })).body.token as string;
    await sb.deps.clock.advance(10 * 60 + 1);
    const res = await api(sb, 'POST', '/address-query', { partner: PARTNER, token, return_url: 'http://127.0.0.1:9/address' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('log in');
  });

  it('authorize refuses an unknown buyer, a missing return_url and a merchant without the contract', async () => {
    sb = await openSandbox(dialect);
    expect((await api(sb, 'POST', '/authorize', { partner: PARTNER, buyer: 'nobody@sandbox.test', return_url: RETURN })).body.error).toBe('NOT_FOUND');
    expect((await api(sb, 'POST', '/authorize', { partner: PARTNER, buyer: buyer.login })).body.error).toBe('ILLEGAL_ARGUMENT');
    await api(sb, 'POST', `/merchants/${PARTNER}/settings`, { services: ['create_direct_pay_by_user'] });
    const res = await api(sb, 'POST', '/authorize', { partner: PARTNER, buyer: buyer.login, return_url: RETURN });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('ILLEGAL_PARTNER_EXTERFACE');
  });
});
