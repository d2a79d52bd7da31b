import { afterEach, expect, it } from 'vitest';
import { forEachDialect } from '../helpers/dialects.js';
import { SEED_BUYERS } from '../../src/seed.js';
import { getTrade, listNotifications } from '../../src/services/index.js';
import { CookieJar, PARTNER, directPayParams, escrowParams, gatewayGet, getPage, postForm } from '../helpers/gateway-client.js';
import { openSandbox, type TestSandbox } from '../helpers/sandbox-fixture.js';

/**
 * The cashier's pages: who is paying and switching account, the success page's short URL
 * (decisions.md §35), and the escrow confirmation's totals per logistics group with the way back
 * from the password to change them.
 */
const buyer = SEED_BUYERS[0]!;
const family = SEED_BUYERS[3]!;

let sb: TestSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function openCashier(s: TestSandbox, params: Record<string, string>): Promise<string> {
  const res = await gatewayGet(s.app, params);
  expect(res.status).toBe(303);
  return res.headers.get('location')!.split('/').pop()!;
}

async function login(s: TestSandbox, tradeNo: string, jar: CookieJar, who = buyer) {
  expect((await postForm(s.app, `/cashier/${tradeNo}/login`, { login: who.login, password: who.loginPassword }, jar)).status).toBe(303);
}

const page = async (s: TestSandbox, path: string, jar: CookieJar) => (await getPage(s.app, path, jar)).text();

forEachDialect('the cashier shows who pays, and the success page by a short id', (dialect) => {
  it('names the buyer logged in, and switching account goes back to the same cashier with the login form', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await openCashier(sb, directPayParams());
    const jar = new CookieJar();
    await login(sb, tradeNo, jar);
    const pay = await page(sb, `/cashier/${tradeNo}`, jar);
    expect(pay).toContain(`<span id="buyer">您好，${buyer.realName}（${buyer.email}）`);
    expect(pay).toContain(`action="/cashier/${tradeNo}/logout"`);

    const out = await postForm(sb.app, `/cashier/${tradeNo}/logout`, {}, jar);
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe(`/cashier/${tradeNo}`);
    expect(await page(sb, `/cashier/${tradeNo}`, jar)).toContain('id="login-submit"');
    await login(sb, tradeNo, jar, family);
    expect(await page(sb, `/cashier/${tradeNo}`, jar)).toContain(`（${family.email}）`);
  });

  it('does not log the buyer in again by the quick-login token after they switched account', async () => {
    sb = await openSandbox(dialect);
    const res = await sb.app.request('/sandbox/api/quick-login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ partner: PARTNER, buyer: buyer.login }) });
    const { token } = (await res.json()) as { token: string };
    const tradeNo = await openCashier(sb, directPayParams({ token }));
    const jar = new CookieJar();
    expect(await page(sb, `/cashier/${tradeNo}`, jar)).toContain(`（${buyer.email}）`);
    await postForm(sb.app, `/cashier/${tradeNo}/logout`, {}, jar);
    expect(await page(sb, `/cashier/${tradeNo}`, jar)).toContain('id="login-submit"');
  });

  it('sends the browser to the success page with a short id, not the signed return, and shows the return from it', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await openCashier(sb, directPayParams());
    const jar = new CookieJar();
    await login(sb, tradeNo, jar);
    const paid = await postForm(sb.app, `/cashier/${tradeNo}/pay`, { pay_password: buyer.payPassword }, jar);
    const location = paid.headers.get('location')!;
    expect(location).toMatch(new RegExp(`^/cashier/${tradeNo}/success\\?s=[A-Za-z0-9_-]{12}$`));
    const success = await page(sb, location, jar);
    expect(success).toContain('您已成功付款');
    expect(success).toMatch(/id="return-link" href="http:\/\/127\.0\.0\.1:9\/return\?[^"]*sign=/);

    // An id this process does not hold (it restarted) or of another trade: paid, but no way back.
    for (const path of [`/cashier/${tradeNo}/success?s=AAAAAAAAAAAA`, `/cashier/${tradeNo}/success`]) {
      const lost = await page(sb, path, new CookieJar());
      expect(lost).toContain('您已成功付款');
      expect(lost).toContain('id="return-lost"');
      expect(lost).not.toContain('return-link');
    }
    const other = await openCashier(sb, directPayParams());
    expect((await getPage(sb.app, `/cashier/${other}/success?s=${location.split('=')[1]}`, jar)).status).toBe(303);
  });
});

forEachDialect('the escrow confirmation at the cashier', (dialect) => {
  it('shows each logistics group with its own total, explains freight the seller bears but the buyer pays, and updates the amount by script', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await openCashier(sb, escrowParams());
    const jar = new CookieJar();
    await login(sb, tradeNo, jar);
    const confirm = await page(sb, `/cashier/${tradeNo}`, jar);
    // escrowParams: 10.00 × 1; EXPRESS 5.00 BUYER_PAY; POST 2.00 SELLER_PAY.
    expect(confirm).toMatch(/value="0" checked="" data-total="15.00"\/>快递（EXPRESS），运费 ¥5.00，买家承担运费：合计 <strong class="option-total">¥15.00<\/strong>/);
    expect(confirm).toMatch(/value="1" data-total="12.00"\/>平邮（POST），运费 ¥2.00，卖家承担运费：合计 <strong class="option-total">¥12.00<\/strong>/);
    expect(confirm).toContain('卖家承担运费，但商户提交的运费 ¥2.00 仍计入本次应付金额');
    expect(confirm).toContain("document.getElementById('confirm-form')");
  });

  it('goes back from the password step to change the choice, preselected, and pays the new total', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await openCashier(sb, escrowParams());
    const jar = new CookieJar();
    await login(sb, tradeNo, jar);
    const [address] = /name="address" value="(\d+)"/.exec(await page(sb, `/cashier/${tradeNo}`, jar))!.slice(1);
    expect((await postForm(sb.app, `/cashier/${tradeNo}/confirm`, { logistics: '1', address: address! }, jar)).status).toBe(303);
    const pay = await page(sb, `/cashier/${tradeNo}`, jar);
    expect(pay).toContain(`href="/cashier/${tradeNo}?change=1" id="change-order"`);
    expect(pay).toContain('id="order-amount">12.00<');

    const again = await page(sb, `/cashier/${tradeNo}?change=1`, jar);
    expect(again).toContain('value="1" checked=""');
    expect(again).toContain(`value="${address}" checked=""`);
    expect((await postForm(sb.app, `/cashier/${tradeNo}/confirm`, { logistics: '0', address: address! }, jar)).status).toBe(303);
    expect(await page(sb, `/cashier/${tradeNo}`, jar)).toContain('id="order-amount">15.00<');
    expect((await postForm(sb.app, `/cashier/${tradeNo}/pay`, { pay_password: buyer.payPassword }, jar)).status).toBe(303);
    expect((await getTrade(sb.deps, tradeNo))!).toMatchObject({ tradeStatus: 'WAIT_SELLER_SEND_GOODS', totalFeeFen: 1500, logisticsIndex: 0 });
  });

  it('asks another account that takes over a confirmed order to confirm it again, then lets it pay', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await openCashier(sb, escrowParams());
    const jar = new CookieJar();
    await login(sb, tradeNo, jar);
    const [address] = /name="address" value="(\d+)"/.exec(await page(sb, `/cashier/${tradeNo}`, jar))!.slice(1);
    await postForm(sb.app, `/cashier/${tradeNo}/confirm`, { logistics: '0', address: address! }, jar);
    await postForm(sb.app, `/cashier/${tradeNo}/logout`, {}, jar);
    await login(sb, tradeNo, jar, family);
    const confirm = await page(sb, `/cashier/${tradeNo}`, jar);
    expect(confirm).toContain('id="confirm-submit"');
    const [familyAddress] = /name="address" value="(\d+)"/.exec(confirm)!.slice(1);
    await postForm(sb.app, `/cashier/${tradeNo}/confirm`, { logistics: '0', address: familyAddress! }, jar);
    expect((await postForm(sb.app, `/cashier/${tradeNo}/pay`, { pay_password: family.payPassword }, jar)).status).toBe(303);
    expect((await getTrade(sb.deps, tradeNo))!).toMatchObject({ tradeStatus: 'WAIT_SELLER_SEND_GOODS', buyerEmail: family.email });
    await sb.deps.dispatcher.runDue();
    expect((await listNotifications(sb.deps, { tradeNo })).map((n) => n.params.trade_status)).toEqual(['WAIT_BUYER_PAY', 'WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS']);
  });
});
