import { formatAlipayTime } from 'alipay-legacy';
import { afterEach, expect, it } from 'vitest';
import { forEachDialect } from '../helpers/dialects.js';
import { SEED_BUYERS } from '../../src/seed.js';
import { confirmOrder, getTrade, listAddresses, listRefunds, updateMerchantSettings } from '../../src/services/index.js';
import { CookieJar, apiPost, KEY, PARTNER, directPayParams, escrowParams, gatewayGet, getPage, pageErrorCode, postForm } from '../helpers/gateway-client.js';
import { openSandbox, type TestSandbox } from '../helpers/sandbox-fixture.js';

/**
 * The buyer's and the seller's consoles: a refused action stays on the console with the reason
 * (decisions.md §34), and each trade shows what its next step is decided on.
 */
const buyer = SEED_BUYERS[0]!;

let sb: TestSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function api(s: TestSandbox, path: string, body: unknown = {}) {
  const res = await apiPost(s.app, path, body);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json() as Promise<Record<string, unknown>>;
}

/** An escrow trade paid by the default buyer with logistics group `logistics`; its trade_no. */
async function paidEscrow(s: TestSandbox, logistics = 0): Promise<string> {
  const params = escrowParams();
  await gatewayGet(s.app, params);
  const paid = await api(s, '/pay', { partner: PARTNER, out_trade_no: params.out_trade_no, buyer: buyer.login, logistics });
  return paid.trade_no as string;
}

async function buyerJar(s: TestSandbox): Promise<CookieJar> {
  const jar = new CookieJar();
  expect((await postForm(s.app, '/buyer/login', { login: buyer.login, password: buyer.loginPassword }, jar)).status).toBe(303);
  return jar;
}

async function sellerJar(s: TestSandbox): Promise<CookieJar> {
  const jar = new CookieJar();
  expect((await postForm(s.app, '/seller/login', { login: PARTNER, password: KEY }, jar)).status).toBe(303);
  return jar;
}

/** The console row of a trade. */
function rowOf(page: string, tradeNo: string): string {
  const start = page.indexOf(`id="trade-${tradeNo}"`);
  expect(start).toBeGreaterThan(-1);
  return page.slice(start, page.indexOf('</tr>', start));
}

/** The refusal shown on a console page: its code and text, or undefined. */
function refusalOn(html: string): { code: string; text: string } | undefined {
  const m = /id="refusal" data-code="([^"]+)"[\s\S]*?id="error">([^<]*)</.exec(html);
  return m ? { code: m[1]!, text: m[2]! } : undefined;
}

forEachDialect('console refusals stay on the console', (dialect) => {
  it('a wrong payment password at "confirm receipt" shows the console with the reason and changes nothing', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await paidEscrow(sb);
    await api(sb, `/trades/${tradeNo}/ship`, { logistics_name: '顺丰速运', invoice_no: 'SF1' });
    const jar = await buyerJar(sb);
    const res = await postForm(sb.app, `/buyer/trades/${tradeNo}/confirm-receipt`, { pay_password: '000000' }, jar);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(pageErrorCode(html)).toBeUndefined();
    expect(refusalOn(html)).toEqual({ code: 'WRONG_PAY_PASSWORD', text: expect.stringContaining('支付密码不正确') });
    expect(html).toContain('我的支付宝');
    expect(rowOf(html, tradeNo)).toContain('data-action="CONFIRM_GOODS"');
    expect((await getTrade(sb.deps, tradeNo))!.tradeStatus).toBe('WAIT_BUYER_CONFIRM_GOODS');
  });

  it('a refund above what is left, or not an amount, is refused on the console and records nothing', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await paidEscrow(sb);
    const jar = await buyerJar(sb);
    const tooMuch = await postForm(sb.app, `/buyer/trades/${tradeNo}/refund`, { amount: '9999.00', reason: '太多' }, jar);
    expect(tooMuch.status).toBe(200);
    expect(refusalOn(await tooMuch.text())).toEqual({ code: 'REFUND_AMOUNT_NOT_VALID', text: expect.stringContaining('退款金额不正确') });
    const malformed = await postForm(sb.app, `/buyer/trades/${tradeNo}/refund`, { amount: '1.2.3' }, jar);
    expect(refusalOn(await malformed.text())?.code).toBe('ILLEGAL_FEE_PARAM');
    expect(await listRefunds(sb.deps, tradeNo)).toEqual([]);
    expect((await getTrade(sb.deps, tradeNo))!.refundStatus).toBeNull();
  });

  it("a seller step the rules refuse, and another seller's trade number, are shown on the seller console", async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await paidEscrow(sb);
    const jar = await sellerJar(sb);
    const agree = await postForm(sb.app, `/seller/trades/${tradeNo}/refund/agree`, {}, jar);
    expect(agree.status).toBe(200);
    const html = await agree.text();
    expect(refusalOn(html)).toEqual({ code: 'BAD_STATE', text: expect.stringContaining(`交易 ${tradeNo}`) });
    expect(html).toContain('商家服务');

    const close = await postForm(sb.app, `/seller/trades/${tradeNo}/close`, {}, jar);
    expect(refusalOn(await close.text())?.code).toBe('TRADE_STATUS_NOT_AVAILD');
    const unknown = await postForm(sb.app, '/seller/trades/20260101000000000000000000000/ship', { logistics_name: 'x' }, jar);
    expect(refusalOn(await unknown.text())?.code).toBe('TRADE_NOT_EXIST');
    expect((await getTrade(sb.deps, tradeNo))!.tradeStatus).toBe('WAIT_SELLER_SEND_GOODS');
  });

  it('a refund batch confirmed twice shows its page with the reason, refunded once', async () => {
    sb = await openSandbox(dialect);
    await updateMerchantSettings(sb.deps, PARTNER, { advancedInstant: true });
    const params = directPayParams({ total_fee: '20.00' });
    await gatewayGet(sb.app, params);
    const tradeNo = (await api(sb, '/pay', { partner: PARTNER, out_trade_no: params.out_trade_no, buyer: buyer.login })).trade_no as string;
    const today = formatAlipayTime(sb.deps.clock.now());
    const batchNo = `${today.slice(0, 10).replace(/-/g, '')}${String(Date.now()).slice(-6)}`;
    const opened = await gatewayGet(sb.app, { service: 'refund_fastpay_by_platform_pwd', seller_user_id: PARTNER, refund_date: today, batch_no: batchNo, batch_num: '1', detail_data: `${tradeNo}^5.00^协商退款` });
    const page = opened.headers.get('location')!;
    const jar = await sellerJar(sb);
    expect((await postForm(sb.app, `${page}/confirm`, {}, jar)).status).toBe(303);
    const again = await postForm(sb.app, `${page}/confirm`, {}, jar);
    expect(again.status).toBe(200);
    const html = await again.text();
    expect(refusalOn(html)?.code).toBe('BAD_STATE');
    expect(html).toContain('id="batch-done"');
    expect((await getTrade(sb.deps, tradeNo))!.refundedFen).toBe(500);
  });

  it('shipping twice: the second is refused on the console', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await paidEscrow(sb);
    const jar = await sellerJar(sb);
    expect((await postForm(sb.app, `/seller/trades/${tradeNo}/ship`, { logistics_name: '顺丰速运' }, jar)).status).toBe(303);
    const again = await postForm(sb.app, `/seller/trades/${tradeNo}/ship`, { logistics_name: '圆通' }, jar);
    expect(refusalOn(await again.text())?.code).toBe('TRADE_STATUS_NOT_AVAILD');
    expect((await getTrade(sb.deps, tradeNo))!.logisticsName).toBe('顺丰速运');
  });
});

forEachDialect('what each side of a trade sees on its console', (dialect) => {
  it('the seller sees the refund asked for, the address and the chosen logistics', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await paidEscrow(sb, 1);
    await api(sb, `/trades/${tradeNo}/ship`, { logistics_name: '中国邮政', invoice_no: 'PO123' });
    const jar = await buyerJar(sb);
    const asked = await postForm(sb.app, `/buyer/trades/${tradeNo}/refund`, { amount: '3.00', reason: '外包装破损', return_goods: '1' }, jar);
    expect(asked.status).toBe(303);

    const row = rowOf(await (await getPage(sb.app, '/seller', await sellerJar(sb))).text(), tradeNo);
    expect(row).toContain('class="refund-amount">¥3.00<');
    expect(row).toContain('class="refund-reason">外包装破损<');
    expect(row).toContain('class="refund-goods">需要退货<');
    const address = (await listAddresses(sb.deps, buyer.userId))[0]!;
    expect(row).toContain(`class="receive-name">${address.fullname}<`);
    expect(row).toContain(address.address);
    expect(row).toContain(address.post);
    expect(row).toContain(address.mobilePhone);
    // Group 1 of escrowParams: POST, 2.00, SELLER_PAY.
    expect(row).toContain('平邮（POST），运费 ¥2.00');
    expect(row).toContain('卖家承担运费（SELLER_PAY）');
    expect(row).toContain('data-action="AGREE_REFUND"');
  });

  it('the buyer sees the carrier and the tracking number, and confirms receipt after a partial refund', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await paidEscrow(sb);
    const jar = await buyerJar(sb);
    await api(sb, `/trades/${tradeNo}/ship`, { logistics_name: '顺丰速运', invoice_no: 'SF7788' });
    await api(sb, `/trades/${tradeNo}/refund`, { amount: '1.00' });
    await api(sb, `/trades/${tradeNo}/refund/agree`);
    expect((await getTrade(sb.deps, tradeNo))!).toMatchObject({ tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS', refundStatus: 'REFUND_SUCCESS', refundedFen: 100 });

    const row = rowOf(await (await getPage(sb.app, '/buyer', jar)).text(), tradeNo);
    expect(row).toContain('class="carrier">顺丰速运<');
    expect(row).toContain('class="invoice-no">SF7788<');
    expect(row).toContain('已退款 ¥1.00');
    expect(row).toContain('data-action="CONFIRM_GOODS"');
    expect(row).toContain('data-action="REFUND"');
    const done = await postForm(sb.app, `/buyer/trades/${tradeNo}/confirm-receipt`, { pay_password: buyer.payPassword }, jar);
    expect(done.status).toBe(303);
    expect((await getTrade(sb.deps, tradeNo))!.tradeStatus).toBe('TRADE_FINISHED');
  });

  it('offers PAY, a link to the cashier, for an order the buyer confirmed but did not pay', async () => {
    sb = await openSandbox(dialect);
    const params = escrowParams();
    const location = (await gatewayGet(sb.app, params)).headers.get('location')!;
    const tradeNo = location.split('/').pop()!;
    const address = (await listAddresses(sb.deps, buyer.userId))[0]!;
    await confirmOrder(sb.deps, tradeNo, { buyerId: buyer.userId, logisticsIndex: 0, addressId: address.id });
    const row = rowOf(await (await getPage(sb.app, '/buyer', await buyerJar(sb))).text(), tradeNo);
    expect(row).toContain(`href="/cashier/${tradeNo}" data-action="PAY"`);
  });
});

forEachDialect('every page carries its icon inline', (dialect) => {
  it('the dashboard, the consoles, the cashier and the 调试错误 page link an inline SVG icon', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = (await gatewayGet(sb.app, escrowParams())).headers.get('location')!;
    const jar = new CookieJar();
    for (const path of ['/', '/buyer', '/seller', tradeNo, '/gateway.do?service=nothing']) {
      const html = await (await getPage(sb.app, path, jar)).text();
      expect(html, path).toMatch(/<link rel="icon" href="data:image\/svg\+xml,%3Csvg[^"]+"\/?>/);
    }
  });
});
