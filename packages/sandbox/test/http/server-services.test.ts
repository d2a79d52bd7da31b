import { encodeForm, parseAlipayXml, verifySign } from 'alipay-legacy/protocol';
import { afterEach, expect, it } from 'vitest';
import { forEachDialect } from '../helpers/dialects.js';
import { getTrade, updateMerchantSettings } from '../../src/services/index.js';
import { KEY, PARTNER, directPayParams, escrowParams, gatewayGet, gatewayPost, pageErrorCode, signRequest } from '../helpers/gateway-client.js';
import { openSandbox, type TestSandbox } from '../helpers/sandbox-fixture.js';

let sb: TestSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function newTrade(s: TestSandbox, params: Record<string, string>): Promise<string> {
  const res = await gatewayGet(s.app, params);
  return res.headers.get('location')!.split('/').pop()!;
}

async function apiPay(s: TestSandbox, outTradeNo: string) {
  const res = await s.app.request('/sandbox/api/pay', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ partner: PARTNER, out_trade_no: outTradeNo, buyer: 'buyer@sandbox.test' }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { trade_no: string; trade_status: string; return_url: string | null };
}

forEachDialect('server-to-server services', (dialect) => {
  it('answers single_trade_query with the request echoed, the trade, and a sign over the trade block', async () => {
    sb = await openSandbox(dialect);
    const params = directPayParams({ total_fee: '3.50' });
    const tradeNo = await newTrade(sb, params);
    await apiPay(sb, params.out_trade_no!);
    const res = await gatewayPost(sb.app, { service: 'single_trade_query', out_trade_no: params.out_trade_no! });
    expect(res.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    const reply = parseAlipayXml(await res.text());
    expect(reply.isSuccess).toBe(true);
    expect(reply.request).toMatchObject({ service: 'single_trade_query', partner: PARTNER, out_trade_no: params.out_trade_no });
    expect(reply.request.sign).toBeUndefined();
    const trade = reply.response.trade!;
    expect(trade).toMatchObject({ trade_no: tradeNo, out_trade_no: params.out_trade_no, trade_status: 'TRADE_FINISHED', total_fee: '3.50', buyer_email: 'buyer@sandbox.test' });
    expect(reply.signType).toBe('MD5');
    expect(verifySign(trade, reply.sign, { key: KEY }).valid).toBe(true);
  });

  it('finds the trade by trade_no as well, and answers GET like POST', async () => {
    sb = await openSandbox(dialect);
    const tradeNo = await newTrade(sb, directPayParams());
    const reply = parseAlipayXml(await (await gatewayGet(sb.app, { service: 'single_trade_query', trade_no: tradeNo })).text());
    expect(reply.response.trade!.trade_status).toBe('WAIT_BUYER_PAY');
  });

  it('encodes the XML reply of a GBK request in GBK', async () => {
    sb = await openSandbox(dialect);
    const params = directPayParams({ subject: '中文商品' });
    await gatewayGet(sb.app, params, { charset: 'gbk' });
    const res = await gatewayPost(sb.app, { service: 'single_trade_query', out_trade_no: params.out_trade_no! }, { charset: 'gbk' });
    expect(res.headers.get('content-type')).toBe('text/xml; charset=gbk');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.includes(Buffer.from([0xd6, 0xd0, 0xce, 0xc4]))).toBe(true); // 中文 in GBK
    expect(bytes.toString('latin1')).toContain('<?xml version="1.0" encoding="gbk"?>');
  });

  it('closes an unpaid trade with close_trade (out_order_no) and answers T', async () => {
    sb = await openSandbox(dialect);
    const params = escrowParams();
    const tradeNo = await newTrade(sb, params);
    const xml = await (await gatewayGet(sb.app, { service: 'close_trade', out_order_no: params.out_trade_no!, trade_role: 'S' })).text();
    expect(xml).toBe('<?xml version="1.0" encoding="utf-8"?><alipay><is_success>T</is_success></alipay>');
    const trade = (await getTrade(sb.deps, tradeNo))!;
    expect(trade.tradeStatus).toBe('TRADE_CLOSED');
    expect(trade.gmtClose).not.toBeNull();
  });

  it('issues an anti-phishing key by query_timestamp that a payment request can use once (decisions.md §18)', async () => {
    sb = await openSandbox(dialect);
    await updateMerchantSettings(sb.deps, PARTNER, { antiPhishing: true });
    const res = await sb.app.request(`/gateway.do?service=query_timestamp&partner=${PARTNER}&_input_charset=utf-8`);
    const xml = await res.text();
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?><alipay><is_success>T<\/is_success><response><timestamp><encrypt_key>[^<]+<\/encrypt_key><\/timestamp><\/response><\/alipay>$/);
    const key = parseAlipayXml(xml).response.timestamp!.encrypt_key!;
    const params = directPayParams({ anti_phishing_key: key });
    expect((await gatewayGet(sb.app, params)).status).toBe(303);
    const reused = await gatewayGet(sb.app, directPayParams({ anti_phishing_key: key }));
    expect(pageErrorCode(await reused.text())).toBe('ILLEGAL_ANTI_PHISHING_KEY');
  });

  it('does not spend an anti-phishing key on a request refused for another reason', async () => {
    sb = await openSandbox(dialect);
    await updateMerchantSettings(sb.deps, PARTNER, { antiPhishing: true });
    const xml = await (await sb.app.request(`/gateway.do?service=query_timestamp&partner=${PARTNER}`)).text();
    const key = parseAlipayXml(xml).response.timestamp!.encrypt_key!;
    const refused = await gatewayGet(sb.app, directPayParams({ anti_phishing_key: key }), { key: '0'.repeat(32) });
    expect(pageErrorCode(await refused.text())).toBe('ILLEGAL_SIGN');
    expect((await gatewayGet(sb.app, directPayParams({ anti_phishing_key: key }))).status).toBe(303);
  });

  it('answers query_timestamp of an unknown partner with ILLEGAL_PARTNER in XML', async () => {
    sb = await openSandbox(dialect);
    const xml = await (await sb.app.request('/gateway.do?service=query_timestamp&partner=2088000000000009')).text();
    expect(xml).toContain('<is_success>F</is_success><error>ILLEGAL_PARTNER</error>');
  });

  it('accepts the official SDKs’ POST with _input_charset both in the URL and in the body', async () => {
    sb = await openSandbox(dialect);
    const signed = signRequest(directPayParams());
    const res = await sb.app.request('/gateway.do?_input_charset=utf-8', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: encodeForm(signed, 'utf-8'),
    });
    expect(res.status).toBe(303);
  });
});

forEachDialect('notify_verify (decisions.md §1–4)', (dialect) => {
  it.each([
    ['GET', '/gateway.do?service=notify_verify&partner=&notify_id=abc', 'invalid'],
    ['GET', '/gateway.do?service=notify_verify&partner=2088328287403500', 'invalid'],
    ['GET', '/gateway.do?service=notify_verify&partner=2088328287403500&notify_id=unknown', 'false'],
    ['GET', '/trade/notify_query.do?partner=2088328287403500&notify_id=unknown', 'false'],
    ['GET', '/trade/notify_query.do?notify_id=unknown', 'invalid'],
    ['GET', '/gateway.do?service=notify_verify&partner=2088328287403500&notify_id=a&notify_id=b', 'invalid'],
    ['GET', '/gateway.do?service=notify_verify&partner=2088328287403500&notify_id=a&x=%ZZ', 'invalid'],
  ])('%s %s answers %s', async (_method, path, word) => {
    sb = await openSandbox(dialect);
    const res = await sb.app.request(path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await res.text()).toBe(word);
  });

  it('answers a POST like a GET (the 2008 SDK posted the query)', async () => {
    sb = await openSandbox(dialect);
    for (const path of ['/gateway.do', '/trade/notify_query.do']) {
      const res = await sb.app.request(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'service=notify_verify&partner=2088328287403500&notify_id=unknown',
      });
      expect(await res.text()).toBe('false');
    }
  });
});
