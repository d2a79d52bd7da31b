import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_BUYERS } from '../../packages/sandbox/src/seed.js';
import { openDb } from '../../packages/sandbox/src/store/open-db.js';
import { launchChromium, newPage, openTrade, screenshot } from '../../packages/sandbox/test/helpers/browser.js';
import { directPayParams, escrowParams, gatewayPath, KEY, signRequest } from '../../packages/sandbox/test/helpers/gateway-client.js';
import { cleanupsForSuite, PARTNER, report, Stack, STORES } from './harness.js';
import { inspect, LONG, P } from './hostile-payloads.js';

/**
 * Hostile product names, subjects and addresses shown in a real browser on every page of the shop
 * and the sandbox: nothing executes. Payloads (hostile-payloads.ts) are planted wherever a name
 * can come from — the shop's catalogue (SHOP_CATALOGUE), its name and payee name, the checkout's
 * consignee, the direct-payment page's subject and note, the seller admin's shipping and refund
 * forms; signed merchant requests straight to the sandbox's gateway (subject, body, the consignee
 * of decisions §27); a buyer's name and saved address (written into the sandbox's store, as its
 * API has no way to change them); the consoles' refund reason and shipping form; query parameters
 * the pages echo. Each page is then checked: no dialog, `window.__pwned` unset, nothing a payload
 * would have made, and the hostile text shown as text where the page shows that field.
 *
 * Pages visited (from apps/shop/src/routes/* and packages/sandbox/src/routes/*):
 * shop — `/` catalogue, `/products/:id` (each product, logged out and in, and an unknown one),
 * `/cart`, `/checkout` (refused, and filled from the Alipay address), `/orders`, `/orders/:no`,
 * `/pay` (refused), `/alipay/return` (verified for a cart order and a direct payment, and forged),
 * `/alipay/login-return` (forged), `/admin/login`, `/admin`, `/admin/orders/:no` (shipped; a direct
 * payment with its refund form), `/admin/notifications`. The other shop routes only redirect
 * (`/login`, `/cart/add`, `/orders/:no/pay`, `/checkout/alipay-address`, `/alipay/address-return`)
 * or answer text (`/alipay/notify`); the flows pass through them.
 * sandbox — `/cashier/:no` login (and refused), confirm (escrow consignee, saved addresses,
 * logistics), pay, `/success`, `/closed`, `/bank`, the balance refusal; the quick-login window and
 * the address picker (`/gateway.do` of alipay.auth.authorize and user.logistics.address.query) and
 * the address page that submits itself (`/address/select`); the 调试错误 page with hostile parameters
 * echoed; `/buyer` and `/seller` (login, a login refused, trade lists, a refund asked, a refusal,
 * goods shipped); `/seller/refund-batches/:no`; the dashboard `/` (and its live update), `/trades`
 * (and filtered by a hostile out_trade_no), `/trades/:no` (and after a control), `/notifications`,
 * `/notifications/:id` (the delivery log), a refused dashboard page, `/etao` (and refused). The
 * JSON test API and `/gateway.do`'s XML answers are not pages.
 */
const ADMIN_PASSWORD = 'hostile-admin';
const buyer = SEED_BUYERS[3]!;

/** A buyer's name and saved address, and a consignee name, each a payload of their own. */
const BUYER_NAME = '<script>window.__pwned=1;alert("name")</script>#13';
const ADDRESS_NAME = '"><img src=x onerror=alert(14)>#14';
const REFUND_REASON = '<img src=x onerror=alert(15)>'; // the shop replaces ^ $ | # in a refund reason
const LIVE_SUBJECT = '<svg/onload=alert(16)>#16';

const PRODUCTS = [
  { id: 'h-script', name: P.script, description: P.textarea, priceFen: 1 },
  { id: 'h-title', name: P.title, description: P.title, priceFen: 2 },
  { id: 'h-img', name: P.img, description: P.scriptEnd, priceFen: 3 },
  { id: 'h-svg', name: P.svg, description: P.style, priceFen: 4 },
  { id: 'h-single', name: P.single, description: P.template, priceFen: 5 },
  { id: 'h-rtl', name: P.rtl, description: P.iframe, priceFen: 6 },
  { id: 'h-long', name: LONG, description: P.jsUrl, priceFen: 7 },
];

describe.each(STORES)('hostile names in a real browser [%s]', (store) => {
  const cleanup = cleanupsForSuite();
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows every hostile name as text on every page of the shop and the sandbox, and runs none', async () => {
    const catalogueFile = join(tmpdir(), `hostile-catalogue-${process.pid}-${store}.json`);
    writeFileSync(catalogueFile, JSON.stringify(PRODUCTS));
    cleanup(() => rmSync(catalogueFile, { force: true }));
    const stack = await new Stack(store, cleanup, {
      shopEnv: { SHOP_CATALOGUE: catalogueFile, SHOP_PAYMENT_SERVICE: 'escrow', SHOP_NAME: P.title, SHOP_MAINNAME: P.rtl, SHOP_ADMIN_PASSWORD: ADMIN_PASSWORD },
    }).start();
    const shop = stack.shopUrl;
    // The products' names and descriptions, the shop's name and payee name.
    let planted = PRODUCTS.length * 2 + 2;

    // The buyer's name and first saved address, written into the sandbox's store while the sandbox
    // is stopped (an SQLite store belongs to one process); the seed keeps them when it starts again.
    await stack.sandbox.stop();
    const sandboxStore = openDb(stack.sandboxDb, { poolSize: 1 });
    try {
      await sandboxStore.db.updateTable('buyers').set({ real_name: BUYER_NAME }).where('user_id', '=', buyer.userId).execute();
      const first = await sandboxStore.db.selectFrom('addresses').select('id').where('user_id', '=', buyer.userId).orderBy('position').executeTakeFirstOrThrow();
      await sandboxStore.db.updateTable('addresses').set({ fullname: ADDRESS_NAME, address: P.single }).where('id', '=', first.id).execute();
    } finally {
      await sandboxStore.close();
    }
    await stack.startSandbox(0);
    planted += 3;
    const sandbox = stack.sandbox.url;

    const dialogs: string[] = [];
    const visited: string[] = [];
    const open = async (): Promise<Page> => {
      const page = await newPage(browser);
      page.on('dialog', (dialog) => {
        dialogs.push(`${page.url()}: ${dialog.message()}`);
        void dialog.dismiss().catch(() => undefined);
      });
      return page;
    };
    cleanup(() => browser.contexts().forEach((c) => void c.close()));

    /** What ran or was planted, page by page (each page is still checked to the end, then reported). */
    const executed: { page: string; pwned: unknown; planted: string[] }[] = [];

    /** The checks of one page: nothing ran, nothing planted, the hostile text shown as text. */
    async function check(page: Page, label: string, shown: string[] = []): Promise<void> {
      const seen = await inspect(page);
      visited.push(label);
      if (seen.pwned !== undefined || seen.planted.length > 0) executed.push({ page: label, pwned: seen.pwned, planted: seen.planted });
      expect(
        shown.filter((text) => !seen.text.includes(text)),
        `${label}: hostile text not shown as text${executed.length > 0 ? `; ran or planted so far: ${JSON.stringify(executed)}` : ''}`,
      ).toEqual([]);
    }

    /** Submits a form by clicking `selector`; resolves once the next page loaded. */
    async function submit(page: Page, selector: string): Promise<number> {
      const [response] = await Promise.all([page.waitForNavigation(), page.click(selector)]);
      return response?.status() ?? 0;
    }

    async function cashierLogin(page: Page, who = buyer): Promise<void> {
      await page.waitForSelector('#login');
      await page.fill('#login', who.login);
      await page.fill('#password', who.loginPassword);
      await submit(page, '#login-submit');
    }

    // --- The shop: catalogue, products, cart, checkout -------------------------------------------------
    const a = await open();
    await a.goto(`${shop}/`);
    await check(a, 'shop /', [P.title, ...PRODUCTS.flatMap((p) => [p.name, p.description])]);
    for (const p of PRODUCTS) {
      await a.goto(`${shop}/products/${p.id}`);
      await check(a, `shop /products/${p.id}`, [p.name, p.description]);
    }
    await screenshot(a, `hostile-${store}-shop-product`);
    for (const id of ['h-title', 'h-script']) {
      await a.goto(`${shop}/products/${id}`);
      await submit(a, `button[data-add="${id}"]`);
    }
    await check(a, 'shop /cart', [P.title, P.script]);
    await submit(a, '#checkout');
    await check(a, 'shop /checkout', [P.title, P.script]);
    await a.fill('input[name="receive_name"]', P.svg);
    await a.selectOption('select[name="prov"]', '上海市');
    await a.selectOption('select[name="city"]', '上海市');
    await a.selectOption('select[name="area"]', '浦东');
    await a.fill('input[name="address"]', `${P.textarea}${P.rtl}`);
    await a.fill('input[name="mobile"]', '1380013800x');
    planted += 2;
    expect(await submit(a, '#place-order')).toBe(400);
    await check(a, 'shop /checkout refused', [P.title]);
    expect(await a.inputValue('input[name="receive_name"]')).toBe(P.svg);
    expect(await a.inputValue('input[name="address"]')).toBe(`${P.textarea}${P.rtl}`);
    await a.fill('input[name="mobile"]', '13800138000');
    await submit(a, '#place-order');

    // --- The sandbox's cashier: the shop's escrow order ------------------------------------------------
    await a.waitForURL(/\/cashier\/\d+$/);
    const cartTradeNo = a.url().split('/').pop()!;
    await check(a, 'sandbox cashier login', [P.script, P.title]);
    await cashierLogin(a);
    await check(a, 'sandbox cashier confirm', [P.script, BUYER_NAME, P.svg, P.textarea, ADDRESS_NAME, P.single]);
    await screenshot(a, `hostile-${store}-sandbox-cashier-confirm`);
    await submit(a, '#confirm-submit');
    await check(a, 'sandbox cashier pay', [P.script, BUYER_NAME, P.svg]);
    await a.fill('#pay-password', buyer.payPassword);
    await submit(a, '#pay-submit');
    await check(a, 'sandbox cashier success', [P.script]);
    await submit(a, '#return-link');
    const cartOrderNo = new URL(a.url()).searchParams.get('out_trade_no')!;
    await check(a, 'shop /alipay/return', [P.script, P.title, P.svg, P.textarea]);
    await a.goto(`${shop}/products/${encodeURIComponent(P.svg)}`);
    await check(a, 'shop /products/:id unknown', [P.title]);
    await a.goto(`${shop}/orders`);
    await check(a, 'shop /orders', [P.script]);
    await a.goto(`${shop}/orders/${cartOrderNo}`);
    await check(a, 'shop /orders/:no', [P.script, P.title, P.svg, P.textarea]);

    // --- The shop's direct-payment page ----------------------------------------------------------------
    await a.goto(`${shop}/pay`);
    await check(a, 'shop /pay', [P.rtl]);
    await a.fill('input[name="subject"]', P.img.repeat(3));
    await a.fill('input[name="amount"]', '0.01');
    await a.fill('textarea[name="note"]', P.textarea);
    expect(await submit(a, '#direct-pay')).toBe(400);
    await check(a, 'shop /pay refused', [P.rtl]);
    expect(await a.inputValue('textarea[name="note"]')).toBe(P.textarea);
    await a.fill('input[name="subject"]', P.img);
    await a.fill('textarea[name="note"]', `${P.scriptEnd}${LONG}`);
    planted += 2;
    await submit(a, '#direct-pay');
    await a.waitForURL(/\/cashier\/\d+$/);
    await check(a, 'sandbox cashier login (instant)', [P.img, P.scriptEnd]);
    await cashierLogin(a);
    await check(a, 'sandbox cashier pay (instant)', [P.img, P.scriptEnd, BUYER_NAME]);
    await a.fill('#pay-password', buyer.payPassword);
    await submit(a, '#pay-submit');
    await check(a, 'sandbox cashier success (instant)', [P.img]);
    await submit(a, '#return-link');
    const directOrderNo = new URL(a.url()).searchParams.get('out_trade_no')!;
    await check(a, 'shop /alipay/return (direct payment)', [P.img]);
    // A return and a login return nobody signed, their parameters hostile: refused, nothing echoed that runs.
    await a.goto(`${shop}/alipay/return?out_trade_no=${encodeURIComponent(P.svg)}&subject=${encodeURIComponent(P.script)}&sign=x`);
    await check(a, 'shop /alipay/return forged', [P.title]);
    await a.goto(`${shop}/alipay/login-return?real_name=${encodeURIComponent(P.script)}&user_id=2088&sign=x`);
    await check(a, 'shop /alipay/login-return forged', [P.title]);

    // --- Quick login and the Alipay address at the shop -----------------------------------------------
    const b = await open();
    await b.goto(`${shop}/products/h-img`);
    await submit(b, '#quick-login');
    await check(b, 'sandbox quick-login window');
    await cashierLogin(b);
    await b.waitForURL(`${shop}/products/h-img`);
    await check(b, 'shop product page, logged in', [BUYER_NAME, P.img]);
    await submit(b, 'button[data-add="h-img"]');
    await submit(b, '#checkout');
    await submit(b, '#use-alipay-address');
    await b.waitForSelector('#address-submit');
    await check(b, 'sandbox address picker', [ADDRESS_NAME, P.single]);
    // The page that posts the address back to the shop submits itself: held there once to be checked.
    // (A 204 answer to a navigation leaves the browser on the page it was on.)
    const held = new Promise<void>((resolve) => void b.route(`${shop}/alipay/address-return`, (route) => route.fulfill({ status: 204 }).then(resolve)));
    await b.click('#address-submit');
    await held;
    expect(b.url()).toBe(`${sandbox}/address/select`);
    await check(b, 'sandbox address return (the form that submits itself)');
    const carried = await b.evaluate<string[]>(`[...document.querySelectorAll('#return-form input')].map((i) => i.value)`);
    // The address travels as XML in a field (protocol.md §12.12): escaped there, as XML text is.
    const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
    expect(carried.join('\n')).toContain(`<fullname>${xml(ADDRESS_NAME)}</fullname>`);
    await b.unroute(`${shop}/alipay/address-return`);
    await Promise.all([b.waitForURL(`${shop}/checkout?address=alipay`), b.evaluate(`document.getElementById('return-form').submit()`)]);
    await check(b, 'shop /checkout with the Alipay address', [BUYER_NAME, P.img]);
    expect(await b.inputValue('input[name="receive_name"]')).toBe(ADDRESS_NAME);
    expect(await b.inputValue('input[name="address"]')).toBe(P.single);
    await screenshot(b, `hostile-${store}-shop-checkout-alipay-address`);

    // --- The seller admin: ship with hostile logistics, refund with a hostile reason -------------------
    const admin = await open();
    await admin.goto(`${shop}/admin`);
    await check(admin, 'shop /admin/login', [P.title]);
    await admin.fill('input[name="password"]', ADMIN_PASSWORD);
    await submit(admin, '#admin-login');
    await check(admin, 'shop /admin', [P.script, P.img]);
    await admin.goto(`${shop}/admin/orders/${cartOrderNo}`);
    await admin.fill('input[name="logistics_name"]', P.style);
    await admin.fill('input[name="invoice_no"]', 'SF2026120300001');
    planted += 1;
    await submit(admin, '#ship');
    await check(admin, 'shop /admin/orders/:no shipped', [P.svg, P.textarea, P.style]);
    await admin.goto(`${shop}/admin/orders/${directOrderNo}`);
    await check(admin, 'shop /admin/orders/:no (direct payment)', [P.title]);
    await admin.fill('input[name="amount"]', '0.01');
    await admin.fill('input[name="reason"]', REFUND_REASON);
    planted += 1;
    await submit(admin, '#refund');
    // The seller confirms the batch at the sandbox: its login, then the batch page.
    if (await admin.$('#login')) {
      await check(admin, 'sandbox seller login (refund batch)');
      await admin.fill('#login', PARTNER);
      await admin.fill('#password', KEY);
      await submit(admin, '#login-submit');
    }
    await admin.waitForURL(/\/seller\/refund-batches\//);
    await check(admin, 'sandbox /seller/refund-batches/:no', [REFUND_REASON]);
    await admin.goto(`${shop}/admin/notifications`);
    await check(admin, 'shop /admin/notifications', [P.title]);

    // --- Signed merchant requests straight to the sandbox ------------------------------------------------
    // Its show_url and return_url are http URLs whose paths would close the attribute they land in.
    const showUrl = 'http://127.0.0.1:9/show"><svg/onload=alert(17)>';
    const returnUrl = "http://127.0.0.1:9/return'\"><svg/onload=alert(18)>";
    const escrow = escrowParams({
      subject: P.scriptEnd,
      body: `${P.style}${P.template}`,
      receive_name: P.textarea,
      receive_address: `${P.rtl}${P.single}`,
      show_url: showUrl,
      return_url: returnUrl,
    });
    const escrowNo = await openTrade(sandbox, escrow);
    const bankPay = directPayParams({ subject: P.iframe, body: LONG, paymethod: 'bankPay', defaultbank: 'ICBCB2C' });
    const bankNo = await openTrade(sandbox, bankPay);
    planted += 8;
    const c = await open();
    await c.goto(`${sandbox}/cashier/${escrowNo}`);
    await check(c, 'sandbox cashier login (merchant request)', [P.scriptEnd, P.style, P.template]);
    expect(await c.getAttribute('#order-subject a', 'href')).toBe(showUrl);
    // A login refused: the page shows again with what was typed.
    await c.fill('#login', P.svg);
    await c.fill('#password', 'wrong');
    await submit(c, '#login-submit');
    await check(c, 'sandbox cashier login refused', [P.scriptEnd]);
    expect(await c.inputValue('#login')).toBe(P.svg);
    await cashierLogin(c);
    await check(c, 'sandbox cashier confirm (merchant consignee)', [P.scriptEnd, P.textarea, P.rtl, ADDRESS_NAME]);
    await submit(c, '#confirm-submit');
    await check(c, 'sandbox cashier pay (merchant consignee)', [P.scriptEnd, P.textarea]);
    await c.fill('#pay-password', buyer.payPassword);
    await submit(c, '#pay-submit');
    await check(c, 'sandbox cashier success (merchant request)', [P.scriptEnd]);
    expect(await c.getAttribute('#return-link', 'href')).toMatch(/^http:\/\/127\.0\.0\.1:9\/return'"><svg\/onload=alert\(18\)>\?/);
    // Closed at once, by address: the page goes back to the return_url (nobody there) by itself after 5 s.
    await c.goto(`${sandbox}${await c.getAttribute('#close-page', 'href')}`);
    await check(c, 'sandbox cashier closed');
    await c.goto(`${sandbox}/cashier/${bankNo}`);
    await cashierLogin(c);
    await c.goto(`${sandbox}/cashier/${bankNo}/bank?bank=ICBCB2C`);
    await check(c, 'sandbox bank page', [P.iframe]);
    // The buyer with too little money: the refusal page shows the order.
    const poor = SEED_BUYERS[1]!;
    const refusedNo = await openTrade(sandbox, directPayParams({ subject: P.template, body: P.rtl }));
    planted += 2;
    await c.goto(`${sandbox}/cashier/${refusedNo}`);
    await cashierLogin(c, poor);
    await c.fill('#pay-password', poor.payPassword);
    await submit(c, '#pay-submit');
    await c.waitForSelector('#refusal');
    await check(c, 'sandbox cashier balance refusal', [P.template, P.rtl]);

    // The 调试错误 page: a show_url that is script, an unknown service, a forged sign, each echoed.
    for (const [label, params, shown] of [
      ['show_url', signRequest(directPayParams({ subject: P.img, show_url: P.jsUrl })), [P.jsUrl]],
      ['return_url', signRequest(directPayParams({ subject: P.img, return_url: P.jsUrl })), [P.jsUrl]],
      ['service', signRequest(directPayParams({ service: P.svg })), [P.svg]],
      ['sign', { ...signRequest(directPayParams({ subject: P.title, body: P.script })), sign: '0'.repeat(32) }, [P.title, P.script]],
    ] as const) {
      await c.goto(`${sandbox}${gatewayPath(params)}`);
      await c.waitForSelector('#error-code');
      await check(c, `sandbox 调试错误 (${label})`, [...shown]);
    }
    planted += 4;
    await screenshot(c, `hostile-${store}-sandbox-error-page`);

    // --- The consoles ------------------------------------------------------------------------------
    const shipped = escrowParams({ subject: LONG });
    const shippedNo = await openTrade(sandbox, shipped);
    await stack.api('POST', '/pay', { partner: PARTNER, out_trade_no: shipped.out_trade_no, buyer: buyer.login });
    planted += 1;
    const d = await open();
    await d.goto(`${sandbox}/buyer`);
    await check(d, 'sandbox /buyer login');
    await d.fill('#login', buyer.login);
    await d.fill('#password', buyer.loginPassword);
    await submit(d, '#login-submit');
    await check(d, 'sandbox /buyer', [BUYER_NAME, P.scriptEnd, P.script, P.img]);
    await d.fill(`#trade-${escrowNo} form[data-action="REFUND"] input[name="reason"]`, P.svg);
    planted += 1;
    await submit(d, `#trade-${escrowNo} form[data-action="REFUND"] button`);
    await check(d, 'sandbox /buyer after the refund request', [P.svg]);
    // A refund the console refuses (the amount is not one): the refusal shown on the console.
    await d.fill(`#trade-${cartTradeNo} form[data-action="REFUND"] input[name="amount"]`, P.img);
    await d.fill(`#trade-${cartTradeNo} form[data-action="REFUND"] input[name="reason"]`, P.script);
    planted += 2;
    await submit(d, `#trade-${cartTradeNo} form[data-action="REFUND"] button`);
    await check(d, 'sandbox /buyer refusal', [P.img]);
    await screenshot(d, `hostile-${store}-sandbox-buyer-console`);
    const e = await open();
    await e.goto(`${sandbox}/seller`);
    await check(e, 'sandbox /seller login');
    await e.fill('#login', P.single);
    await e.fill('#password', 'wrong');
    await submit(e, '#login-submit');
    await check(e, 'sandbox /seller login refused');
    expect(await e.inputValue('#login')).toBe(P.single);
    await e.fill('#login', PARTNER);
    await e.fill('#password', KEY);
    await submit(e, '#login-submit');
    await e.fill(`#trade-${shippedNo} form[data-action="SEND_GOODS"] input[name="logistics_name"]`, P.title);
    await e.fill(`#trade-${shippedNo} form[data-action="SEND_GOODS"] input[name="invoice_no"]`, P.img);
    planted += 2;
    await submit(e, `#trade-${shippedNo} form[data-action="SEND_GOODS"] button`);
    await check(e, 'sandbox /seller', [P.script, P.scriptEnd, LONG, P.svg, P.textarea, P.style, P.title, P.img]);

    // --- The dashboard, its lists, a trade's page, the delivery log -----------------------------------------
    const f = await open();
    await f.goto(`${sandbox}/`);
    await check(f, 'sandbox dashboard', [BUYER_NAME, P.iframe]);
    // The live view: a trade opened while the page is shown comes in through its script.
    const updated = await f.getAttribute('html', 'data-live-updated');
    const live = directPayParams({ subject: LIVE_SUBJECT });
    await openTrade(sandbox, live);
    planted += 1;
    await f.waitForFunction(
      `document.documentElement.getAttribute('data-live-updated') !== ${JSON.stringify(updated)} && document.body.textContent.includes(${JSON.stringify(LIVE_SUBJECT)})`,
    );
    await check(f, 'sandbox dashboard, live update', [LIVE_SUBJECT]);
    await screenshot(f, `hostile-${store}-sandbox-dashboard`);
    await f.goto(`${sandbox}/trades`);
    await check(f, 'sandbox /trades', [P.scriptEnd, P.iframe, LIVE_SUBJECT]);
    await f.goto(`${sandbox}/trades?out_trade_no=${encodeURIComponent(P.svg)}`);
    await check(f, 'sandbox /trades filtered by a hostile out_trade_no');
    expect(await f.inputValue('input[name="out_trade_no"]')).toBe(P.svg);
    await f.goto(`${sandbox}/trades/${escrowNo}`);
    await check(f, 'sandbox /trades/:no', [P.scriptEnd, returnUrl]);
    await f.goto(`${sandbox}/trades/${cartTradeNo}`);
    await check(f, 'sandbox /trades/:no (the shop order)', [P.script]);
    // A dashboard control: the buyer asks for a refund with a hostile reason.
    await f.fill('form[data-action="REFUND"] input[name="amount"]', '0.01');
    await f.fill('form[data-action="REFUND"] input[name="reason"]', P.iframe);
    planted += 1;
    await submit(f, 'form[data-action="REFUND"] button');
    await check(f, 'sandbox /trades/:no after a control', [P.script]);
    await e.reload();
    await check(e, 'sandbox /seller with the refund asked from the dashboard', [P.iframe]);
    await f.goto(`${sandbox}/notifications`);
    await check(f, 'sandbox /notifications');
    const notes = await stack.api<{ id: number }[]>('GET', `/notifications?partner=${PARTNER}&out_trade_no=${encodeURIComponent(cartOrderNo)}`);
    await f.goto(`${sandbox}/notifications/${notes[0]!.id}`);
    await check(f, 'sandbox /notifications/:id', [P.script]);
    await f.goto(`${sandbox}/trades/${encodeURIComponent(P.svg)}`);
    await check(f, 'sandbox dashboard refused', [P.svg]);
    await f.goto(`${sandbox}/etao`);
    await check(f, 'sandbox /etao');
    // Past the browser's own URL check, as a script or another client would send it.
    await f.evaluate(`document.querySelector('form[action="/etao"]').noValidate = true`);
    await f.selectOption('select[name="partner"]', PARTNER);
    await f.fill('input[name="return_url"]', P.jsUrl);
    await f.fill('input[name="target_url"]', P.svg);
    planted += 2;
    expect(await submit(f, '#etao-go')).toBe(400);
    await check(f, 'sandbox /etao refused', [P.svg]);
    expect(await f.inputValue('input[name="return_url"]')).toBe(P.jsUrl);

    report(`hostile-names ${store}: ${visited.length} pages visited, ${planted} hostile values planted, dialogs ${dialogs.length}, executed ${executed.length}`);
    expect(dialogs).toEqual([]);
    expect(executed).toEqual([]);
  });
});
