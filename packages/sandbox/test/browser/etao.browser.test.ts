import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseForm, verifyMessageSign } from 'alipay-legacy/protocol';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_BUYERS } from '../../src/seed.js';
import { KEY } from '../helpers/gateway-client.js';
import { launchChromium, newPage as openPage } from '../helpers/browser.js';
import { serveSandbox, type ServedSandbox } from '../helpers/served-sandbox.js';

const buyer = SEED_BUYERS[0]!;

/**
 * The etao entry in Debian's Chromium (headless): from the dashboard's link, the form sends the
 * browser to a loopback merchant's login return_url with target_url, signed; with a buyer signed
 * in at the buyer console, as from a quick login.
 */
describe('the etao entry in a real browser', () => {
  let served: ServedSandbox;
  let merchant: Server;
  let merchantBase: string;
  let browser: Browser;

  beforeAll(async () => {
    served = await serveSandbox({ db: ':memory:' });
    merchant = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>merchant</title><p id="arrived">${req.url?.split('?')[0]}</p>`);
    });
    await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve));
    merchantBase = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => merchant?.close(() => resolve()));
    await served?.close();
  });

  const newPage = (width = 1200): Promise<Page> => openPage(browser, width, 900);

  /** From the dashboard, through the etao form, to the merchant; the parameters the merchant got. */
  async function takeEntry(page: Page, target: string): Promise<Record<string, string>> {
    await page.goto(`${served.base}/`);
    await page.click('nav.dash a[href="/etao"]');
    await page.waitForURL(`${served.base}/etao`);
    await page.fill('input[name="return_url"]', `${merchantBase}/alipay/login-return`);
    await page.fill('input[name="target_url"]', target);
    await Promise.all([page.waitForURL((url) => url.href.startsWith(merchantBase)), page.click('#etao-go')]);
    expect(await page.textContent('#arrived')).toBe('/alipay/login-return');
    const url = page.url();
    const params = parseForm(url.slice(url.indexOf('?') + 1), 'utf-8');
    expect(() => verifyMessageSign(params, { signType: 'MD5', key: KEY, charset: 'utf-8' })).not.toThrow();
    return params;
  }

  it('sends a buyer who is not signed in with target_url and notify_id', async () => {
    const page = await newPage();
    await page.goto(`${served.base}/etao`);
    expect(await page.textContent('#etao-buyer')).toContain('no buyer signed in');
    const params = await takeEntry(page, `${merchantBase}/products/1`);
    expect(Object.keys(params).sort()).toEqual(['notify_id', 'sign', 'sign_type', 'target_url']);
    expect(params.target_url).toBe(`${merchantBase}/products/1`);
    await page.context().close();
  });

  it('sends the buyer signed in at the buyer console with user_id, token and real_name', async () => {
    const page = await newPage();
    await page.goto(`${served.base}/buyer`);
    await page.fill('input[name="login"]', buyer.login);
    await page.fill('input[name="password"]', buyer.loginPassword);
    await Promise.all([page.waitForURL(`${served.base}/buyer`), page.click('#login-submit')]);
    await page.goto(`${served.base}/etao`);
    expect(await page.textContent('#etao-buyer')).toContain(buyer.login);
    const params = await takeEntry(page, `${merchantBase}/products/2`);
    expect(params).toMatchObject({ user_id: buyer.userId, real_name: buyer.realName, target_url: `${merchantBase}/products/2` });
    expect(params.token).toHaveLength(40);
    await page.context().close();
  });

  it('fits a 375-pixel-wide screen', async () => {
    const page = await newPage(375);
    await page.goto(`${served.base}/etao`);
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    await page.context().close();
  });
});
