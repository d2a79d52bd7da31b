import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatAlipayTime } from 'alipay-legacy';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/create-sandbox.js';
import { SEED_BUYERS } from '../../src/seed.js';
import { getFault, getTrade, listNotifications, searchTrades, type NotificationWithAttempts } from '../../src/services/index.js';
import { MerchantServer } from '../helpers/merchant-server.js';
import { launchChromium, newPage as openPage, openTrade as openTradeAt, screenshot } from '../helpers/browser.js';
import { serveSandbox, type ServedSandbox } from '../helpers/served-sandbox.js';
import { PARTNER, directPayParams, escrowParams } from '../helpers/gateway-client.js';

/**
 * The dashboard in Debian's Chromium (headless), over a real socket, with the dispatcher running:
 * every control (clock, faults, recover, resend, the trade page's actions and check form), the
 * lists' filters and pages, live updates without a reload, a cross-site form refused, and every
 * page at 375 pixels wide without horizontal scrolling. Screenshots go to test/browser/artifacts/.
 */

describe('the dashboard in a real browser', () => {
  let served: ServedSandbox;
  let sandbox: Sandbox;
  let base: string;
  let good: MerchantServer;
  let failing: MerchantServer;
  let browser: Browser;

  beforeAll(async () => {
    // The real retry schedule: a failed delivery waits 2 minutes, so only the clock moves it on.
    served = await serveSandbox({ db: ':memory:', deliveryTimeoutMs: 5000 });
    ({ sandbox, base } = served);
    good = await new MerchantServer('success').start();
    failing = await new MerchantServer('error-500').start();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await served?.close();
    await good?.stop();
    await failing?.stop();
  });

  const newPage = (width = 1200): Promise<Page> => openPage(browser, width, 900);

  const shot = screenshot;

  const openTrade = (params: Record<string, string>): Promise<string> => openTradeAt(base, params);

  async function pay(outTradeNo: string, buyer = SEED_BUYERS[0]!.login): Promise<void> {
    const res = await fetch(`${base}/sandbox/api/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ partner: PARTNER, out_trade_no: outTradeNo, buyer }) });
    expect(res.status).toBe(200);
  }

  /** Waits until the trade's notifications satisfy `done` (state, not time). */
  async function notificationsOf(tradeNo: string, done: (list: NotificationWithAttempts[]) => boolean): Promise<NotificationWithAttempts[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const list = await listNotifications(sandbox.deps, { tradeNo });
      if (done(list)) return list;
      if (Date.now() > deadline) throw new Error(`the notifications of ${tradeNo} never got there: ${JSON.stringify(list.map((n) => [n.id, n.state, n.attempts]))}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Submits a form of the page and waits for the page it leads to. */
  async function submit(page: Page, button: string): Promise<number> {
    const [response] = await Promise.all([page.waitForNavigation(), page.click(button)]);
    return response?.status() ?? 0;
  }

  it('shows new trades and delivery attempts on the overview without a reload', async () => {
    const page = await newPage();
    await page.goto(base);
    await page.waitForSelector('html[data-live="on"]');
    await page.evaluate('window.notReloaded = true');

    const params = directPayParams({ subject: '实时更新的订单', notify_url: good.url });
    const tradeNo = await openTrade(params);
    await page.waitForSelector(`#live-recent tr[data-trade-no="${tradeNo}"] [data-status="WAIT_BUYER_PAY"]`);
    await pay(params.out_trade_no!);
    await page.waitForSelector(`#live-recent tr[data-trade-no="${tradeNo}"] [data-status="TRADE_FINISHED"]`);
    const [n] = await notificationsOf(tradeNo, (l) => l[0]?.state === 'acknowledged');
    await page.waitForSelector(`#notifications-table tr[data-notification-id="${n!.id}"][data-delivery="acknowledged"]`);
    expect(await page.evaluate('window.notReloaded')).toBe(true);
    expect(await page.textContent(`#notifications-table tr[data-notification-id="${n!.id}"]`)).toContain('HTTP 200 "success"');
    await shot(page, 'dashboard');
    await page.context().close();
  });

  it("takes the buyer's and the seller's next actions on the trade page, then resends a notification", async () => {
    const params = escrowParams({ subject: '仪表盘担保交易', notify_url: good.url });
    const tradeNo = await openTrade(params);
    const page = await newPage();
    await page.goto(`${base}/trades/${tradeNo}`);
    expect(await page.textContent('#request-params')).toContain('logistics_type_1');
    expect(await page.textContent('#live-actions')).toContain('MODIFY_TRADE');
    expect(await page.$$eval('#live-actions form.trade-action', (forms) => forms.map((f) => f.getAttribute('data-action')))).toEqual(['PAY', 'CLOSE_TRADE']);

    const family = SEED_BUYERS[3]!;
    await page.selectOption('form[data-action="PAY"] select[name="buyer"]', family.login);
    expect(await submit(page, 'form[data-action="PAY"] button')).toBe(200);
    expect(await page.textContent('#result')).toContain('付款 PAY');
    expect(await page.getAttribute('#live-summary .trade-status', 'data-status')).toBe('WAIT_SELLER_SEND_GOODS');
    expect((await getTrade(sandbox.deps, tradeNo))?.buyerEmail).toBe(family.email);

    await page.fill('form[data-action="SEND_GOODS"] input[name="logistics_name"]', '顺丰速运');
    await page.fill('form[data-action="SEND_GOODS"] input[name="invoice_no"]', 'SF-DASH-1');
    await submit(page, 'form[data-action="SEND_GOODS"] button');
    expect(await page.getAttribute('#live-summary .trade-status', 'data-status')).toBe('WAIT_BUYER_CONFIRM_GOODS');

    await submit(page, 'form[data-action="REFUND"] button');
    expect(await page.getAttribute('#live-summary .refund-status', 'data-status')).toBe('WAIT_SELLER_AGREE');
    // The refund steps the rules accept now, and no longer the others.
    expect(await page.$$eval('#live-actions form.trade-action', (forms) => forms.map((f) => f.getAttribute('data-action')))).toEqual(['AGREE_REFUND', 'REFUSE_REFUND']);
    await submit(page, 'form[data-action="AGREE_REFUND"] button');
    expect(await page.getAttribute('#live-summary .trade-status', 'data-status')).toBe('TRADE_CLOSED');
    expect(await page.getAttribute('#live-summary .refund-status', 'data-status')).toBe('REFUND_SUCCESS');

    // Every event beside the notification it caused, each acknowledged (shown live).
    const kinds = ['created', 'order_confirmed', 'paid', 'shipped', 'refund_requested', 'refund_agreed'];
    expect(await page.$$eval('#live-timeline li.event', (items) => items.map((i) => i.getAttribute('data-kind')))).toEqual(kinds);
    await notificationsOf(tradeNo, (l) => l.length === 5 && l.every((n) => n.state === 'acknowledged'));
    await page.waitForFunction(`document.querySelectorAll('#live-timeline .notification[data-delivery="acknowledged"]').length === 5`);
    expect(await page.textContent('#live-timeline li.event[data-kind="created"]')).toContain('no notification');
    await shot(page, 'trade');

    const first = await page.getAttribute('#live-timeline li.event[data-kind="paid"] .notification', 'data-notification-id');
    await submit(page, `#notification-${first} form button.resend`);
    expect(await page.textContent('#result')).toContain('已重发');
    const cards = await page.$$eval('#live-timeline li.event[data-kind="paid"] .notification', (els) => els.map((el) => el.textContent ?? ''));
    expect(cards).toHaveLength(2);
    expect(cards[1]).toContain(`replay of #${first}`);
    await page.context().close();
  });

  it("checks the merchant's endpoints from the trade page and shows the report", async () => {
    const params = directPayParams({ notify_url: good.url });
    const tradeNo = await openTrade(params);
    await pay(params.out_trade_no!);
    const page = await newPage();
    await page.goto(`${base}/trades/${tradeNo}`);
    expect(await page.inputValue('#check-form input[name="notify_url"]')).toBe(good.url);
    const before = good.received.length;
    await submit(page, '#check-submit');
    const cases = await page.$$eval('#result .check-cases tr[data-case]', (rows) => rows.map((r) => [r.getAttribute('data-case'), r.getAttribute('data-outcome')]));
    expect(cases.length).toBeGreaterThanOrEqual(9);
    // This merchant answers `success` to everything, forged signs included: the report says so.
    expect(cases).toContainEqual(['genuine', 'passed']);
    expect(cases).toContainEqual(['forged-sign', 'failed']);
    expect(good.received.length).toBeGreaterThan(before);
    await page.context().close();
  });

  it('advances the clock by a preset and by a typed duration, and shows what fell due', async () => {
    const params = directPayParams({ notify_url: failing.url });
    const tradeNo = await openTrade(params);
    await pay(params.out_trade_no!);
    const [n] = await notificationsOf(tradeNo, (l) => l[0]?.state === 'retrying');
    expect(n?.attempts).toBe(1);

    const page = await newPage();
    await page.goto(base);
    await submit(page, '#clock button[data-seconds="120"]');
    expect(await page.textContent('#result')).toContain('clock advanced');
    expect(await page.textContent('#result .ran')).toContain(`#${n!.id}`);
    expect(await page.textContent('#result .ran')).toContain('第 2 次');

    await page.fill('#advance-duration', '10m');
    await submit(page, '#advance-submit');
    expect(await page.textContent('#result .ran')).toContain('第 3 次');
    expect((await listNotifications(sandbox.deps, { tradeNo }))[0]?.attempts).toBe(3);

    const offset = sandbox.deps.clock.offsetMs();
    await page.fill('#advance-duration', 'soon');
    expect(await submit(page, '#advance-submit')).toBe(400);
    expect(await page.textContent('#refusal-message')).toContain('not a duration');
    expect(sandbox.deps.clock.offsetMs()).toBe(offset);
    await page.context().close();
  });

  it("sets a merchant's fault, shows what is left of it, and clears it", async () => {
    const page = await newPage();
    await page.goto(base);
    const row = `#merchants tr[data-partner="${PARTNER}"]`;
    await page.selectOption(`${row} select[name="kind"]`, 'delay');
    await page.fill(`${row} input[name="count"]`, '2');
    await page.fill(`${row} input[name="seconds"]`, '5m');
    await submit(page, `${row} button.fault-set`);
    expect(await page.textContent('#result')).toContain('delay 5 min');
    expect(await page.textContent(`${row} .fault-now`)).toContain('剩余 2 次');
    expect(await getFault(sandbox.deps, PARTNER)).toEqual({ kind: 'delay', seconds: 300, count: 2 });

    await submit(page, `${row} button.fault-clear`);
    expect(await page.textContent(`${row} .fault-now`)).toContain('none');
    expect(await getFault(sandbox.deps, PARTNER)).toEqual({ kind: 'none' });
    await page.context().close();
  });

  it('recovers every given-up notification since a time, each linked to its original', async () => {
    failing.answer('error-500');
    const params = directPayParams({ notify_url: failing.url });
    const tradeNo = await openTrade(params);
    await pay(params.out_trade_no!);
    const [original] = await notificationsOf(tradeNo, (l) => l[0]?.state === 'retrying');
    // Past the whole schedule (decisions.md §7): every attempt fails, the notification is given up.
    await sandbox.deps.clock.advance(2 * 86_400);
    expect((await listNotifications(sandbox.deps, { tradeNo }))[0]?.state).toBe('given_up');
    failing.answer('success');

    const page = await newPage();
    await page.goto(`${base}/notifications?delivery=given_up`);
    expect(await page.$$eval('#notifications-table tr[data-notification-id]', (rows) => rows.every((r) => r.getAttribute('data-delivery') === 'given_up'))).toBe(true);
    expect(await page.$(`#notifications-table tr[data-notification-id="${original!.id}"]`)).not.toBeNull();

    await page.goto(base);
    await page.fill('#recover-since', formatAlipayTime(original!.createdAt - 60_000));
    await page.selectOption('#recover-partner', PARTNER);
    await submit(page, '#recover-submit');
    const result = await page.textContent('#result');
    expect(result).toMatch(/recovered [1-9]\d* given-up notifications/);
    expect(result).toContain(`replay of #${original!.id}`);
    const list = await notificationsOf(tradeNo, (l) => l.length === 2 && l[1]!.state === 'acknowledged');
    expect(list[1]?.replayOf).toBe(original!.id);

    await page.goto(`${base}/notifications`);
    expect(await page.textContent(`#notifications-table tr[data-notification-id="${list[1]!.id}"] .replay-of`)).toContain(`#${original!.id}`);
    await page.click(`#notifications-table tr[data-notification-id="${list[1]!.id}"] .replay-of a`);
    await page.waitForURL(`${base}/notifications/${original!.id}`);
    await page.context().close();
  });

  it('filters the lists and pages through them', async () => {
    // More trades than a page holds.
    const opened: string[] = [];
    for (let i = 0; i < 26; i++) opened.push(await openTrade(directPayParams({ notify_url: good.url })));
    const page = await newPage();
    await page.goto(`${base}/trades`);
    const total = (await searchTrades(sandbox.deps, {}, { page: 1, perPage: 1 })).total;
    expect(await page.textContent('.pager')).toContain(`共 ${total}`);
    const firstPage = await page.$$eval('#trades-table tr[data-trade-no]', (rows) => rows.map((r) => r.getAttribute('data-trade-no')));
    expect(firstPage).toHaveLength(25);
    expect(firstPage[0]).toBe(opened.at(-1));
    await Promise.all([page.waitForNavigation(), page.click('.pager a.next')]);
    expect(page.url()).toContain('page=2');
    const secondPage = await page.$$eval('#trades-table tr[data-trade-no]', (rows) => rows.map((r) => r.getAttribute('data-trade-no')));
    expect(secondPage.length).toBe(Math.min(25, total - 25));
    expect(secondPage.filter((t) => firstPage.includes(t))).toEqual([]);
    await Promise.all([page.waitForNavigation(), page.click('.pager a.prev')]);
    expect(page.url()).not.toContain('page=2');

    await page.selectOption('#filters select[name="status"]', 'WAIT_BUYER_PAY');
    await page.selectOption('#filters select[name="partner"]', PARTNER);
    await submit(page, '#filter-submit');
    expect(page.url()).toContain('status=WAIT_BUYER_PAY');
    const statuses = await page.$$eval('#trades-table .trade-status', (els) => els.map((e) => e.getAttribute('data-status')));
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['WAIT_BUYER_PAY']));

    const outTradeNo = (await getTrade(sandbox.deps, opened[3]!))!.outTradeNo;
    await page.goto(`${base}/trades`);
    await page.fill('#filters input[name="out_trade_no"]', outTradeNo);
    await submit(page, '#filter-submit');
    expect(await page.$$eval('#trades-table tr[data-trade-no]', (rows) => rows.map((r) => r.getAttribute('data-trade-no')))).toEqual([opened[3]]);

    await page.goto(`${base}/notifications`);
    await page.selectOption('#filters select[name="delivery"]', 'acknowledged');
    await page.selectOption('#filters select[name="status"]', 'TRADE_FINISHED');
    await submit(page, '#filter-submit');
    const rows = await page.$$eval('#notifications-table tr[data-notification-id]', (els) => els.map((e) => [e.getAttribute('data-delivery'), e.textContent ?? '']));
    expect(rows.length).toBeGreaterThan(0);
    for (const [delivery, text] of rows) {
      expect(delivery).toBe('acknowledged');
      expect(text).toContain('TRADE_FINISHED');
    }
    // The trade number links to its page.
    await page.click('#notifications-table tr[data-notification-id] a.trade-link');
    await page.waitForURL(/\/trades\/\d+$/);
    await page.context().close();
  });

  it('refuses a control posted from another site and changes nothing', async () => {
    const evil: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(
        `<!doctype html><html><body><form id="f" method="post" action="${base}/clock/advance"><input name="duration" value="30d"></form>` +
          `<script>document.getElementById('f').submit()</script></body></html>`,
      );
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    try {
      const offset = sandbox.deps.clock.offsetMs();
      const page = await newPage();
      const refused = page.waitForResponse((r) => r.url() === `${base}/clock/advance`);
      await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
      expect((await refused).status()).toBe(403);
      await page.waitForSelector('#refusal-code');
      expect(await page.textContent('#refusal-code')).toBe('FORBIDDEN');
      expect(sandbox.deps.clock.offsetMs()).toBe(offset);
      await page.context().close();
    } finally {
      await new Promise<void>((resolve) => evil.close(() => resolve()));
    }
  });

  it('fits every dashboard page on a 375-pixel-wide screen (and on a narrow desktop)', async () => {
    const params = escrowParams({ notify_url: good.url, subject: '一个很长很长的商品名称，用来检查在窄屏上是否会自动换行而不出现横向滚动条' });
    const tradeNo = await openTrade(params);
    await pay(params.out_trade_no!);
    const [n] = await notificationsOf(tradeNo, (l) => l.length === 2 && l.every((x) => x.state === 'acknowledged'));
    const pages: Record<string, string> = {
      overview: '/',
      trades: '/trades',
      notifications: '/notifications',
      trade: `/trades/${tradeNo}`,
      notification: `/notifications/${n!.id}`,
      refused: '/trades?status=NOT_A_STATUS',
    };
    // 375: a phone; 1201: the narrowest screen that still gets the lists as tables.
    for (const width of [375, 1201]) {
      const page = await newPage(width);
      for (const [name, path] of Object.entries(pages)) {
        await page.goto(`${base}${path}`);
        // Open the attempts' bodies too: the widest text on the page.
        await page.$$eval('details', (all) => all.forEach((d) => d.setAttribute('open', '')));
        const seen = await page.evaluate<{ scroll: number; view: number }>('({ scroll: document.documentElement.scrollWidth, view: window.innerWidth })');
        expect({ name, ...seen }).toEqual({ name, scroll: width, view: width });
        if (width === 375) await shot(page, `${name}-375`);
      }
      await page.context().close();
    }
  });
});
