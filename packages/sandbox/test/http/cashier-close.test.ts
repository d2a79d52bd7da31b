import { afterEach, expect, it } from 'vitest';
import { forEachDialect } from '../helpers/dialects.js';
import { SEED_BUYERS } from '../../src/seed.js';
import { getFault, listNotifications, tradeEvents } from '../../src/services/index.js';
import { CookieJar, apiPost, cashierLoggedIn, PARTNER, directPayParams, gatewayGet, getPage, postForm } from '../helpers/gateway-client.js';
import { openSandbox, type TestSandbox } from '../helpers/sandbox-fixture.js';

const buyer = SEED_BUYERS[0]!;

let sb: TestSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

/** A fresh direct-pay request paid at the cashier; the trade number and the success page's address. */
async function payAtCashier(s: TestSandbox): Promise<{ tradeNo: string; successUrl: string; jar: CookieJar }> {
  const jar = new CookieJar();
  const tradeNo = await cashierLoggedIn(s.app, directPayParams({ total_fee: '3.21' }), jar);
  const paid = await postForm(s.app, `/cashier/${tradeNo}/pay`, { pay_password: buyer.payPassword }, jar);
  expect(paid.status).toBe(303);
  return { tradeNo, successUrl: paid.headers.get('location')!, jar };
}

/** Delivers what is due; the notifications of the trade with their attempts' faults. */
async function delivered(s: TestSandbox, tradeNo: string) {
  await s.deps.dispatcher.runDue();
  return (await listNotifications(s.deps, { tradeNo })).map((n) => ({ status: n.params.trade_status, state: n.state, faults: n.deliveryAttempts.map((a) => a.fault) }));
}

forEachDialect('the buyer closes the page, and skip_return', (dialect) => {
  it('关闭 on the success page closes it without going back to return_url; the notification still goes', async () => {
    sb = await openSandbox(dialect);
    const { tradeNo, successUrl, jar } = await payAtCashier(sb);
    const success = await (await getPage(sb.app, successUrl, jar)).text();
    expect(success).toContain('id="return-link"');
    const close = /id="close-page" href="([^"]+)"/.exec(success);
    expect(close).not.toBeNull();
    expect(success).toMatch(/id="close-page"[^>]*>\s*关闭/);

    const closed = await getPage(sb.app, close![1]!.replace(/&amp;/g, '&'), jar);
    expect(closed.status).toBe(200);
    const html = await closed.text();
    expect(html).toContain('页面已关闭');
    expect(html).not.toContain('http-equiv="refresh"');
    expect(html).not.toContain('/return?');
    expect(await delivered(sb, tradeNo)).toEqual([{ status: 'TRADE_FINISHED', state: 'acknowledged', faults: [null] }]);

    // Without a ticket of this trade's payment, no closed page.
    const forged = await getPage(sb.app, `/cashier/${tradeNo}/closed?s=nope`, jar);
    expect(forged.status).toBe(303);
  });

  it('skip_return makes the next payments’ success pages neither redirect nor link back, counts them, and shows on the trade', async () => {
    sb = await openSandbox(dialect);
    const set = await apiPost(sb.app, '/faults', { partner: PARTNER, kind: 'skip_return', count: 1 });
    expect(set.status).toBe(200);
    expect(await set.json()).toEqual({ kind: 'skip_return', count: 1 });

    // The API's payments are not the buyer's browser: the fault waits for the cashier.
    const byApi = directPayParams();
    await gatewayGet(sb.app, byApi);
    const apiPaid = await apiPost(sb.app, '/pay', { partner: PARTNER, out_trade_no: byApi.out_trade_no, buyer: buyer.login });
    expect(((await apiPaid.json()) as { return_url: string | null }).return_url).toMatch(/^http:\/\/127\.0\.0\.1:9\/return\?/);
    expect(await getFault(sb.deps, PARTNER)).toEqual({ kind: 'skip_return', count: 1 });

    const { tradeNo, successUrl, jar } = await payAtCashier(sb);
    const success = await (await getPage(sb.app, successUrl, jar)).text();
    expect(success).toContain('您已成功付款 3.21 元！');
    expect(success).toContain('已注入故障 skip_return');
    expect(success).not.toContain('http-equiv="refresh"');
    expect(success).not.toContain('id="return-link"');
    expect(success).not.toContain('/return?');
    expect(await getFault(sb.deps, PARTNER)).toEqual({ kind: 'none' });

    // Visible as injected: the payment's event, on the trade's page; the delivery is not touched.
    expect((await tradeEvents(sb.deps, tradeNo)).find((e) => e.kind === 'paid')?.detail).toMatchObject({ fault: 'skip_return' });
    expect(await (await sb.app.request(`/trades/${tradeNo}`)).text()).toContain('注入故障 fault: skip_return');
    expect(await delivered(sb, tradeNo)).toEqual([{ status: 'TRADE_FINISHED', state: 'acknowledged', faults: [null] }]);

    // Its count used up, the next payment goes back as usual.
    const next = await payAtCashier(sb);
    expect(await (await getPage(sb.app, next.successUrl, next.jar)).text()).toContain('id="return-link"');
  });

  it('skip_return until removed acts on every payment at the cashier, and kind none removes it', async () => {
    sb = await openSandbox(dialect);
    expect((await apiPost(sb.app, '/faults', { partner: PARTNER, kind: 'skip_return' })).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const { successUrl, jar } = await payAtCashier(sb);
      expect(await (await getPage(sb.app, successUrl, jar)).text()).toContain('已注入故障 skip_return');
    }
    expect(await getFault(sb.deps, PARTNER)).toEqual({ kind: 'skip_return' });
    expect((await apiPost(sb.app, '/faults', { partner: PARTNER, kind: 'none' })).status).toBe(200);
    const { successUrl, jar } = await payAtCashier(sb);
    expect(await (await getPage(sb.app, successUrl, jar)).text()).toContain('id="return-link"');
  });

  it('POST /sandbox/api/faults takes reorder (with its hold, 300 s by default) and skip_return, and names them when refusing', async () => {
    sb = await openSandbox(dialect);
    expect(await (await apiPost(sb.app, '/faults', { partner: PARTNER, kind: 'reorder', count: 2 })).json()).toEqual({ kind: 'reorder', seconds: 300, count: 2 });
    expect(await (await apiPost(sb.app, '/faults', { partner: PARTNER, kind: 'reorder', seconds: 60 })).json()).toEqual({ kind: 'reorder', seconds: 60 });
    const refused = await apiPost(sb.app, '/faults', { partner: PARTNER, kind: 'shuffle' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toContain('bad_sign, reorder or skip_return');
    expect(await getFault(sb.deps, PARTNER)).toEqual({ kind: 'reorder', seconds: 60 });
  });
});

