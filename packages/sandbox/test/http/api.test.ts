import { verifySign } from 'alipay-legacy/protocol';
import { afterEach, expect, it } from 'vitest';
import { forEachDialect } from '../helpers/dialects.js';
import { SEED_BUYERS } from '../../src/seed.js';
import { KEY, PARTNER, directPayParams, escrowParams, gatewayGet, queryOf } from '../helpers/gateway-client.js';
import { openSandbox, recordingFetch, stateOf, type TestSandbox } from '../helpers/sandbox-fixture.js';

const buyer = SEED_BUYERS[0]!;

let sb: TestSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function api(s: TestSandbox, method: string, path: string, body?: unknown) {
  const res = await s.app.request(`/sandbox/api${path}`, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & Array<Record<string, unknown>> };
}

forEachDialect('the test-helper API', (dialect) => {
  it('pays a direct-pay order like the cashier and answers the signed return_url', async () => {
    sb = await openSandbox(dialect);
    const params = directPayParams({ total_fee: '1.00' });
    await gatewayGet(sb.app, params);
    const { status, body } = await api(sb, 'POST', '/pay', { partner: PARTNER, out_trade_no: params.out_trade_no, buyer: buyer.login });
    expect(status).toBe(200);
    expect(body.trade_status).toBe('TRADE_FINISHED');
    const ret = queryOf(body.return_url as string);
    expect(ret.trade_no).toBe(body.trade_no);
    expect(verifySign(ret, ret.sign, { key: KEY }).valid).toBe(true);
  });

  it('pays an escrow order with the chosen logistics and the buyer’s first address, so WAIT_BUYER_PAY is notified first', async () => {
    const merchant = recordingFetch();
    sb = await openSandbox(dialect, { fetch: merchant.fetch });
    const params = escrowParams();
    await gatewayGet(sb.app, params);
    const paid = await api(sb, 'POST', '/pay', { partner: PARTNER, out_trade_no: params.out_trade_no, buyer: buyer.userId, logistics: 1 });
    expect(paid.body.trade_status).toBe('WAIT_SELLER_SEND_GOODS');
    await sb.deps.dispatcher.runDue();
    const list = (await api(sb, 'GET', `/notifications?out_trade_no=${params.out_trade_no}`)).body;
    expect(list.map((n) => (n.params as Record<string, string>).trade_status)).toEqual(['WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS']);
    expect((list[0]!.params as Record<string, string>).logistics_type).toBe('POST');
    expect((list[0]!.params as Record<string, string>).receive_address).toContain('世纪大道');
    expect((list[0]!.attempts as unknown[]).length).toBe(1);
    expect(merchant.deliveries).toHaveLength(2);
  });

  it('refuses a buyer with too little balance and leaves the escrow order as it was (one transaction)', async () => {
    sb = await openSandbox(dialect);
    const params = escrowParams();
    await gatewayGet(sb.app, params);
    const before = await stateOf(sb.deps);
    const res = await api(sb, 'POST', '/pay', { partner: PARTNER, out_trade_no: params.out_trade_no, buyer: 'poor@sandbox.test', logistics: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('BALANCE_NOT_ENOUGH');
    expect(await stateOf(sb.deps)).toBe(before);
  });

  it('walks the escrow lifecycle by API: ship, refund request, refuse, new request, agree with goods, goods returned, confirm', async () => {
    sb = await openSandbox(dialect);
    const params = escrowParams();
    await gatewayGet(sb.app, params);
    const { body } = await api(sb, 'POST', '/pay', { partner: PARTNER, out_trade_no: params.out_trade_no, buyer: buyer.login });
    const t = `/trades/${body.trade_no}`;
    expect((await api(sb, 'POST', `${t}/ship`, { logistics_name: 'EMS', invoice_no: 'E1' })).body.trade_status).toBe('WAIT_BUYER_CONFIRM_GOODS');
    expect((await api(sb, 'POST', `${t}/refund`, { return_goods: true, reason: '尺码不合适' })).body.refund_status).toBe('WAIT_SELLER_AGREE');
    expect((await api(sb, 'POST', `${t}/refund/refuse`)).body.refund_status).toBe('SELLER_REFUSE_BUYER');
    expect((await api(sb, 'POST', `${t}/refund`, { return_goods: true })).body.refund_status).toBe('WAIT_SELLER_AGREE');
    expect((await api(sb, 'POST', `${t}/refund/agree`)).body.refund_status).toBe('WAIT_BUYER_RETURN_GOODS');
    expect((await api(sb, 'POST', `${t}/refund/goods-returned`, { logistics_name: '顺丰' })).body.refund_status).toBe('WAIT_SELLER_CONFIRM_GOODS');
    const done = (await api(sb, 'POST', `${t}/refund/confirm-goods`)).body;
    expect(done).toMatchObject({ refund_status: 'REFUND_SUCCESS', trade_status: 'TRADE_CLOSED' });
    const detail = (await api(sb, 'GET', t)).body;
    expect((detail.trade as Record<string, unknown>).trade_no).toBe(body.trade_no);
    expect((detail.events as unknown[]).length).toBeGreaterThanOrEqual(8);
  });

  it('confirms receipt and closes by API', async () => {
    sb = await openSandbox(dialect);
    const escrow = escrowParams();
    await gatewayGet(sb.app, escrow);
    const { body } = await api(sb, 'POST', '/pay', { partner: PARTNER, out_trade_no: escrow.out_trade_no, buyer: buyer.login });
    await api(sb, 'POST', `/trades/${body.trade_no}/ship`, {});
    expect((await api(sb, 'POST', `/trades/${body.trade_no}/confirm-receipt`)).body.trade_status).toBe('TRADE_FINISHED');

    const unpaid = directPayParams();
    const res = await gatewayGet(sb.app, unpaid);
    const tradeNo = res.headers.get('location')!.split('/').pop();
    expect((await api(sb, 'POST', `/trades/${tradeNo}/close`)).body.trade_status).toBe('TRADE_CLOSED');
  });

  it('lists trades by out_trade_no', async () => {
    sb = await openSandbox(dialect);
    const params = directPayParams({ subject: '查询我' });
    await gatewayGet(sb.app, params);
    await gatewayGet(sb.app, directPayParams());
    const list = (await api(sb, 'GET', `/trades?out_trade_no=${params.out_trade_no}`)).body;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ out_trade_no: params.out_trade_no, subject: '查询我', total_fee: '12.34', trade_status: 'WAIT_BUYER_PAY' });
  });

  it('advances the clock and answers after the due retries ran', async () => {
    let calls = 0;
    const merchant = recordingFetch(() => new Response(++calls === 1 ? 'fail' : 'success'));
    sb = await openSandbox(dialect, { fetch: merchant.fetch });
    const params = directPayParams();
    await gatewayGet(sb.app, params);
    await api(sb, 'POST', '/pay', { partner: PARTNER, out_trade_no: params.out_trade_no, buyer: buyer.login });
    await sb.deps.dispatcher.runDue();
    expect(merchant.deliveries).toHaveLength(1);
    const before = sb.deps.clock.now();
    const advanced = await api(sb, 'POST', '/clock/advance', { seconds: 120 });
    expect(advanced.status).toBe(200);
    expect(advanced.body.now as number).toBeGreaterThanOrEqual(before + 120_000);
    expect(merchant.deliveries).toHaveLength(2);
    const [n] = (await api(sb, 'GET', `/notifications?out_trade_no=${params.out_trade_no}`)).body;
    expect(n!.state).toBe('acknowledged');
    expect((n!.attempts as Array<{ response_body: string }>).map((a) => a.response_body)).toEqual(['fail', 'success']);
  });

  it('replays a notification with a new delivery', async () => {
    const merchant = recordingFetch();
    sb = await openSandbox(dialect, { fetch: merchant.fetch });
    const params = directPayParams();
    await gatewayGet(sb.app, params);
    await api(sb, 'POST', '/pay', { partner: PARTNER, out_trade_no: params.out_trade_no, buyer: buyer.login });
    await sb.deps.dispatcher.runDue();
    const [n] = (await api(sb, 'GET', `/notifications?out_trade_no=${params.out_trade_no}`)).body;
    const replay = await api(sb, 'POST', `/notifications/${n!.id}/replay`);
    expect(replay.status).toBe(200);
    expect(replay.body.replay_of).toBe(n!.id);
    await sb.deps.dispatcher.runDue();
    expect(merchant.deliveries).toHaveLength(2);
  });

  it('sets a fault for a merchant', async () => {
    sb = await openSandbox(dialect);
    const res = await api(sb, 'POST', '/faults', { partner: PARTNER, kind: 'drop', count: 2 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'drop', count: 2 });
    expect((await api(sb, 'GET', `/faults/${PARTNER}`)).body).toMatchObject({ kind: 'drop' });
  });

  it('shows the merchants’ credentials and switches settings', async () => {
    sb = await openSandbox(dialect);
    const [merchant] = (await api(sb, 'GET', '/merchants')).body;
    expect(merchant).toMatchObject({ partner: PARTNER, key: KEY, seller_id: PARTNER, anti_phishing: false });
    expect(merchant!.rsa_private_key).toContain('PRIVATE KEY');
    expect(merchant!.alipay_public_key).toContain('PUBLIC KEY');
    const updated = await api(sb, 'POST', `/merchants/${PARTNER}/settings`, { anti_phishing: true, ip_check: true });
    expect(updated.body).toMatchObject({ anti_phishing: true, ip_check: true });
  });

  it('lists the buyers with their addresses', async () => {
    sb = await openSandbox(dialect);
    const buyers = (await api(sb, 'GET', '/buyers')).body;
    const first = buyers.find((b) => b.login === buyer.login)!;
    expect(first.balance).toBe('100000.00');
    expect((first.addresses as Array<Record<string, string>>)[0]).toMatchObject({ prov: '上海', area: '浦东新区' });
  });

  it('issues a quick-login token without a browser', async () => {
    sb = await openSandbox(dialect);
    const res = await api(sb, 'POST', '/quick-login', { partner: PARTNER, buyer: buyer.login });
    expect(res.status).toBe(200);
    expect(res.body.token as string).toHaveLength(40);
    expect(res.body.user_id).toBe(buyer.userId);
  });

  it.each([
    ['bad JSON', 'POST', '/pay', '{"partner":', 400, 'ILLEGAL_ARGUMENT'],
    ['a JSON array', 'POST', '/pay', '[]', 400, 'ILLEGAL_ARGUMENT'],
    ['a missing field', 'POST', '/pay', { partner: PARTNER, buyer: 'buyer@sandbox.test' }, 400, 'ILLEGAL_ARGUMENT'],
    ['an unknown order', 'POST', '/pay', { partner: PARTNER, out_trade_no: 'nope', buyer: 'buyer@sandbox.test' }, 404, 'TRADE_NOT_EXIST'],
    ['an unknown buyer', 'POST', '/pay', { partner: PARTNER, out_trade_no: 'nope', buyer: 'who@nowhere.test' }, 404, 'NOT_FOUND'],
    ['a bad method', 'POST', '/pay', { partner: PARTNER, out_trade_no: 'x', buyer: 'buyer@sandbox.test', method: 'cash' }, 400, 'ILLEGAL_ARGUMENT'],
    ['a negative clock step', 'POST', '/clock/advance', { seconds: -5 }, 400, 'ILLEGAL_ARGUMENT'],
    ['seconds as text', 'POST', '/clock/advance', { seconds: '60' }, 400, 'ILLEGAL_ARGUMENT'],
    ['an unknown trade', 'GET', '/trades/2015010100000000000000000000', undefined, 404, 'NOT_FOUND'],
    ['an action on an unknown trade', 'POST', '/trades/1/ship', {}, 404, 'NOT_FOUND'],
    ['a bad notification id', 'POST', '/notifications/abc/replay', undefined, 400, 'ILLEGAL_ARGUMENT'],
    ['an unknown fault kind', 'POST', '/faults', { partner: PARTNER, kind: 'explode' }, 400, 'ILLEGAL_ARGUMENT'],
    // An unknown partner is ILLEGAL_PARTNER everywhere, as on the gateway (protocol.md §7.2).
    ['a fault for an unknown partner', 'POST', '/faults', { partner: '2088000000000000', kind: 'drop' }, 404, 'ILLEGAL_PARTNER'],
    ['the fault of an unknown partner', 'GET', '/faults/2088000000000000', undefined, 404, 'ILLEGAL_PARTNER'],
    ['the settings of an unknown partner', 'POST', '/merchants/2088000000000000/settings', { anti_phishing: true }, 404, 'ILLEGAL_PARTNER'],
    ['a token for an unknown partner', 'POST', '/quick-login', { partner: '2088000000000000', buyer: 'buyer@sandbox.test' }, 404, 'ILLEGAL_PARTNER'],
    ['a payment for an unknown partner', 'POST', '/pay', { partner: '2088000000000000', out_trade_no: 'x', buyer: 'buyer@sandbox.test' }, 404, 'ILLEGAL_PARTNER'],
    ['an unknown route', 'GET', '/nothing-here', undefined, 404, 'NOT_FOUND'],
    ['a trade number with a NUL', 'GET', '/trades/a%00b', undefined, 404, 'NOT_FOUND'],
    ['a buyer with a NUL', 'POST', '/pay', { partner: PARTNER, out_trade_no: 'x', buyer: 'buyer\u0000@sandbox.test' }, 404, 'NOT_FOUND'],
    ['an order number with a NUL', 'POST', '/pay', { partner: PARTNER, out_trade_no: 'x\u0000', buyer: 'buyer@sandbox.test' }, 404, 'TRADE_NOT_EXIST'],
  ])('answers %s with a JSON 4xx', async (_what, method, path, body, status, code) => {
    sb = await openSandbox(dialect);
    const res = await api(sb, method, path, body);
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(code);
    expect(typeof res.body.message).toBe('string');
  });

  it('finds nothing for a filter with a NUL, and pages answer TRADE_NOT_EXIST', async () => {
    sb = await openSandbox(dialect);
    expect((await api(sb, 'GET', '/trades?out_trade_no=%00')).body).toEqual([]);
    expect((await api(sb, 'GET', '/notifications?trade_no=%00')).body).toEqual([]);
    const page = await sb.app.request('/cashier/%00');
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/alipay-error-code" content="TRADE_NOT_EXIST"/);
  });

  it('refuses free text with a NUL (a refund reason) and changes nothing', async () => {
    sb = await openSandbox(dialect);
    const params = escrowParams();
    await gatewayGet(sb.app, params);
    const { body } = await api(sb, 'POST', '/pay', { partner: PARTNER, out_trade_no: params.out_trade_no, buyer: buyer.login });
    const before = await stateOf(sb.deps);
    const res = await api(sb, 'POST', `/trades/${body.trade_no}/refund`, { reason: 'a\u0000b' });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('ILLEGAL_ARGUMENT');
    expect(await stateOf(sb.deps)).toBe(before);
  });

  it('answers a state refusal with 409', async () => {
    sb = await openSandbox(dialect);
    const params = directPayParams();
    const res = await gatewayGet(sb.app, params);
    const tradeNo = res.headers.get('location')!.split('/').pop();
    const ship = await api(sb, 'POST', `/trades/${tradeNo}/ship`, {});
    expect(ship.status).toBe(409);
    expect(ship.body.error).toBe('TRADE_STATUS_NOT_AVAILD');
  });
});

forEachDialect('the notification list', (dialect) => {
  it('pages past its limit with after: no notification is out of reach', async () => {
    sb = await openSandbox(dialect);
    for (let i = 0; i < 3; i++) {
      const params = directPayParams();
      await gatewayGet(sb.app, params);
      await api(sb, 'POST', '/pay', { partner: PARTNER, out_trade_no: params.out_trade_no, buyer: buyer.login });
    }
    const all = (await api(sb, 'GET', `/notifications?partner=${PARTNER}`)).body.map((n) => n.id as number);
    expect(all).toHaveLength(3);
    const first = (await api(sb, 'GET', `/notifications?partner=${PARTNER}&limit=2`)).body.map((n) => n.id as number);
    expect(first).toEqual(all.slice(0, 2));
    const rest = (await api(sb, 'GET', `/notifications?partner=${PARTNER}&limit=2&after=${first[1]}`)).body.map((n) => n.id as number);
    expect(rest).toEqual(all.slice(2));
    for (const query of ['limit=0', 'limit=501', 'limit=x', 'after=-1', 'after=1.5']) {
      const refused = await api(sb, 'GET', `/notifications?${query}`);
      expect(refused.status, query).toBe(400);
      expect(refused.body.error, query).toBe('ILLEGAL_ARGUMENT');
    }
  });
});

forEachDialect('the dashboard', (dialect) => {
  it('lists the merchant’s credentials, the buyers, trades and notifications', async () => {
    sb = await openSandbox(dialect);
    const params = directPayParams({ subject: '仪表盘商品' });
    await gatewayGet(sb.app, params);
    await api(sb, 'POST', '/pay', { partner: PARTNER, out_trade_no: params.out_trade_no, buyer: buyer.login });
    await sb.deps.dispatcher.runDue();
    const html = await (await sb.app.request('/')).text();
    expect(html).toContain(PARTNER);
    expect(html).toContain(KEY);
    expect(html).toContain(buyer.login);
    expect(html).toContain('仪表盘商品');
    expect(html).toContain('trade_status_sync TRADE_FINISHED');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:/);
  });
});
