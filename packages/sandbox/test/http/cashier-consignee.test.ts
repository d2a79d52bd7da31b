import { afterEach, expect, it } from 'vitest';
import { forEachDialect } from '../helpers/dialects.js';
import { SEED_BUYERS } from '../../src/seed.js';
import { getTrade, listAddresses, listNotifications } from '../../src/services/index.js';
import { CookieJar, cashierLoggedIn, PARTNER, escrowParams, gatewayGet, getPage, postForm } from '../helpers/gateway-client.js';
import { openSandbox, type TestSandbox } from '../helpers/sandbox-fixture.js';

const buyer = SEED_BUYERS[0]!;
const CONSIGNEE = { receive_name: '李四', receive_address: '北京市海淀区中关村大街1号', receive_zip: '100080', receive_phone: '010-88158090', receive_mobile: '13900000000' };

let sb: TestSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

/** The receive_* fields of the trade's notifications, in order, once delivered. */
async function notifiedConsignees(s: TestSandbox, tradeNo: string) {
  await s.deps.dispatcher.runDue();
  const list = (await listNotifications(s.deps, { tradeNo })).sort((a, b) => a.sequence - b.sequence);
  return list.map((n) => [n.params.trade_status, n.params.receive_name, n.params.receive_address, n.params.receive_zip, n.params.receive_phone, n.params.receive_mobile]);
}

forEachDialect('the merchant’s consignee (receive_*)', (dialect) => {
  it('is the first address choice at the cashier, pre-selected, and confirmed it is what the trade and its notifications carry', async () => {
    sb = await openSandbox(dialect);
    const jar = new CookieJar();
    const tradeNo = await cashierLoggedIn(sb.app, escrowParams(CONSIGNEE), jar);
    const page = await (await getPage(sb.app, `/cashier/${tradeNo}`, jar)).text();
    expect(page).toMatch(/<input type="radio" name="address" value="merchant" checked[^>]*>商户提供的收货地址：李四 北京市海淀区中关村大街1号 （100080） 010-88158090 13900000000/);
    const [first] = await listAddresses(sb.deps, buyer.userId);
    expect(page).toMatch(new RegExp(`<input type="radio" name="address" value="${first!.id}"/?>`));
    expect(page.indexOf('name="address" value="merchant"')).toBeLessThan(page.indexOf(`name="address" value="${first!.id}"`));

    expect((await postForm(sb.app, `/cashier/${tradeNo}/confirm`, { logistics: '0', address: 'merchant' }, jar)).status).toBe(303);
    expect(await getTrade(sb.deps, tradeNo)).toMatchObject({ addressId: null, receiveName: '李四', receiveAddress: '北京市海淀区中关村大街1号', receiveZip: '100080', receivePhone: '010-88158090', receiveMobile: '13900000000' });
    const payPage = await (await getPage(sb.app, `/cashier/${tradeNo}`, jar)).text();
    expect(payPage).toContain('收货地址：北京市海淀区中关村大街1号，李四');
    expect((await postForm(sb.app, `/cashier/${tradeNo}/pay`, { pay_password: buyer.payPassword }, jar)).status).toBe(303);

    const row = ['李四', '北京市海淀区中关村大街1号', '100080', '010-88158090', '13900000000'];
    expect(await notifiedConsignees(sb, tradeNo)).toEqual([
      ['WAIT_BUYER_PAY', ...row],
      ['WAIT_SELLER_SEND_GOODS', ...row],
    ]);
  });

  it('gives way to a saved address the buyer chooses instead', async () => {
    sb = await openSandbox(dialect);
    const jar = new CookieJar();
    const tradeNo = await cashierLoggedIn(sb.app, escrowParams(CONSIGNEE), jar);
    const [first] = await listAddresses(sb.deps, buyer.userId);
    expect((await postForm(sb.app, `/cashier/${tradeNo}/confirm`, { logistics: '0', address: String(first!.id) }, jar)).status).toBe(303);
    expect(await getTrade(sb.deps, tradeNo)).toMatchObject({ addressId: first!.id, receiveName: first!.fullname, receiveZip: first!.post });
  });

  it('is not offered when the request filled none in; "merchant" is then refused and nothing changes', async () => {
    sb = await openSandbox(dialect);
    const jar = new CookieJar();
    const tradeNo = await cashierLoggedIn(sb.app, escrowParams(), jar);
    expect(await (await getPage(sb.app, `/cashier/${tradeNo}`, jar)).text()).not.toContain('商户提供的收货地址');
    const refused = await postForm(sb.app, `/cashier/${tradeNo}/confirm`, { logistics: '0', address: 'merchant' }, jar);
    expect(refused.status).toBe(200);
    expect(await refused.text()).toContain('请选择收货地址');
    expect((await getTrade(sb.deps, tradeNo))!.logisticsIndex).toBeNull();
  });

  it('is used by POST /sandbox/api/pay when the request filled it in', async () => {
    sb = await openSandbox(dialect);
    const params = escrowParams(CONSIGNEE);
    expect((await gatewayGet(sb.app, params)).status).toBe(303);
    const res = await sb.app.request('/sandbox/api/pay', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ partner: PARTNER, out_trade_no: params.out_trade_no, buyer: buyer.login, logistics: 1 }),
    });
    expect(res.status).toBe(200);
    const { trade_no: tradeNo } = (await res.json()) as { trade_no: string };
    expect(await getTrade(sb.deps, tradeNo)).toMatchObject({ addressId: null, logisticsIndex: 1, receiveName: '李四', receiveAddress: '北京市海淀区中关村大街1号' });
    const statuses = await notifiedConsignees(sb, tradeNo);
    expect(statuses.map((s) => s[0])).toEqual(['WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS']);
    for (const s of statuses) expect(s.slice(1)).toEqual(['李四', '北京市海淀区中关村大街1号', '100080', '010-88158090', '13900000000']);
    const view = (await (await sb.app.request(`/sandbox/api/trades/${tradeNo}`)).json()) as { trade: Record<string, unknown> };
    expect(view.trade).toMatchObject({ receive_name: '李四', receive_address: '北京市海淀区中关村大街1号', receive_zip: '100080' });
  });
});
