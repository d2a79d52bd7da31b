import { formatAlipayTime } from 'alipay-legacy';
import { afterEach, expect, it } from 'vitest';
import { forEachDialect } from '../helpers/dialects.js';
import { SEED_BUYERS } from '../../src/seed.js';
import { getTrade, listNotifications, listRefundBatches, updateMerchantSettings } from '../../src/services/index.js';
import { CookieJar, KEY, PARTNER, directPayParams, escrowParams, gatewayGet, getPage, pageErrorCode, postForm } from '../helpers/gateway-client.js';
import { openSandbox, type TestSandbox } from '../helpers/sandbox-fixture.js';

const buyer = SEED_BUYERS[0]!;

let sb: TestSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function paidTrade(s: TestSandbox, params: Record<string, string>): Promise<string> {
  await gatewayGet(s.app, params);
  const res = await s.app.request('/sandbox/api/pay', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ partner: PARTNER, out_trade_no: params.out_trade_no, buyer: buyer.login }),
  });
  return ((await res.json()) as { trade_no: string }).trade_no;
}

async function sellerLogin(s: TestSandbox, jar: CookieJar, next?: string) {
  const res = await postForm(s.app, '/seller/login', { login: PARTNER, password: KEY, ...(next ? { next } : {}) }, jar);
  expect(res.status).toBe(303);
  return res;
}

forEachDialect('refund_fastpay_by_platform_pwd', (dialect) => {
  it('waits for the seller to confirm on the sandbox page, then sends batch_refund_notify and the trade’s refund notification', async () => {
    sb = await openSandbox(dialect);
    await updateMerchantSettings(sb.deps, PARTNER, { advancedInstant: true });
    const tradeNo = await paidTrade(sb, directPayParams({ total_fee: '20.00' }));
    const today = formatAlipayTime(sb.deps.clock.now());
    const batchNo = `${today.slice(0, 10).replace(/-/g, '')}${String(Date.now()).slice(-6)}`;
    const res = await gatewayGet(sb.app, {
      service: 'refund_fastpay_by_platform_pwd',
      seller_user_id: PARTNER,
      refund_date: today,
      batch_no: batchNo,
      batch_num: '1',
      detail_data: `${tradeNo}^5.00^协商退款`,
      notify_url: 'http://127.0.0.1:9/refund-notify',
    });
    expect(res.status).toBe(303);
    const page = res.headers.get('location')!;
    expect(page).toBe(`/seller/refund-batches/${batchNo}`);

    const jar = new CookieJar();
    expect(await (await getPage(sb.app, page, jar)).text()).toContain('交易安全校验码');
    const back = await sellerLogin(sb, jar, page);
    expect(back.headers.get('location')).toBe(page);
    const confirmPage = await (await getPage(sb.app, page, jar)).text();
    expect(confirmPage).toContain('确认批量退款');
    expect(confirmPage).toContain('协商退款');

    expect((await postForm(sb.app, `${page}/confirm`, {}, jar)).status).toBe(303);
    expect(await (await getPage(sb.app, page, jar)).text()).toContain('批量退款已处理');

    await sb.deps.dispatcher.runDue();
    const all = await listNotifications(sb.deps, {});
    const batch = all.find((n) => n.notifyType === 'batch_refund_notify');
    expect(batch?.params).toMatchObject({ batch_no: batchNo, success_num: '1' });
    expect(batch?.params.result_details).toBe(`${tradeNo}^5.00^SUCCESS`);
    const sync = all.filter((n) => n.tradeNo === tradeNo && n.params.refund_status === 'REFUND_SUCCESS');
    expect(sync).toHaveLength(1);
    expect((await getTrade(sb.deps, tradeNo))!.refundedFen).toBe(500);
  });
});

forEachDialect('refund_fastpay_by_platform_pwd refused', (dialect) => {
  it('refuses a batch_num that does not count the items (the SDK\'s rule) and records no batch', async () => {
    sb = await openSandbox(dialect);
    const today = formatAlipayTime(sb.deps.clock.now());
    const res = await gatewayGet(sb.app, {
      service: 'refund_fastpay_by_platform_pwd',
      seller_user_id: PARTNER,
      refund_date: today,
      batch_no: `${today.slice(0, 10).replace(/-/g, '')}901`,
      batch_num: '2',
      detail_data: '2015051900001000980052833539^5.00^协商退款',
    });
    expect(pageErrorCode(await res.text())).toBe('ILLEGAL_ARGUMENT');
    expect(await listRefundBatches(sb.deps)).toEqual([]);
  });
});

forEachDialect('escrow refunds through the consoles (protocol.md §12.8)', (dialect) => {
  it('goes WAIT_SELLER_AGREE → REFUND_SUCCESS and closes the trade on a full refund without returned goods', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await paidTrade(sb, escrowParams());
    const buyerJar = new CookieJar();
    await postForm(sb.app, '/buyer/login', { login: buyer.login, password: buyer.loginPassword }, buyerJar);
    const trade = (await getTrade(sb.deps, tradeNo))!;
    const asked = await postForm(sb.app, `/buyer/trades/${tradeNo}/refund`, { amount: (trade.totalFeeFen / 100).toFixed(2), reason: '不想要了' }, buyerJar);
    expect(asked.status).toBe(303);
    expect((await getTrade(sb.deps, tradeNo))!.refundStatus).toBe('WAIT_SELLER_AGREE');

    const sellerJar = new CookieJar();
    await sellerLogin(sb, sellerJar);
    const sellerPage = await (await getPage(sb.app, '/seller', sellerJar)).text();
    expect(sellerPage).toContain('同意退款');
    expect((await postForm(sb.app, `/seller/trades/${tradeNo}/refund/agree`, {}, sellerJar)).status).toBe(303);
    const refunded = (await getTrade(sb.deps, tradeNo))!;
    expect(refunded.refundStatus).toBe('REFUND_SUCCESS');
    expect(refunded.tradeStatus).toBe('TRADE_CLOSED');
  });

  it('lets the seller ship from the console', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await paidTrade(sb, escrowParams());
    const jar = new CookieJar();
    await sellerLogin(sb, jar);
    expect((await postForm(sb.app, `/seller/trades/${tradeNo}/ship`, { logistics_name: '顺丰速运', invoice_no: 'SF1' }, jar)).status).toBe(303);
    const trade = (await getTrade(sb.deps, tradeNo))!;
    expect(trade.tradeStatus).toBe('WAIT_BUYER_CONFIRM_GOODS');
    expect(trade.logisticsName).toBe('顺丰速运');
  });

  /** The console row of a trade: the forms the seller (or buyer) is offered for it. */
  function rowOf(page: string, tradeNo: string): string {
    const start = page.indexOf(`id="trade-${tradeNo}"`);
    expect(start).toBeGreaterThan(-1);
    const end = page.indexOf('</tr>', start);
    return page.slice(start, end);
  }

  async function api(s: TestSandbox, path: string, body: unknown = {}) {
    const res = await s.app.request(`/sandbox/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBe(200);
  }

  it('offers the ship button again after the seller refused the refund (SELLER_REFUSE_BUYER), and shipping works', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await paidTrade(sb, escrowParams());
    await api(sb, `/trades/${tradeNo}/refund`, { amount: '1.00' });
    await api(sb, `/trades/${tradeNo}/refund/refuse`);
    expect((await getTrade(sb.deps, tradeNo))!).toMatchObject({ tradeStatus: 'WAIT_SELLER_SEND_GOODS', refundStatus: 'SELLER_REFUSE_BUYER' });
    const jar = new CookieJar();
    await sellerLogin(sb, jar);
    const row = rowOf(await (await getPage(sb.app, '/seller', jar)).text(), tradeNo);
    expect(row).toContain(`action="/seller/trades/${tradeNo}/ship"`);
    expect((await postForm(sb.app, `/seller/trades/${tradeNo}/ship`, { logistics_name: '顺丰速运' }, jar)).status).toBe(303);
    expect((await getTrade(sb.deps, tradeNo))!.tradeStatus).toBe('WAIT_BUYER_CONFIRM_GOODS');
  });

  it('offers the ship button after a partial refund, and the buyer may ask for another refund', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await paidTrade(sb, escrowParams());
    await api(sb, `/trades/${tradeNo}/refund`, { amount: '1.00' });
    await api(sb, `/trades/${tradeNo}/refund/agree`);
    expect((await getTrade(sb.deps, tradeNo))!).toMatchObject({ tradeStatus: 'WAIT_SELLER_SEND_GOODS', refundStatus: 'REFUND_SUCCESS', refundedFen: 100 });
    const jar = new CookieJar();
    await sellerLogin(sb, jar);
    const row = rowOf(await (await getPage(sb.app, '/seller', jar)).text(), tradeNo);
    expect(row).toContain(`action="/seller/trades/${tradeNo}/ship"`);
    expect(row).not.toContain('/refund/agree');

    const buyerJar = new CookieJar();
    await postForm(sb.app, '/buyer/login', { login: buyer.login, password: buyer.loginPassword }, buyerJar);
    expect(rowOf(await (await getPage(sb.app, '/buyer', buyerJar)).text(), tradeNo)).toContain(`action="/buyer/trades/${tradeNo}/refund"`);
  });

  it('hides the ship button while a refund waits for the seller, and offers agree and refuse instead', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await paidTrade(sb, escrowParams());
    await api(sb, `/trades/${tradeNo}/refund`, { amount: '1.00' });
    const jar = new CookieJar();
    await sellerLogin(sb, jar);
    const row = rowOf(await (await getPage(sb.app, '/seller', jar)).text(), tradeNo);
    expect(row).not.toContain('/ship"');
    expect(row).toContain(`action="/seller/trades/${tradeNo}/refund/agree"`);
    expect(row).toContain(`action="/seller/trades/${tradeNo}/refund/refuse"`);
  });

  it('refuses a seller login with the wrong key', async () => {
    sb = await openSandbox(dialect);
    const res = await postForm(sb.app, '/seller/login', { login: PARTNER, password: '0'.repeat(32) }, new CookieJar());
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('账户或交易安全校验码不正确');
  });
});
