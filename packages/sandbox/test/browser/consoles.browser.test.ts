import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/create-sandbox.js';
import { SEED_BUYERS } from '../../src/seed.js';
import { getTrade } from '../../src/services/index.js';
import { launchChromium, newPage as openPage, openTrade as openTradeAt, screenshot } from '../helpers/browser.js';
import { serveSandbox, type ServedSandbox } from '../helpers/served-sandbox.js';
import { KEY, PARTNER, directPayParams, escrowParams, gatewayPath, signRequest } from '../helpers/gateway-client.js';

/**
 * The buyer's and the seller's consoles and the cashier in Debian's Chromium (headless), over a
 * real socket: the refund and shipping paths from both sides, the wrong payment passwords, the
 * escrow confirmation's totals, switching account at the cashier, and every page the buyer or the
 * seller sees at 375 pixels wide without horizontal scrolling. Screenshots go to
 * test/browser/artifacts/.
 */
const buyer = SEED_BUYERS[0]!;
const family = SEED_BUYERS[3]!;

describe('the consoles and the cashier in a real browser', () => {
  let served: ServedSandbox;
  let sandbox: Sandbox;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    served = await serveSandbox({ db: ':memory:', deliveryTimeoutMs: 5000 });
    ({ sandbox, base } = served);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await served?.close();
  });

  const newPage = (width = 1200): Promise<Page> => openPage(browser, width, 800);

  const shot = screenshot;

  const openTrade = (params: Record<string, string>): Promise<string> => openTradeAt(base, params);

  async function api(path: string, body: unknown = {}): Promise<Record<string, unknown>> {
    const res = await fetch(`${base}/sandbox/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  }

  /** An escrow order paid through the API by `who`; its trade_no. */
  async function paidEscrow(subject: string, who = buyer.login): Promise<string> {
    const params = escrowParams({ subject });
    const tradeNo = await openTrade(params);
    await api('/pay', { partner: PARTNER, out_trade_no: params.out_trade_no, buyer: who });
    return tradeNo;
  }

  /** Submits a form of the page and waits for the page it leads to; its HTTP status. */
  async function submit(page: Page, selector: string): Promise<number> {
    const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
    return response?.status() ?? 0;
  }

  async function consoleLogin(page: Page, who: 'buyer' | 'seller', login: string, password: string): Promise<void> {
    await page.goto(`${base}/${who}`);
    await page.fill('#login', login);
    await page.fill('#password', password);
    await submit(page, '#login-submit');
  }

  async function cashierLogin(page: Page, who = buyer): Promise<void> {
    await page.fill('#login', who.login);
    await page.fill('#password', who.loginPassword);
    await submit(page, '#login-submit');
  }

  /** Every page at 375 pixels: nothing wider than the screen. */
  async function fits(page: Page, name: string): Promise<void> {
    const seen = await page.evaluate<{ scroll: number; view: number }>('({ scroll: document.documentElement.scrollWidth, view: window.innerWidth })');
    expect({ name, ...seen }).toEqual({ name, scroll: 375, view: 375 });
    await shot(page, `${name}-375`);
  }

  it('fits every page the buyer and the seller see on a 375-pixel-wide screen', async () => {
    const long = '一个很长很长的商品名称，用来检查在窄屏上是否会自动换行而不出现横向滚动条';
    const shipped = await paidEscrow(long);
    await api(`/trades/${shipped}/ship`, { logistics_name: '顺丰速运', invoice_no: 'SF1234567890123456789' });
    const asked = await paidEscrow(long);
    await api(`/trades/${asked}/refund`, { amount: '3.00', reason: '外包装破损，里面的东西也坏了，想要退货退款', return_goods: false });
    const escrowCashier = await openTrade(escrowParams({ subject: long }));
    const direct = directPayParams({ subject: long, total_fee: '2.00' });
    const directCashier = await openTrade(direct);

    const page = await newPage(375);
    await page.goto(`${base}/cashier/${escrowCashier}`);
    await fits(page, 'cashier-login');
    await cashierLogin(page);
    await fits(page, 'cashier-confirm');
    await submit(page, '#confirm-submit');
    await fits(page, 'cashier-pay');
    await page.fill('#pay-password', '000000');
    await submit(page, '#pay-submit');
    await fits(page, 'cashier-wrong-password');

    await page.goto(`${base}/cashier/${directCashier}`);
    await cashierLogin(page, SEED_BUYERS[1]!);
    await page.fill('#pay-password', SEED_BUYERS[1]!.payPassword);
    await submit(page, '#pay-submit');
    await fits(page, 'cashier-balance-refusal');
    await submit(page, '#switch-account');
    await cashierLogin(page);
    await page.fill('#pay-password', buyer.payPassword);
    await submit(page, '#pay-submit');
    await page.waitForSelector('#success');
    await fits(page, 'cashier-success');

    await page.goto(`${base}/buyer`);
    await fits(page, 'buyer-login');
    await consoleLogin(page, 'buyer', buyer.login, buyer.loginPassword);
    await fits(page, 'buyer-console');
    await page.fill(`#trade-${shipped} form[data-action="CONFIRM_GOODS"] input[name="pay_password"]`, '000000');
    await submit(page, `#trade-${shipped} form[data-action="CONFIRM_GOODS"] button`);
    await fits(page, 'buyer-console-refusal');

    await page.goto(`${base}/seller`);
    await fits(page, 'seller-login');
    await consoleLogin(page, 'seller', PARTNER, KEY);
    await fits(page, 'seller-console');

    const login = { service: 'alipay.auth.authorize', target_service: 'user.auth.quick.login', return_url: 'http://127.0.0.1:9/login-return' };
    const newContext = await newPage(375);
    await newContext.goto(`${base}${gatewayPath(signRequest(login))}`);
    await fits(newContext, 'quick-login');
    await newContext.goto(`${base}${gatewayPath(signRequest({ service: 'user.logistics.address.query', return_url: 'http://127.0.0.1:9/address-return', token: 'x'.repeat(40) }))}`);
    await cashierLogin(newContext);
    await newContext.waitForSelector('#address-submit');
    await fits(newContext, 'address-picker');
    // The 调试错误 page with the string the sandbox signed: the longest unbroken text of all.
    await newContext.goto(`${base}${gatewayPath({ ...signRequest(directPayParams({ subject: long })), sign: '0'.repeat(32) })}`);
    await newContext.waitForSelector('#error-code');
    await fits(newContext, 'error-page');
    await newContext.goto(`${base}/`);
    await fits(newContext, 'dashboard');
    await newContext.goto(`${base}/trades/${asked}`);
    await fits(newContext, 'trade-page');
    await newContext.context().close();
    await page.context().close();
    expect((await getTrade(sandbox.deps, shipped))!.tradeStatus).toBe('WAIT_BUYER_CONFIRM_GOODS');
  });

  const row = (tradeNo: string) => `#trade-${tradeNo}`;
  const refundStatus = (page: Page, tradeNo: string) => page.getAttribute(`${row(tradeNo)} .refund-status`, 'data-status');
  const tradeStatus = (page: Page, tradeNo: string) => page.getAttribute(`${row(tradeNo)} .trade-status`, 'data-status');

  it('takes a refund from the buyer to the seller and back: refused, asked again, agreed', async () => {
    const tradeNo = await paidEscrow('退款路径测试');
    const buyerPage = await newPage();
    await consoleLogin(buyerPage, 'buyer', buyer.login, buyer.loginPassword);
    const before = await buyerPage.textContent('#balance');
    await buyerPage.fill(`${row(tradeNo)} form[data-action="REFUND"] input[name="amount"]`, '4.00');
    await buyerPage.fill(`${row(tradeNo)} form[data-action="REFUND"] input[name="reason"]`, '尺码不合适');
    expect(await buyerPage.isChecked(`${row(tradeNo)} form[data-action="REFUND"] input[name="return_goods"]`)).toBe(false);
    await submit(buyerPage, `${row(tradeNo)} form[data-action="REFUND"] button`);
    expect(await refundStatus(buyerPage, tradeNo)).toBe('WAIT_SELLER_AGREE');
    expect(await buyerPage.$(`${row(tradeNo)} form[data-action="REFUND"]`)).toBeNull();

    const sellerPage = await newPage();
    await consoleLogin(sellerPage, 'seller', PARTNER, KEY);
    expect(await sellerPage.textContent(`${row(tradeNo)} .refund-amount`)).toBe('¥4.00');
    expect(await sellerPage.textContent(`${row(tradeNo)} .refund-reason`)).toBe('尺码不合适');
    expect(await sellerPage.textContent(`${row(tradeNo)} .refund-goods`)).toBe('不退货');
    expect(await sellerPage.$(`${row(tradeNo)} form[data-action="SEND_GOODS"]`)).toBeNull();
    await shot(sellerPage, 'seller-refund-request');
    await submit(sellerPage, `${row(tradeNo)} form[data-action="REFUSE_REFUND"] button`);
    expect(await refundStatus(sellerPage, tradeNo)).toBe('SELLER_REFUSE_BUYER');

    await buyerPage.reload();
    expect(await buyerPage.textContent(`${row(tradeNo)} .refund-status`)).toContain('卖家拒绝退款');
    await buyerPage.fill(`${row(tradeNo)} form[data-action="REFUND"] input[name="amount"]`, '5.00');
    await buyerPage.fill(`${row(tradeNo)} form[data-action="REFUND"] input[name="reason"]`, '还是想退一部分');
    await submit(buyerPage, `${row(tradeNo)} form[data-action="REFUND"] button`);

    await sellerPage.reload();
    expect(await sellerPage.textContent(`${row(tradeNo)} .refund-amount`)).toBe('¥5.00');
    expect(await sellerPage.textContent(`${row(tradeNo)} .refund-reason`)).toBe('还是想退一部分');
    await submit(sellerPage, `${row(tradeNo)} form[data-action="AGREE_REFUND"] button`);
    expect(await refundStatus(sellerPage, tradeNo)).toBe('REFUND_SUCCESS');
    // A partial refund: the goods still go out.
    expect(await tradeStatus(sellerPage, tradeNo)).toBe('WAIT_SELLER_SEND_GOODS');
    expect(await sellerPage.$(`${row(tradeNo)} form[data-action="SEND_GOODS"]`)).not.toBeNull();

    await buyerPage.reload();
    expect(await buyerPage.textContent(`${row(tradeNo)} .refund-status`)).toContain('退款成功');
    expect(await buyerPage.textContent(row(tradeNo))).toContain('已退款 ¥5.00');
    const cents = (text: string | null) => Math.round(Number((text ?? '').replace('¥', '')) * 100);
    expect(cents(await buyerPage.textContent('#balance')) - cents(before)).toBe(500);
    await shot(buyerPage, 'buyer-refund-done');
    await buyerPage.context().close();
    await sellerPage.context().close();
  });

  it('ships with a carrier and a tracking number, shows them to the buyer, who confirms after a wrong payment password', async () => {
    const tradeNo = await paidEscrow('发货路径测试');
    const sellerPage = await newPage();
    await consoleLogin(sellerPage, 'seller', PARTNER, KEY);
    expect(await sellerPage.textContent(`${row(tradeNo)} .receive-name`)).toBeTruthy();
    expect(await sellerPage.textContent(`${row(tradeNo)} .logistics-choice`)).toContain('快递（EXPRESS），运费 ¥5.00');
    await sellerPage.fill(`${row(tradeNo)} form[data-action="SEND_GOODS"] input[name="logistics_name"]`, '顺丰速运');
    await sellerPage.fill(`${row(tradeNo)} form[data-action="SEND_GOODS"] input[name="invoice_no"]`, 'SF1001001001');
    await submit(sellerPage, `${row(tradeNo)} form[data-action="SEND_GOODS"] button`);
    expect(await tradeStatus(sellerPage, tradeNo)).toBe('WAIT_BUYER_CONFIRM_GOODS');

    const buyerPage = await newPage();
    await consoleLogin(buyerPage, 'buyer', buyer.login, buyer.loginPassword);
    expect(await buyerPage.textContent(`${row(tradeNo)} .carrier`)).toBe('顺丰速运');
    expect(await buyerPage.textContent(`${row(tradeNo)} .invoice-no`)).toBe('SF1001001001');
    await buyerPage.fill(`${row(tradeNo)} form[data-action="CONFIRM_GOODS"] input[name="pay_password"]`, '999999');
    expect(await submit(buyerPage, `${row(tradeNo)} form[data-action="CONFIRM_GOODS"] button`)).toBe(200);
    // Still the console, with the reason, and nothing changed.
    expect(new URL(buyerPage.url()).pathname).toBe(`/buyer/trades/${tradeNo}/confirm-receipt`);
    expect(await buyerPage.getAttribute('#refusal', 'data-code')).toBe('WRONG_PAY_PASSWORD');
    expect(await buyerPage.textContent('#error')).toContain('支付密码不正确');
    expect(await tradeStatus(buyerPage, tradeNo)).toBe('WAIT_BUYER_CONFIRM_GOODS');
    await shot(buyerPage, 'buyer-wrong-password');

    await buyerPage.fill(`${row(tradeNo)} form[data-action="CONFIRM_GOODS"] input[name="pay_password"]`, buyer.payPassword);
    await submit(buyerPage, `${row(tradeNo)} form[data-action="CONFIRM_GOODS"] button`);
    expect(new URL(buyerPage.url()).pathname).toBe('/buyer');
    expect(await buyerPage.$('#refusal')).toBeNull();
    expect(await tradeStatus(buyerPage, tradeNo)).toBe('TRADE_FINISHED');
    await buyerPage.context().close();
    await sellerPage.context().close();
  });

  it('pays at the cashier after a wrong payment password, with the total following the logistics choice and a way back to change it', async () => {
    const params = escrowParams({ subject: '收银台测试' });
    const tradeNo = await openTrade(params);
    const page = await newPage(375);
    await page.goto(`${base}/cashier/${tradeNo}`);
    await cashierLogin(page);
    expect(await page.textContent('#order-amount')).toBe('15.00');
    await page.check('input[name="logistics"][value="1"]');
    expect(await page.textContent('#order-amount')).toBe('12.00');
    expect(await page.textContent('label.logistics-option:has(input[value="1"]) .freight-note')).toContain('卖家承担运费');
    await shot(page, 'cashier-confirm-seller-pay');
    await submit(page, '#confirm-submit');
    expect(await page.textContent('#order-amount')).toBe('12.00');

    await submit(page, '#change-order');
    expect(await page.isChecked('input[name="logistics"][value="1"]')).toBe(true);
    await page.check('input[name="logistics"][value="0"]');
    expect(await page.textContent('#order-amount')).toBe('15.00');
    await submit(page, '#confirm-submit');

    await page.fill('#pay-password', '123456');
    await submit(page, '#pay-submit');
    expect(await page.textContent('#error')).toContain('支付密码不正确');
    expect((await getTrade(sandbox.deps, tradeNo))!.tradeStatus).toBe('WAIT_BUYER_PAY');

    // Pay as someone else: log out, the login form, back to this cashier.
    await submit(page, '#switch-account');
    expect(new URL(page.url()).pathname).toBe(`/cashier/${tradeNo}`);
    await cashierLogin(page, family);
    expect(await page.textContent('#buyer')).toContain(family.email);
    await submit(page, '#confirm-submit');
    await page.fill('#pay-password', family.payPassword);
    await submit(page, '#pay-submit');
    await page.waitForSelector('#success');
    expect(await page.textContent('#success')).toContain('您已成功付款 15.00 元！');
    expect(page.url()).toMatch(new RegExp(`/cashier/${tradeNo}/success\\?s=[A-Za-z0-9_-]{12}$`));
    expect((await getTrade(sandbox.deps, tradeNo))!).toMatchObject({ tradeStatus: 'WAIT_SELLER_SEND_GOODS', buyerEmail: family.email, totalFeeFen: 1500 });
    await page.context().close();
  });
});
