import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SEED_BUYERS, SEED_MERCHANT } from 'alipay-legacy-sandbox';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentSetting } from '../../src/payment-services.js';
import { orderByNumber } from '../../src/services/orders.js';
import { setPaymentSetting } from '../../src/services/settings.js';
import { serversForSuite } from '../helpers/servers.js';

/**
 * A buyer in Debian's Chromium (headless) walks through the shop and the sandbox's pages: quick
 * login in both flows with each payment interface, bank choice, the direct-payment page, an
 * escrow order shipped and confirmed, a closed page before the return (with and without the
 * notification), and a refund. Screenshots go to test/browser/artifacts/.
 */
const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const buyer = SEED_BUYERS[0]!;
const ADMIN_PASSWORD = 'browser-admin';

describe('the shop in a real browser', () => {
  const servers = serversForSuite('sqlite', { dispatch: true, shop: { options: { adminPassword: ADMIN_PASSWORD } } });
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

  /** Reads until `done` accepts the value or 20 s pass (state, not time); the last value, for the test to check. */
  async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits until the shop's record of an order satisfies `done`. */
  const orderWhen = (no: string, done: (status: string | null) => boolean) =>
    waitFor(async () => (await orderByNumber(servers.shop.deps, no))?.trade_status ?? null, done);

  async function newBuyer(): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1100, height: 800 } });
    return { context, page: await context.newPage() };
  }

  async function alipayLogin(page: Page) {
    await page.waitForSelector('#login');
    await page.fill('#login', buyer.login);
    await page.fill('#password', buyer.loginPassword);
    await page.click('#login-submit');
  }

  /** At the cashier: log in unless the token skipped it, confirm logistics when asked, choose the dual way, pay. */
  async function payAtCashier(page: Page, options: { method?: 'escrow' | 'instant'; shotName?: string } = {}) {
    await page.waitForSelector('#login, #confirm-submit, #pay-password');
    if (await page.$('#login')) await alipayLogin(page);
    await page.waitForSelector('#confirm-submit, #pay-password');
    if (await page.$('#confirm-submit')) await page.click('#confirm-submit');
    await page.waitForSelector('#pay-password');
    if (options.method) await page.check(`input[name="method"][value="${options.method}"]`);
    if (options.shotName) await shot(page, options.shotName);
    await page.fill('#pay-password', buyer.payPassword);
    await page.click('#pay-submit');
    await page.waitForSelector('#success');
  }

  async function addToCartAndCheckout(page: Page) {
    await page.goto(`${servers.shop.url}/`);
    await page.click('button[data-add="test-penny"]');
    await page.waitForURL(`${servers.shop.url}/cart`);
  }

  async function fillAddress(page: Page) {
    await page.fill('input[name="receive_name"]', '李四');
    await page.selectOption('select[name="prov"]', '上海市');
    await page.selectOption('select[name="city"]', '上海市');
    await page.selectOption('select[name="area"]', '浦东');
    await page.fill('input[name="address"]', '世纪大道 100 号');
    await page.fill('input[name="mobile"]', '13800138000');
  }

  /** From the cart to the order form, the address filled in. */
  async function toOrderForm(page: Page) {
    await addToCartAndCheckout(page);
    await page.click('#checkout');
    await fillAddress(page);
  }

  async function orderNumberOnReturn(page: Page): Promise<string> {
    await page.click('#return-link');
    await page.waitForURL(`${servers.shop.url}/alipay/return?**`);
    const heading = await page.textContent('h1');
    return heading!.replace('订单', '').trim();
  }

  const way: Record<PaymentSetting, 'escrow' | 'instant' | undefined> = { instant: undefined, escrow: undefined, dual: 'instant' };
  const paidStatus: Record<PaymentSetting, string> = { instant: 'TRADE_FINISHED', escrow: 'WAIT_SELLER_SEND_GOODS', dual: 'TRADE_FINISHED' };

  for (const setting of ['instant', 'escrow', 'dual'] as const) {
    it(`log in then buy (${setting}): back to the product page, then the token skips the cashier login`, async () => {
      await setPaymentSetting(servers.shop.deps, setting);
      const { context, page } = await newBuyer();
      await page.goto(`${servers.shop.url}/products/three-body`);
      await page.click('#quick-login');
      await alipayLogin(page);
      await page.waitForURL(`${servers.shop.url}/products/three-body`);
      expect(await page.textContent('#buyer-name')).toBe('你好，支付宝用户张三');
      if (setting === 'instant') await shot(page, 'login-then-buy-1-product-after-login');
      await page.goto(`${servers.shop.url}/products/test-penny`);
      await page.click('button[data-add="test-penny"]');
      await page.click('#checkout');
      await fillAddress(page);
      expect(await page.$('input[value="cod"]')).toBeNull();
      await page.click('#place-order');
      await payAtCashier(page, { ...(way[setting] ? { method: way[setting] } : {}), ...(setting === 'dual' ? { shotName: 'dual-cashier-choice' } : {}) });
      const no = await orderNumberOnReturn(page);
      expect(await page.textContent('#order-status')).toBeTruthy();
      if (setting === 'instant') await shot(page, 'login-then-buy-2-return-page');
      expect(await orderWhen(no, (s) => s === paidStatus[setting])).toBe(paidStatus[setting]);
      const order = (await orderByNumber(servers.shop.deps, no))!;
      expect(order.customer_user_id).toBe(buyer.userId);
      if (setting === 'dual') expect(order.paid_way).toBe('instant');
      await context.close();
    });

    it(`buy then log in (${setting}): the cart is kept, the order form comes next, the address comes from Alipay`, async () => {
      await setPaymentSetting(servers.shop.deps, setting);
      const { context, page } = await newBuyer();
      await addToCartAndCheckout(page);
      await page.click('#login-checkout');
      await alipayLogin(page);
      await page.waitForURL(`${servers.shop.url}/checkout`);
      expect(await page.textContent('#buyer-name')).toBe('你好，支付宝用户张三');
      await page.click('#use-alipay-address');
      await page.waitForSelector('#address-submit');
      if (setting === 'escrow') await shot(page, 'buy-then-login-1-alipay-address-picker');
      await page.click('#address-submit');
      await page.waitForURL(`${servers.shop.url}/checkout?address=alipay`);
      expect(await page.inputValue('select[name="prov"]')).toBe('上海市');
      expect(await page.inputValue('select[name="area"]')).toBe('浦东');
      expect(await page.inputValue('input[name="receive_name"]')).toBe('张三');
      if (setting === 'escrow') await shot(page, 'buy-then-login-2-address-filled');
      // The buyer can still edit the address.
      await page.fill('input[name="address"]', '世纪大道 200 号');
      await page.click('#place-order');
      await payAtCashier(page, way[setting] === 'instant' ? { method: 'escrow' } : {});
      const no = await orderNumberOnReturn(page);
      const expected = setting === 'dual' ? 'WAIT_SELLER_SEND_GOODS' : paidStatus[setting];
      expect(await orderWhen(no, (s) => s === expected)).toBe(expected);
      const order = (await orderByNumber(servers.shop.deps, no))!;
      expect(order.receive_address).toBe('世纪大道 200 号');
      if (setting === 'dual') expect(order.paid_way).toBe('escrow');
      await context.close();
    });
  }

  it('bank choice: the order goes to the cashier with paymethod=bankPay and the chosen bank', async () => {
    await setPaymentSetting(servers.shop.deps, 'instant');
    const { context, page } = await newBuyer();
    await toOrderForm(page);
    await page.check('input[name="payment"][value="bank"]');
    await page.selectOption('select[name="bank"]', 'CMB');
    await shot(page, 'bank-choice-checkout');
    const [request] = await Promise.all([page.waitForRequest((r) => r.url().includes('/gateway.do')), page.click('#place-order')]);
    const sent = new URL(request.url());
    expect([sent.searchParams.get('paymethod'), sent.searchParams.get('defaultbank')]).toEqual(['bankPay', 'CMB']);
    await page.waitForURL(/\/cashier\//);
    await shot(page, 'bank-choice-cashier');
    await context.close();
  });

  it('the direct-payment page: what for, the amount, a note, the payee, paid by instant payment', async () => {
    const { context, page } = await newBuyer();
    await page.goto(`${servers.shop.url}/pay`);
    expect(await page.textContent('#mainname')).toBe(servers.shop.deps.options.mainname);
    await page.fill('input[name="subject"]', '定制茶礼订金');
    await page.fill('input[name="amount"]', '0.01');
    await page.fill('textarea[name="note"]', '周五前发货');
    await shot(page, 'direct-payment-page');
    await page.click('#direct-pay');
    await payAtCashier(page);
    const no = await orderNumberOnReturn(page);
    expect(await orderWhen(no, (s) => s === 'TRADE_FINISHED')).toBe('TRADE_FINISHED');
    expect(await page.textContent('body')).toContain('定制茶礼订金');
    await context.close();
  });

  /** A new buyer orders the test product, pays at the cashier and comes back; the order number from the return page. */
  async function buyAndPay(): Promise<{ context: BrowserContext; page: Page; no: string }> {
    const { context, page } = await newBuyer();
    await toOrderForm(page);
    await page.click('#place-order');
    await payAtCashier(page);
    return { context, page, no: await orderNumberOnReturn(page) };
  }

  async function adminPage(): Promise<{ context: BrowserContext; page: Page }> {
    const { context, page } = await newBuyer();
    await page.goto(`${servers.shop.url}/admin`);
    await page.fill('input[name="password"]', ADMIN_PASSWORD);
    await page.click('#admin-login');
    await page.waitForURL(`${servers.shop.url}/admin`);
    return { context, page };
  }

  it('an escrow order shipped in the admin and confirmed by the buyer', async () => {
    await setPaymentSetting(servers.shop.deps, 'escrow');
    const { context, no } = await buyAndPay();
    expect(await orderWhen(no, (s) => s === 'WAIT_SELLER_SEND_GOODS')).toBe('WAIT_SELLER_SEND_GOODS');
    const admin = await adminPage();
    await admin.page.goto(`${servers.shop.url}/admin/orders/${no}`);
    await admin.page.fill('input[name="invoice_no"]', 'SF20261202');
    await admin.page.click('#ship');
    await admin.page.waitForSelector('#flash');
    expect(await orderWhen(no, (s) => s === 'WAIT_BUYER_CONFIRM_GOODS')).toBe('WAIT_BUYER_CONFIRM_GOODS');
    const order = (await orderByNumber(servers.shop.deps, no))!;
    await servers.sandbox.api(`/trades/${order.trade_no}/confirm-receipt`, {});
    expect(await orderWhen(no, (s) => s === 'TRADE_FINISHED')).toBe('TRADE_FINISHED');
    await admin.page.goto(`${servers.shop.url}/admin/orders/${no}`);
    expect(await admin.page.getAttribute('#admin-order-status', 'data-trade-status')).toBe('TRADE_FINISHED');
    await shot(admin.page, 'admin-escrow-order-shipped-and-confirmed');
    await admin.context.close();
    await context.close();
  });

  async function payAndClose(): Promise<string> {
    await setPaymentSetting(servers.shop.deps, 'instant');
    const { context, page } = await newBuyer();
    await toOrderForm(page);
    const [request] = await Promise.all([page.waitForRequest((r) => r.url().includes('/gateway.do')), page.click('#place-order')]);
    const no = new URL(request.url()).searchParams.get('out_trade_no')!;
    await payAtCashier(page);
    // The buyer closes the page on the success page, before it returns to the shop.
    await context.close();
    return no;
  }

  it('the buyer closes the page before the return: the notification still marks the order paid', async () => {
    const no = await payAndClose();
    expect(await orderWhen(no, (s) => s === 'TRADE_FINISHED')).toBe('TRADE_FINISHED');
    const log = await servers.shop.deps.db.selectFrom('notification_log').selectAll().where('out_trade_no', '=', no).execute();
    expect(log.map((l) => [l.kind, l.outcome])).toEqual([['notify', 'applied']]);
  });

  it('the page closed and the notification dropped: reconciliation marks the order paid', async () => {
    await servers.sandbox.api('/faults', { partner: SEED_MERCHANT.partner, kind: 'drop', count: 10 });
    const no = await payAndClose();
    // Wait until the sandbox has tried (and dropped) the delivery.
    await waitFor(
      async () => (await servers.sandbox.api<Array<{ attempts: unknown[] }>>(`/notifications?out_trade_no=${no}`)).json,
      (notes) => notes.some((n) => n.attempts.length > 0),
    );
    await servers.sandbox.api('/faults', { partner: SEED_MERCHANT.partner, kind: 'none' });
    expect((await orderByNumber(servers.shop.deps, no))!.trade_status).toBeNull();
    servers.shop.clock.advance(servers.shop.deps.options.reconcileAfterMs + 1000);
    const admin = await adminPage();
    await admin.page.click('#reconcile-now');
    await admin.page.waitForSelector('#flash');
    expect((await orderByNumber(servers.shop.deps, no))!.trade_status).toBe('TRADE_FINISHED');
    await shot(admin.page, 'admin-reconciliation');
    await admin.page.goto(`${servers.shop.url}/admin/orders/${no}`);
    expect(await admin.page.textContent('#order-history')).toContain('query');
    await admin.context.close();
  });

  it('a refund: the admin starts it, the seller confirms it at Alipay, batch_refund_notify completes it', async () => {
    await servers.sandbox.api(`/merchants/${SEED_MERCHANT.partner}/settings`, { advanced_instant: true });
    await setPaymentSetting(servers.shop.deps, 'instant');
    const { context, no } = await buyAndPay();
    expect(await orderWhen(no, (s) => s === 'TRADE_SUCCESS')).toBe('TRADE_SUCCESS');
    await context.close();
    const admin = await adminPage();
    await admin.page.goto(`${servers.shop.url}/admin/orders/${no}`);
    await admin.page.fill('input[name="amount"]', '0.01');
    await admin.page.click('#refund');
    await admin.page.waitForURL(/\/seller\/refund-batches\//);
    if (await admin.page.$('#login')) {
      await admin.page.fill('#login', SEED_MERCHANT.partner);
      await admin.page.fill('#password', SEED_MERCHANT.key);
      await admin.page.click('#login-submit');
    }
    await admin.page.click('#refund-confirm');
    await admin.page.waitForSelector('#batch-done');
    expect(await orderWhen(no, (s) => s === 'TRADE_CLOSED')).toBe('TRADE_CLOSED');
    const batch = await waitFor(
      () => servers.shop.deps.db.selectFrom('refund_batches').selectAll().executeTakeFirstOrThrow(),
      (b) => b.status !== 'sent',
    );
    expect(batch.status).toBe('succeeded');
    await admin.page.goto(`${servers.shop.url}/admin/orders/${no}`);
    expect(await admin.page.getAttribute('#admin-order-status', 'data-refund-status')).toBe('REFUND_SUCCESS');
    await shot(admin.page, 'admin-refund-done');
    await admin.page.goto(`${servers.shop.url}/admin/notifications`);
    await shot(admin.page, 'admin-notification-log');
    await admin.context.close();
    await servers.sandbox.api(`/merchants/${SEED_MERCHANT.partner}/settings`, { advanced_instant: false });
  });
});
