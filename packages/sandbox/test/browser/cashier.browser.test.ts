import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDirectPayByUser, createPartnerTradeByBuyer, resolveConfig, verifyNotification, verifyReturn, type ResolvedConfig } from 'alipay-legacy';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_BUYERS, SEED_MERCHANT } from '../../src/seed.js';
import { serveSandbox, type ServedSandbox } from '../helpers/served-sandbox.js';

/**
 * A real browser (Debian's Chromium, headless) pays through the real cashier pages: a small
 * merchant site built with the SDK sends it to the gateway, the buyer logs in and pays, sees
 * "您已成功付款", lands on the merchant's return_url (which the merchant verifies with the SDK),
 * and the merchant's notify_url receives the notification. Screenshots go to test/browser/artifacts/.
 */
const buyer = SEED_BUYERS[0]!;
const ARTIFACTS = join(import.meta.dirname, 'artifacts');

class Shop {
  server!: Server;
  base = '';
  config!: ResolvedConfig;
  /** Verified notifications: out_trade_no → trade_status, in arrival order. */
  readonly notified: Array<{ outTradeNo: string; status: string }> = [];
  private pages = new Map<string, string>();

  async start(gateway: string): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req.url ?? '/', req.method ?? 'GET', req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.config = resolveConfig({
      partner: SEED_MERCHANT.partner,
      key: SEED_MERCHANT.key,
      sellerEmail: SEED_MERCHANT.sellerEmail,
      gateway,
      notifyUrl: `${this.base}/notify`,
      returnUrl: `${this.base}/return`,
    });
    return this;
  }

  /** Publishes an order page that sends the browser to the gateway with the SDK's auto-submit form. */
  offer(path: string, formHtml: string): string {
    this.pages.set(path, `<!doctype html><html><head><meta charset="utf-8"><title>商户下单</title></head><body>${formHtml}</body></html>`);
    return `${this.base}${path}`;
  }

  private async handle(url: string, method: string, req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const path = url.split('?')[0]!;
    if (method === 'POST' && path === '/notify') {
      try {
        const m = await verifyNotification(this.config, body);
        this.notified.push({ outTradeNo: m.raw.out_trade_no ?? '', status: m.raw.trade_status ?? '' });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('success');
      } catch (err) {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(`fail ${(err as Error).message}`);
      }
      return;
    }
    if (path === '/return') {
      const query = url.slice(url.indexOf('?') + 1);
      let text: string;
      try {
        const m = await verifyReturn(this.config, query);
        text = `<p id="verified">验证成功 ${m.raw.out_trade_no} ${m.raw.trade_status}</p>`;
      } catch (err) {
        text = `<p id="failed">验证失败 ${(err as Error).message}</p>`;
      }
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head><meta charset="utf-8"><title>返回</title></head><body>${text}</body></html>`);
      return;
    }
    const page = this.pages.get(path);
    if (page) res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    else res.writeHead(404).end('not found');
  }

  async waitForNotifications(outTradeNo: string, count: number): Promise<string[]> {
    const deadline = Date.now() + 15_000;
    const mine = () => this.notified.filter((n) => n.outTradeNo === outTradeNo).map((n) => n.status);
    while (mine().length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return mine();
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('the cashier in a real browser', () => {
  let served: ServedSandbox;
  let shop: Shop;
  let context: BrowserContext;
  let userDataDir: string;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    served = await serveSandbox({ db: ':memory:', deliveryTimeoutMs: 5000 });
    shop = await new Shop().start(`${served.base}/gateway.do`);
    userDataDir = mkdtempSync(join(tmpdir(), 'alipay-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await context?.close();
    await shop?.stop();
    await served?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  async function logIn(page: Page) {
    await page.waitForSelector('#login');
    await page.fill('#login', buyer.login);
    await page.fill('#password', buyer.loginPassword);
    await page.click('#login-submit');
  }

  it('pays a direct-pay order and goes back to the merchant by itself', async () => {
    const outTradeNo = `B${Date.now()}`;
    const request = await createDirectPayByUser(shop.config, { out_trade_no: outTradeNo, subject: '浏览器测试商品', total_fee: '0.01' });
    const page = await context.newPage();
    await page.goto(shop.offer('/order/direct', request.form()));

    await logIn(page);
    await page.waitForSelector('#pay-password');
    expect(await page.textContent('#order-subject')).toContain('浏览器测试商品');
    await page.fill('#pay-password', buyer.payPassword);
    await page.click('#pay-submit');

    await page.waitForSelector('#success');
    expect(await page.textContent('#success')).toContain('您已成功付款 0.01 元！');
    // The success page returns to return_url on its own after a few seconds (meta refresh).
    await page.waitForURL(`${shop.base}/return?**`, { timeout: 15_000 });
    expect(await page.textContent('body')).toContain(`验证成功 ${outTradeNo} TRADE_FINISHED`);

    expect(await shop.waitForNotifications(outTradeNo, 1)).toEqual(['TRADE_FINISHED']);
    await page.close();
  });

  it('pays an escrow order with the second logistics option and returns by the link', async () => {
    const outTradeNo = `E${Date.now()}`;
    const request = await createPartnerTradeByBuyer(shop.config, {
      out_trade_no: outTradeNo,
      subject: '担保交易浏览器测试',
      price: '1.00',
      quantity: 1,
      logistics_type: 'EXPRESS',
      logistics_fee: '0.50',
      logistics_payment: 'BUYER_PAY',
      logistics_type_1: 'EMS',
      logistics_fee_1: '0.20',
      logistics_payment_1: 'BUYER_PAY',
    });
    const page = await context.newPage();
    await page.goto(shop.offer('/order/escrow', request.form({ method: 'post' })));

    await logIn(page);
    await page.waitForSelector('#confirm-submit');
    expect(await page.textContent('body')).toContain('浦东新区');
    await page.check('input[name="logistics"][value="1"]');
    await page.click('#confirm-submit');

    await page.waitForSelector('#pay-password');
    expect(await page.textContent('#order-amount')).toBe('1.20');
    await page.fill('#pay-password', buyer.payPassword);
    await page.click('#pay-submit');

    await page.waitForSelector('#success');
    expect(await page.textContent('#success')).toContain('您已成功付款 1.20 元！');
    await page.click('#return-link');
    await page.waitForURL(`${shop.base}/return?**`);
    expect(await page.textContent('body')).toContain(`验证成功 ${outTradeNo} WAIT_SELLER_SEND_GOODS`);

    expect(await shop.waitForNotifications(outTradeNo, 2)).toEqual(['WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS']);
    await page.close();
  });

  it('pays by online bank (paymethod=bankPay): the bank’s page, cancel back to the cashier, pay, and back to the merchant', async () => {
    const outTradeNo = `K${Date.now()}`;
    const request = await createDirectPayByUser(shop.config, { out_trade_no: outTradeNo, subject: '网银浏览器测试', total_fee: '0.02', paymethod: 'bankPay', defaultbank: 'ICBCB2C' });
    const page = await context.newPage();
    await page.setViewportSize({ width: 1000, height: 800 });
    await page.goto(shop.offer('/order/bank', request.form()));

    await logIn(page);
    await page.waitForSelector('#bank-choice');
    expect(await page.isChecked('input[name="bank"][value="ICBCB2C"]')).toBe(true);
    await page.click('#bank-submit');

    await page.waitForSelector('#bank-name');
    expect(await page.textContent('#bank-name')).toContain('中国工商银行');
    expect(await page.textContent('#bank-amount')).toBe('0.02');
    await page.screenshot({ path: join(ARTIFACTS, 'cashier-bank.png'), fullPage: true });
    await page.click('#bank-cancel');
    await page.waitForSelector('#bank-choice');

    await page.check('input[name="bank"][value="ICBCB2C"]');
    await page.click('#bank-submit');
    await page.waitForSelector('#bank-pay');
    await page.click('#bank-pay');
    await page.waitForSelector('#success');
    expect(await page.textContent('#success')).toContain('您已成功付款 0.02 元！');
    await page.click('#return-link');
    await page.waitForURL(`${shop.base}/return?**`);
    expect(await page.textContent('body')).toContain(`验证成功 ${outTradeNo} TRADE_FINISHED`);
    expect(await shop.waitForNotifications(outTradeNo, 1)).toEqual(['TRADE_FINISHED']);
    await page.close();
  });

  it('closes the success page (关闭) without going back; the notification still comes', async () => {
    const outTradeNo = `C${Date.now()}`;
    const request = await createDirectPayByUser(shop.config, { out_trade_no: outTradeNo, subject: '关闭页面测试', total_fee: '0.01' });
    const page = await context.newPage();
    await page.goto(shop.offer('/order/close', request.form()));
    await logIn(page);
    await page.waitForSelector('#pay-password');
    await page.fill('#pay-password', buyer.payPassword);
    await page.click('#pay-submit');
    await page.waitForSelector('#close-page');
    await page.click('#close-page');
    await page.waitForSelector('#closed');
    expect(page.url()).toContain(`${served.base}/cashier/`);
    expect(await shop.waitForNotifications(outTradeNo, 1)).toEqual(['TRADE_FINISHED']);
    // The closed page has no way back: no refresh, no link to the merchant.
    expect(await page.locator('meta[http-equiv="refresh"]').count()).toBe(0);
    expect(await page.locator(`a[href^="${shop.base}"]`).count()).toBe(0);
    await page.close();
  });
});

