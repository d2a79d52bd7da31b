import { afterEach, expect, it } from 'vitest';
import { SEED_BUYERS } from '../../src/seed.js';
import { forEachDialect } from '../helpers/dialects.js';
import { CookieJar, KEY, PARTNER, csrfOf, escrowParams, gatewayGet, getPage, postForm } from '../helpers/gateway-client.js';
import { openSandbox, stateOf, type TestSandbox } from '../helpers/sandbox-fixture.js';

const buyer = SEED_BUYERS[0]!;
const OWN = 'http://sandbox.test';

let sb: TestSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

/** An escrow trade paid by the API, waiting for the seller to ship. */
async function paidEscrow(s: TestSandbox): Promise<string> {
  const params = escrowParams();
  await gatewayGet(s.app, params);
  const res = await s.app.request('/sandbox/api/pay', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ partner: PARTNER, out_trade_no: params.out_trade_no, buyer: buyer.login }),
  });
  return ((await res.json()) as { trade_no: string }).trade_no;
}

function rawPost(s: TestSandbox, path: string, body: string, headers: Record<string, string>) {
  return s.app.request(path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: OWN, ...headers }, body });
}

forEachDialect('form tokens (CSRF)', (dialect) => {
  it('puts a _csrf field in every form that posts to the sandbox, with a cookie for it', async () => {
    sb = await openSandbox(dialect);
    const jar = new CookieJar();
    const page = await getPage(sb.app, '/seller', jar);
    expect(page.headers.get('set-cookie')).toMatch(/alipay_sandbox_csrf=[\w-]+; Path=\/; HttpOnly; SameSite=Lax/);
    const html = await page.text();
    expect(html.match(/<form\b/g)!.length).toBe(html.match(/name="_csrf"/g)!.length);
    // The same browser keeps its token; the dashboard's forms carry it too.
    const dashboard = await (await getPage(sb.app, '/', jar)).text();
    expect(csrfOf(dashboard)).toBe(csrfOf(html));
    expect(dashboard.match(/method="post"/g)!.length).toBe(dashboard.match(/name="_csrf"/g)!.length);
  });

  it('never adds it to a form that posts to the merchant (the address return)', async () => {
    sb = await openSandbox(dialect);
    const token = ((await (await sb.app.request('/sandbox/api/quick-login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ partner: PARTNER, buyer: buyer.login }) })).json()) as { token: string }).token;
    const jar = new CookieJar();
    const picker = await (await gatewayGet(sb.app, { service: 'user.logistics.address.query', token, return_url: 'http://127.0.0.1:9/address' })).text();
    const ctx = /name="ctx" value="([^"]+)"/.exec(picker)![1]!;
    const address = /name="address" value="(\d+)"/.exec(picker)![1]!;
    const res = await postForm(sb.app, '/address/select', { ctx, address }, jar);
    const html = await res.text();
    expect(html).toContain('action="http://127.0.0.1:9/address"');
    expect(html).not.toContain('_csrf');
  });

  it('refuses a console login without the token, or with another browser’s, and logs nobody in', async () => {
    sb = await openSandbox(dialect);
    const mine = new CookieJar();
    await getPage(sb.app, '/seller', mine);
    const theirs = new CookieJar();
    await getPage(sb.app, '/seller', theirs);
    const fields = `login=${PARTNER}&password=${KEY}`;
    for (const [body, headers] of [
      [fields, {}],
      [fields, mine.header()],
      [`${fields}&_csrf=${encodeURIComponent(theirs.csrf!)}`, mine.header()],
      [`${fields}&_csrf=${encodeURIComponent(mine.csrf!)}`, {}],
      [`${fields}&_csrf=forged.value`, mine.header()],
    ] as const) {
      const res = await rawPost(sb, '/seller/login', body, headers);
      expect(res.status).toBe(403);
      expect(res.headers.get('set-cookie') ?? '').not.toContain('alipay_sandbox_seller');
    }
    const ok = await rawPost(sb, '/seller/login', `${fields}&_csrf=${encodeURIComponent(mine.csrf!)}`, mine.header());
    expect(ok.status).toBe(303);
  });

  it('refuses a logged-in seller’s action and a buyer’s refund without the token, changing nothing', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await paidEscrow(sb);
    const seller = new CookieJar();
    expect((await postForm(sb.app, '/seller/login', { login: PARTNER, password: KEY }, seller)).status).toBe(303);
    const buyerJar = new CookieJar();
    expect((await postForm(sb.app, '/buyer/login', { login: buyer.login, password: buyer.loginPassword }, buyerJar)).status).toBe(303);
    const before = await stateOf(sb.deps);
    expect((await rawPost(sb, `/seller/trades/${tradeNo}/ship`, 'logistics_name=x', seller.header())).status).toBe(403);
    expect((await rawPost(sb, `/seller/trades/${tradeNo}/close`, '_csrf=', seller.header())).status).toBe(403);
    expect((await rawPost(sb, `/buyer/trades/${tradeNo}/refund`, 'amount=1.00', buyerJar.header())).status).toBe(403);
    expect(await stateOf(sb.deps)).toBe(before);
    // With the page's token, the same action runs.
    expect((await postForm(sb.app, `/seller/trades/${tradeNo}/ship`, { logistics_name: 'x' }, seller)).status).toBe(303);
    expect(await stateOf(sb.deps)).not.toBe(before);
  });

  it('refuses a dashboard control without the token, even from the sandbox’s own origin, and the clock stays', async () => {
    sb = await openSandbox(dialect);
    const offset = sb.deps.clock.offsetMs();
    const jar = new CookieJar();
    await getPage(sb.app, '/', jar);
    const res = await rawPost(sb, '/clock/advance', 'duration=30d', jar.header());
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('FORBIDDEN');
    expect(sb.deps.clock.offsetMs()).toBe(offset);
    const ok = await rawPost(sb, '/clock/advance', `duration=30d&_csrf=${encodeURIComponent(jar.csrf!)}`, jar.header());
    expect(ok.status).toBe(303);
  });
});
