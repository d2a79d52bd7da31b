import { verifySign } from 'alipay-legacy/protocol';
import { afterEach, expect, it } from 'vitest';
import { forEachDialect } from '../helpers/dialects.js';
import { SEED_BUYERS } from '../../src/seed.js';
import { getBuyer, getTrade, listNotifications, tradeEvents } from '../../src/services/index.js';
import { CookieJar, apiPost, cashierLoggedIn, KEY, PARTNER, directPayParams, gatewayGet, getPage, postForm, queryOf } from '../helpers/gateway-client.js';
import { openSandbox, type TestSandbox } from '../helpers/sandbox-fixture.js';

const buyer = SEED_BUYERS[0]!;

let sb: TestSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

forEachDialect('bank payment (paymethod=bankPay)', (dialect) => {
  it('offers the merchant’s defaultbank, pays on the bank’s page without touching the balance, then succeeds as a balance payment does', async () => {
    sb = await openSandbox(dialect);
    const jar = new CookieJar();
    const tradeNo = await cashierLoggedIn(sb.app, directPayParams({ total_fee: '23.45', paymethod: 'bankPay', defaultbank: 'ICBCB2C' }), jar);
    const before = (await getBuyer(sb.deps, buyer.userId))!.balanceFen;

    const payPage = await (await getPage(sb.app, `/cashier/${tradeNo}`, jar)).text();
    expect(payPage).toContain('网上银行付款');
    expect(payPage).toMatch(/<input type="radio" name="bank" value="ICBCB2C" checked[^>]*>中国工商银行（ICBCB2C）/);
    expect(payPage).toMatch(/<input type="radio" name="bank" value="CMB" required[^>]*>招商银行（CMB）/);
    expect(payPage).not.toContain('id="bank-unknown"');

    const bankPage = await getPage(sb.app, `/cashier/${tradeNo}/bank?bank=ICBCB2C`, jar);
    expect(bankPage.status).toBe(200);
    const bankHtml = await bankPage.text();
    expect(bankHtml).toContain('中国工商银行 网上银行');
    expect(bankHtml).toContain('23.45');
    expect(bankHtml).toMatch(/id="bank-pay"[^>]*>付款</);
    expect(bankHtml).toMatch(new RegExp(`<form method="get" action="/cashier/${tradeNo}" class="inline"><button type="submit" id="bank-cancel"[^>]*>\\s*取消`));

    // Cancel goes back to the cashier, which offers the choice again; nothing changed.
    expect(await (await getPage(sb.app, `/cashier/${tradeNo}`, jar)).text()).toContain('去网上银行付款');
    expect((await getTrade(sb.deps, tradeNo))!.tradeStatus).toBe('WAIT_BUYER_PAY');

    const paid = await postForm(sb.app, `/cashier/${tradeNo}/bank/pay`, { bank: 'ICBCB2C' }, jar);
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toMatch(new RegExp(`^/cashier/${tradeNo}/success\\?s=`));
    const success = await (await getPage(sb.app, paid.headers.get('location')!, jar)).text();
    expect(success).toContain('您已成功付款 23.45 元！');
    const returnUrl = /id="return-link" href="([^"]+)"/.exec(success)![1]!.replace(/&amp;/g, '&');
    const params = queryOf(returnUrl);
    expect(params).toMatchObject({ trade_no: tradeNo, trade_status: 'TRADE_FINISHED', total_fee: '23.45', buyer_id: buyer.userId });
    expect(verifySign(params, params.sign, { key: KEY }).valid).toBe(true);

    // decisions.md §27: the bank pays; the buyer's balance is as it was.
    expect((await getBuyer(sb.deps, buyer.userId))!.balanceFen).toBe(before);
    const paidEvent = (await tradeEvents(sb.deps, tradeNo)).find((e) => e.kind === 'paid');
    expect(paidEvent?.detail).toMatchObject({ bank: 'ICBCB2C' });
    expect(await (await sb.app.request(`/trades/${tradeNo}`)).text()).toContain('网上银行 bank: ICBCB2C');

    await sb.deps.dispatcher.runDue();
    const [notification] = await listNotifications(sb.deps, { tradeNo });
    expect(notification!.params).toMatchObject({ trade_status: 'TRADE_FINISHED', total_fee: '23.45', buyer_id: buyer.userId });
    // The notification is a balance payment's: no out_channel_* (decisions.md §27).
    expect(Object.keys(notification!.params).filter((k) => k.startsWith('out_channel'))).toEqual([]);
  });

  it('lets the buyer choose a bank when the merchant’s defaultbank is unknown, and sends an unknown bank back to the cashier', async () => {
    sb = await openSandbox(dialect);
    const jar = new CookieJar();
    const tradeNo = await cashierLoggedIn(sb.app, directPayParams({ paymethod: 'bankPay', defaultbank: 'NOSUCHBANK' }), jar);
    const payPage = await (await getPage(sb.app, `/cashier/${tradeNo}`, jar)).text();
    expect(payPage).toContain('商户指定的银行（NOSUCHBANK）暂不支持');
    expect(payPage).not.toMatch(/name="bank" value="[^"]+" checked/);

    const unknown = await getPage(sb.app, `/cashier/${tradeNo}/bank?bank=NOSUCHBANK`, jar);
    expect(unknown.status).toBe(303);
    expect(unknown.headers.get('location')).toBe(`/cashier/${tradeNo}`);
    const refused = await postForm(sb.app, `/cashier/${tradeNo}/bank/pay`, { bank: 'NOSUCHBANK' }, jar);
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe(`/cashier/${tradeNo}`);
    expect((await getTrade(sb.deps, tradeNo))!.tradeStatus).toBe('WAIT_BUYER_PAY');

    const chosen = await getPage(sb.app, `/cashier/${tradeNo}/bank?bank=CMB`, jar);
    expect(await chosen.text()).toContain('招商银行 网上银行');
  });

  it('offers no bank for a request without paymethod=bankPay, and its bank page goes back to the cashier', async () => {
    sb = await openSandbox(dialect);
    const jar = new CookieJar();
    const tradeNo = await cashierLoggedIn(sb.app, directPayParams(), jar);
    expect(await (await getPage(sb.app, `/cashier/${tradeNo}`, jar)).text()).not.toContain('网上银行付款');
    const page = await getPage(sb.app, `/cashier/${tradeNo}/bank?bank=ICBCB2C`, jar);
    expect(page.status).toBe(303);
    const paid = await postForm(sb.app, `/cashier/${tradeNo}/bank/pay`, { bank: 'ICBCB2C' }, jar);
    expect(paid.status).toBe(303);
    expect((await getTrade(sb.deps, tradeNo))!.tradeStatus).toBe('WAIT_BUYER_PAY');
  });

  it('pays by bank through POST /sandbox/api/pay, refusing an unknown bank with 400 and changing nothing', async () => {
    sb = await openSandbox(dialect);
    const params = directPayParams({ total_fee: '7.00' });
    expect((await gatewayGet(sb.app, params)).status).toBe(303);
    const before = (await getBuyer(sb.deps, buyer.userId))!.balanceFen;
    const base = { partner: PARTNER, out_trade_no: params.out_trade_no, buyer: buyer.login };

    const unknown = await apiPost(sb.app, '/pay', { ...base, method: 'bank', bank: 'NOPE' });
    expect(unknown.status).toBe(400);
    const refusal = (await unknown.json()) as { error: string; message: string };
    expect(refusal.error).toBe('ILLEGAL_ARGUMENT');
    expect(refusal.message).toContain('unknown bank code "NOPE"');
    expect(refusal.message).toContain('ICBCB2C');
    expect((await apiPost(sb.app, '/pay', { ...base, method: 'bank' })).status).toBe(400);
    expect((await apiPost(sb.app, '/pay', { ...base, bank: 'CCB' })).status).toBe(400);
    const [trade] = (await (await sb.app.request(`/sandbox/api/trades?out_trade_no=${params.out_trade_no}`)).json()) as { trade_status: string }[];
    expect(trade!.trade_status).toBe('WAIT_BUYER_PAY');

    const ok = await apiPost(sb.app, '/pay', { ...base, method: 'bank', bank: 'CCB' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ trade_status: 'TRADE_FINISHED' });
    expect((await getBuyer(sb.deps, buyer.userId))!.balanceFen).toBe(before);
  });
});
