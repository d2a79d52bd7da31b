import { afterEach, describe, expect, it } from 'vitest';
import { backPath } from '../../src/routes/control-results.js';
import { SEED_BUYERS } from '../../src/seed.js';
import { getFault, listNotifications } from '../../src/services/index.js';
import { forEachDialect } from '../helpers/dialects.js';
import { CookieJar, PARTNER, directPayParams, escrowParams, gatewayGet, getPage } from '../helpers/gateway-client.js';
import { openSandbox, recordingFetch, stateOf, type TestSandbox } from '../helpers/sandbox-fixture.js';

const OWN = 'http://sandbox.test';
const EVIL = 'http://evil.example';

let sb: TestSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

/** A dashboard form posted as a browser would, from `origin`, with the form token of a page it opened. */
async function post(s: TestSandbox, path: string, fields: Record<string, string>, headers: Record<string, string> = { origin: OWN }) {
  const jar = new CookieJar();
  await getPage(s.app, '/', jar);
  return s.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...jar.header(), ...headers },
    body: new URLSearchParams({ _csrf: jar.csrf ?? '', ...fields }).toString(),
  });
}

/** Posts a control and follows its redirect: the page with the result. */
async function control(s: TestSandbox, path: string, fields: Record<string, string>): Promise<string> {
  const res = await post(s, path, fields);
  expect(res.status).toBe(303);
  const location = res.headers.get('location')!;
  expect(location).toMatch(/[?&]result=[\w-]+#result$/);
  return (await s.app.request(location)).text();
}

async function openTrade(s: TestSandbox, params: Record<string, string>): Promise<string> {
  const res = await gatewayGet(s.app, params);
  return res.headers.get('location')!.split('/').pop()!;
}

async function payApi(s: TestSandbox, outTradeNo: string) {
  const res = await s.app.request('/sandbox/api/pay', { method: 'POST', body: JSON.stringify({ partner: PARTNER, out_trade_no: outTradeNo, buyer: SEED_BUYERS[0]!.login }) });
  expect(res.status).toBe(200);
}

/** A paid direct-pay trade whose merchant answers 500 until the schedule gives up (decisions.md §7). */
async function givenUpTrade(s: TestSandbox): Promise<{ tradeNo: string; id: number }> {
  const params = directPayParams();
  const tradeNo = await openTrade(s, params);
  await payApi(s, params.out_trade_no!);
  await s.deps.clock.advance(2 * 86_400);
  const [n] = await listNotifications(s.deps, { tradeNo });
  expect(n?.state).toBe('given_up');
  return { tradeNo, id: n!.id };
}

forEachDialect('the dashboard pages', (dialect) => {
  it('renders the overview, the lists, a trade and a notification, escaping what merchants send', async () => {
    sb = await openSandbox(dialect);
    const params = directPayParams({ subject: '<img src=x onerror=alert(1)>', body: '"><script>alert(2)</script>' });
    const tradeNo = await openTrade(sb, params);
    await payApi(sb, params.out_trade_no!);
    await sb.deps.dispatcher.runDue();
    const [n] = await listNotifications(sb.deps, { tradeNo });
    for (const path of ['/', '/trades', '/notifications', `/trades/${tradeNo}`, `/notifications/${n!.id}`]) {
      const res = await sb.app.request(path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html, path).not.toContain('<img src=x');
      expect(html, path).not.toContain('<script>alert');
      expect(html, path).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:/);
    }
    const page = await (await sb.app.request(`/trades/${tradeNo}`)).text();
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('trade_status_sync TRADE_FINISHED');
    expect(page).toContain('HTTP 200 &quot;success&quot;');
  });

  it('answers 404 for an unknown trade or notification and 400 for a filter that can match nothing', async () => {
    sb = await openSandbox(dialect);
    expect((await sb.app.request('/trades/2026000000000000000000000000')).status).toBe(404);
    expect((await sb.app.request('/notifications/999999')).status).toBe(404);
    expect((await sb.app.request('/notifications/abc')).status).toBe(404);
    for (const query of ['status=PAID', 'delivery=lost', 'page=0', 'page=x', 'out_trade_no=%00']) {
      const res = await sb.app.request(`/trades?${query}`);
      expect(res.status, query).toBe(400);
      expect(await res.text()).toContain('refusal-message');
    }
  });

  it('filters notifications by the status they report and by delivery state, newest first', async () => {
    const merchant = recordingFetch((d) => new Response(d.params.get('trade_status') === 'WAIT_BUYER_PAY' ? 'fail' : 'success'));
    sb = await openSandbox(dialect, { fetch: merchant.fetch });
    const escrow = escrowParams();
    const escrowNo = await openTrade(sb, escrow);
    await payApi(sb, escrow.out_trade_no!);
    const direct = directPayParams();
    const directNo = await openTrade(sb, direct);
    await payApi(sb, direct.out_trade_no!);
    await sb.deps.dispatcher.runDue();

    const ids = async (query: string) => {
      const html = await (await sb!.app.request(`/notifications?${query}`)).text();
      return [...html.matchAll(/<tr data-notification-id="(\d+)" data-delivery="(\w+)"/g)].map((m) => `${m[1]}:${m[2]}`);
    };
    const all = await listNotifications(sb.deps);
    const idOf = (tradeNo: string, status: string) => all.find((n) => n.tradeNo === tradeNo && n.params.trade_status === status)!.id;
    expect(await ids('')).toEqual(
      [...all].reverse().map((n) => `${n.id}:${n.state === 'acknowledged' ? 'acknowledged' : 'failing'}`),
    );
    expect(await ids('status=WAIT_BUYER_PAY')).toEqual([`${idOf(escrowNo, 'WAIT_BUYER_PAY')}:failing`]);
    expect(await ids('delivery=failing')).toEqual([`${idOf(escrowNo, 'WAIT_BUYER_PAY')}:failing`]);
    expect(await ids(`delivery=acknowledged&out_trade_no=${direct.out_trade_no}`)).toEqual([`${idOf(directNo, 'TRADE_FINISHED')}:acknowledged`]);
    expect(await ids('delivery=given_up')).toEqual([]);
    const trades = await (await sb.app.request('/trades?delivery=failing')).text();
    expect(trades).toContain(`data-trade-no="${escrowNo}"`);
    expect(trades).not.toContain(`data-trade-no="${directNo}"`);
  });
});

forEachDialect('the dashboard controls', (dialect) => {
  it('refuse a POST from another site, or one that says where it comes from nowhere, with 403 and change nothing', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await openTrade(sb, escrowParams());
    const before = await stateOf(sb.deps);
    const offset = sb.deps.clock.offsetMs();
    const attempts: Array<[string, Record<string, string>, Record<string, string>]> = [
      ['/clock/advance', { duration: '30d' }, { origin: EVIL }],
      ['/clock/advance', { duration: '30d' }, { referer: `${EVIL}/page` }],
      ['/clock/advance', { duration: '30d' }, {}],
      ['/clock/advance', { duration: '30d' }, { origin: 'null' }],
      [`/merchants/${PARTNER}/fault`, { kind: 'drop' }, { origin: EVIL, referer: `${OWN}/` }],
      [`/trades/${tradeNo}/actions/CLOSE_TRADE`, {}, { origin: EVIL }],
      // A name that merely resolves here (DNS rebinding) is not the sandbox's own.
      [`/trades/${tradeNo}/actions/CLOSE_TRADE`, {}, { origin: 'http://rebound.example', host: 'rebound.example' }],
    ];
    for (const [path, fields, headers] of attempts) {
      const res = await post(sb, path, fields, headers);
      expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
      expect(await res.text()).toContain('FORBIDDEN');
    }
    expect(await stateOf(sb.deps)).toBe(before);
    expect(sb.deps.clock.offsetMs()).toBe(offset);
    expect(await getFault(sb.deps, PARTNER)).toEqual({ kind: 'none' });
    // From the sandbox's own pages (by Origin, or by Referer alone), the same controls run.
    expect((await post(sb, '/clock/advance', { duration: '1m' }, { referer: `${OWN}/` })).status).toBe(303);
    expect((await post(sb, `/trades/${tradeNo}/actions/CLOSE_TRADE`, {}, { origin: 'http://localhost' })).status).toBe(303);
  });

  it('refuse bad input with 4xx and a reason, changing nothing', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await openTrade(sb, escrowParams());
    const before = await stateOf(sb.deps);
    const offset = sb.deps.clock.offsetMs();
    const cases: Array<[string, Record<string, string>, number]> = [
      ['/clock/advance', { duration: 'soon' }, 400],
      ['/clock/advance', { duration: '0' }, 400],
      ['/clock/advance', { duration: '11000d' }, 400],
      [`/merchants/${PARTNER}/fault`, { kind: 'explode' }, 400],
      [`/merchants/${PARTNER}/fault`, { kind: 'drop', count: '-1' }, 400],
      [`/merchants/${PARTNER}/fault`, { kind: 'delay', seconds: 'later' }, 400],
      ['/merchants/2088000000000000/fault', { kind: 'drop' }, 404],
      ['/notifications/recover', { since: 'yesterday' }, 400],
      ['/notifications/recover', { since: '2026-02-30 10:00:00' }, 400],
      ['/notifications/recover', { since: '2026-01-01', partner: '2088000000000000' }, 404],
      ['/notifications/abc/resend', {}, 400],
      ['/notifications/999999/resend', {}, 404],
      [`/trades/${tradeNo}/actions/EXPLODE`, {}, 400],
      [`/trades/${tradeNo}/actions/PAY`, { buyer: 'nobody@sandbox.test' }, 404],
      [`/trades/${tradeNo}/actions/PAY`, { method: 'cash' }, 400],
      [`/trades/${tradeNo}/actions/REFUND`, { amount: '1.234' }, 400],
      [`/trades/${tradeNo}/actions/SEND_GOODS`, {}, 409],
      ['/trades/2026000000000000000000000000/actions/PAY', {}, 404],
      [`/trades/${tradeNo}/check-merchant`, { notify_url: '' }, 400],
      [`/trades/${tradeNo}/check-merchant`, { notify_url: 'ftp://x' }, 400],
      [`/trades/${tradeNo}/actions/SEND_GOODS`, { logistics_name: 'a\u0000b' }, 400],
    ];
    for (const [path, fields, status] of cases) {
      const res = await post(sb, path, { back: '/', ...fields });
      expect(res.status, `${path} ${JSON.stringify(fields)}`).toBe(status);
      expect(await res.text()).toContain('refusal-message');
    }
    expect(await stateOf(sb.deps)).toBe(before);
    expect(sb.deps.clock.offsetMs()).toBe(offset);
    expect(await getFault(sb.deps, PARTNER)).toEqual({ kind: 'none' });
  });

  it('advance the clock and say what ran; set and clear a fault; go back only to the sandbox’s own pages', async () => {
    const merchant = recordingFetch(() => new Response('fail'));
    sb = await openSandbox(dialect, { fetch: merchant.fetch });
    const params = directPayParams();
    const tradeNo = await openTrade(sb, params);
    await payApi(sb, params.out_trade_no!);
    await sb.deps.dispatcher.runDue();
    const html = await control(sb, '/clock/advance', { duration: '2m', back: `/trades/${tradeNo}` });
    expect(html).toContain('时钟已前进 2 min');
    expect(html).toMatch(/第 2 次 → <code>HTTP 200 &quot;fail&quot;<\/code> retrying/);
    expect(merchant.deliveries).toHaveLength(2);

    const set = await control(sb, `/merchants/${PARTNER}/fault`, { kind: 'drop', count: '3', back: '/' });
    expect(set).toContain('drop · 剩余 3 次');
    expect(await getFault(sb.deps, PARTNER)).toEqual({ kind: 'drop', count: 3 });
    await control(sb, `/merchants/${PARTNER}/fault`, { kind: 'none', back: '/' });
    expect(await getFault(sb.deps, PARTNER)).toEqual({ kind: 'none' });

    for (const back of ['//evil.example/x', 'http://evil.example/', '/\\evil.example']) {
      const res = await post(sb, `/merchants/${PARTNER}/fault`, { kind: 'none', back });
      expect(res.headers.get('location'), back).toMatch(/^\/\?result=/);
    }
  });

  it('recover every given-up notification since a time, once, each as a replay of its original', async () => {
    sb = await openSandbox(dialect, { fetch: recordingFetch(() => new Response('', { status: 500 })).fetch });
    const { tradeNo, id } = await givenUpTrade(sb);
    const since = (await listNotifications(sb.deps, { tradeNo }))[0]!.createdAt - 1000;
    const { formatAlipayTime } = await import('alipay-legacy');
    const html = await control(sb, '/notifications/recover', { since: formatAlipayTime(since), partner: PARTNER, back: '/notifications' });
    expect(html).toContain('recovered 1 given-up notifications');
    const list = await listNotifications(sb.deps, { tradeNo });
    expect(list.map((n) => n.replayOf)).toEqual([null, id]);
    const again = await control(sb, '/notifications/recover', { since: formatAlipayTime(since), back: '/' });
    expect(again).toContain('recovered 0 given-up notifications');
  });
});

forEachDialect('POST /sandbox/api/notifications/recover', (dialect) => {
  async function recover(s: TestSandbox, body: unknown, headers: Record<string, string> = {}) {
    const res = await s.app.request('/sandbox/api/notifications/recover', { method: 'POST', headers, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('sends every notification given up since a time again, linked to its original, and only once', async () => {
    sb = await openSandbox(dialect, { fetch: recordingFetch(() => new Response('', { status: 500 })).fetch });
    const { tradeNo, id } = await givenUpTrade(sb);
    const createdAt = (await listNotifications(sb.deps, { tradeNo }))[0]!.createdAt;
    expect((await recover(sb, { since: createdAt + 1 })).body.count).toBe(0);
    const first = await recover(sb, { since: createdAt, partner: PARTNER });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ count: 1, more: false, recovered: [{ replay_of: id, trade_no: tradeNo, state: 'pending' }] });
    expect((await recover(sb, { since: createdAt })).body.count).toBe(0);
  });

  it('refuses a bad since or an unknown merchant, and a browser on another site', async () => {
    sb = await openSandbox(dialect);
    for (const since of [undefined, 'yesterday', -5, '2026-13-01 00:00:00']) {
      const res = await recover(sb, { since });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('ILLEGAL_ARGUMENT');
    }
    expect((await recover(sb, { since: 0, partner: '2088000000000000' })).status).toBe(404);
    const refused = await recover(sb, { since: 0 }, { origin: EVIL });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('FORBIDDEN');
    const offset = sb.deps.clock.offsetMs();
    const advance = await sb.app.request('/sandbox/api/clock/advance', { method: 'POST', headers: { origin: EVIL, 'content-type': 'text/plain' }, body: '{"seconds": 86400}' });
    expect(advance.status).toBe(403);
    expect(sb.deps.clock.offsetMs()).toBe(offset);
  });
});

describe('the way back from a control', () => {
  it('stays on the sandbox and drops an earlier result', () => {
    expect(backPath('/trades?status=TRADE_FINISHED&result=abc')).toBe('/trades?status=TRADE_FINISHED');
    expect(backPath('https://evil.example/')).toBe('/');
    expect(backPath('//evil.example')).toBe('/');
    expect(backPath('/\\evil.example')).toBe('/');
    expect(backPath(undefined, '/trades')).toBe('/trades');
  });
});
