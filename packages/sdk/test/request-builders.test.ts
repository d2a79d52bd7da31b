import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { formatAlipayTime, GatewayError, resolveConfig, type AlipayConfig } from '../src/index.js';
import { parseForm } from '../src/protocol.js';
import { escapeHtml } from '../src/requests/html-form.js';
import { authorize, queryAddress } from '../src/requests/quick-login.js';
import { createDirectPayByUser } from '../src/requests/direct-pay.js';
import { createPartnerTradeByBuyer, tradeCreateByBuyer } from '../src/requests/escrow.js';
import { buildPageRequest, pageRequestFromSigned } from '../src/requests/page-request.js';
import { generateBatchNo, refundFastpayByPlatformPwd } from '../src/requests/refund.js';
import { signParams } from '../src/requests/sign-params.js';
import { loadVectors, type Vector } from './fixtures/load-vectors.js';

const fixture = loadVectors;
const vector = (name: string) => fixture('vectors.json').find((v) => v.name === name)!;

const KEY = '10000000000000000000000000000000';
// 2015-01-01 12:00:00 Beijing time.
const NOW = Date.UTC(2015, 0, 1, 4, 0, 0);
const clock = { now: () => NOW };
const vectorConfig = (extra: Partial<AlipayConfig> = {}) => resolveConfig({ partner: '1000000000000000', key: KEY, clock, ...extra });

/** The vector's parameters after the head the builders add (service, charset, partner, seller, payment_type), in order. */
function businessParams(v: Vector, head: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(v.params).filter(([k]) => !head.includes(k)));
}

/** MD5 sign computed here, independently of the SDK: sorted name=value pairs, key appended, charset bytes. */
function independentMd5(params: Record<string, string>, key: string, charset: string): string {
  const presign = Object.keys(params)
    .filter((k) => k !== 'sign' && k !== 'sign_type' && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return createHash('md5').update(iconv.encode(presign + key, charset)).digest('hex');
}

describe('the builders give the published links of protocol.md §2.6 byte for byte', () => {
  const head = ['service', '_input_charset', 'partner', 'seller_id', 'payment_type'];

  it('V4: createPartnerTradeByBuyer', async () => {
    const v = vector('create_partner_trade_by_buyer');
    const req = await createPartnerTradeByBuyer(vectorConfig(), businessParams(v, head) as never);
    expect(req.url).toBe(v.url);
    expect(req.params.sign).toBe(v.sign);
  });

  it('V5: tradeCreateByBuyer', async () => {
    const v = vector('trade_create_by_buyer');
    const req = await tradeCreateByBuyer(vectorConfig(), businessParams(v, head) as never);
    expect(req.url).toBe(v.url);
  });

  it('V6: createDirectPayByUser with price and quantity', async () => {
    const v = vector('create_direct_pay_by_user');
    const req = await createDirectPayByUser(vectorConfig(), businessParams(v, head) as never);
    expect(req.url).toBe(v.url);
    expect(req.service).toBe('create_direct_pay_by_user');
  });

  it('V7: the refund builder refuses the vector inputs (relative notify_url, 9-character batch_no, trade_no "1")', async () => {
    const v = vector('refund_fastpay_by_platform_pwd');
    const input = businessParams(v, ['service', '_input_charset', 'partner', 'seller_user_id']);
    await expect(refundFastpayByPlatformPwd(vectorConfig(), input as never)).rejects.toMatchObject({ code: 'ILLEGAL_ARGUMENT', param: 'notify_url' });
    await expect(refundFastpayByPlatformPwd(vectorConfig(), { ...input, notify_url: 'https://a.example.com/n' } as never)).rejects.toMatchObject({
      code: 'ILLEGAL_ARGUMENT',
      param: 'batch_no',
    });
  });

  it('V7: signParams and pageRequestFromSigned (the layer under the builder) give the vector link', () => {
    const v = vector('refund_fastpay_by_platform_pwd');
    const config = vectorConfig();
    const req = pageRequestFromSigned(config, 'refund_fastpay_by_platform_pwd', signParams(config, v.params));
    expect(req.url).toBe(v.url);
  });
});

describe('GBK builders (decisions: charset from config)', () => {
  it('G1: a GBK direct-pay request has the independently computed sign and percent-encodes GBK bytes', async () => {
    const v = fixture('gbk-vectors.json').find((x) => x.name.startsWith('G1'))!;
    const config = resolveConfig({ partner: v.params.partner!, key: v.key, charset: 'gbk', clock });
    const req = await createDirectPayByUser(config, {
      out_trade_no: v.params.out_trade_no!,
      subject: v.params.subject!,
      body: v.params.body!,
      total_fee: v.params.total_fee!,
      extra_common_param: '',
    });
    expect(req.params.sign).toBe(v.sign);
    expect(req.url).toContain('subject=%A1%B6%C8%FD%CC%E5%A1%B7%C8%AB%BC%AF+%A1%AA+%B5%E4%B2%D8%B0%E6');
    expect(req.url).toContain('out_trade_no=A%26B%3DC%2BD+1');
    // Read back as GBK, the link gives the same parameters as the vector's own form.
    const query = req.url.slice(req.url.indexOf('?') + 1);
    expect({ ...parseForm(query, 'gbk') }).toEqual({ ...parseForm(v.form!, 'gbk') });
    expect(req.action).toBe('https://mapi.alipay.com/gateway.do?_input_charset=gbk');
  });

  it('signs a GB2312 request with GBK bytes', async () => {
    const config = resolveConfig({ partner: '2088101122136241', key: KEY, charset: 'gb2312', clock });
    const req = await createDirectPayByUser(config, { out_trade_no: 'G', subject: '测试', total_fee: '1.00' });
    expect(req.params._input_charset).toBe('gb2312');
    expect(req.url).toContain('subject=%B2%E2%CA%D4');
    expect(req.params.sign).toBe(independentMd5(req.params, KEY, 'gbk'));
  });
});

describe('defaults from the configuration', () => {
  const config = resolveConfig({
    partner: '2088101122136241',
    key: KEY,
    sellerEmail: 'seller@example.com',
    notifyUrl: 'https://shop.example.com/alipay/notify',
    returnUrl: 'https://shop.example.com/alipay/return',
    clock,
  });

  it('fills partner, seller, payment_type, _input_charset, notify_url and return_url, and signs last', async () => {
    const req = await createDirectPayByUser(config, { out_trade_no: 'A1', subject: 'x', total_fee: '0.01' });
    expect(Object.keys(req.params)).toEqual([
      'service', '_input_charset', 'partner', 'seller_id', 'seller_email', 'payment_type',
      'out_trade_no', 'subject', 'total_fee', 'notify_url', 'return_url', 'sign_type', 'sign',
    ]);
    expect(req.params).toMatchObject({
      partner: '2088101122136241',
      seller_id: '2088101122136241',
      seller_email: 'seller@example.com',
      payment_type: '1',
      _input_charset: 'utf-8',
      notify_url: 'https://shop.example.com/alipay/notify',
      return_url: 'https://shop.example.com/alipay/return',
      sign_type: 'MD5',
    });
    expect(req.params.sign).toBe(independentMd5(req.params, KEY, 'utf-8'));
  });

  it("lets the input override a default and keeps the caller's order after the head", async () => {
    const req = await createDirectPayByUser(config, {
      subject: 'x',
      out_trade_no: 'A1',
      totalFen: 1234,
      notify_url: 'https://other.example.com/n',
      seller_id: '2088000000000001',
    });
    expect(req.params.notify_url).toBe('https://other.example.com/n');
    expect(req.params.seller_id).toBe('2088000000000001');
    expect(req.params.total_fee).toBe('12.34');
    expect(Object.keys(req.params).slice(6, 9)).toEqual(['subject', 'out_trade_no', 'total_fee']);
  });

  it('refuses an amount given as a JavaScript number, and both total_fee and totalFen', async () => {
    await expect(createDirectPayByUser(config, { out_trade_no: 'A', subject: 'x', total_fee: 0.3 as unknown as string })).rejects.toMatchObject({
      code: 'bad_input',
      message: expect.stringMatching(/string in yuan such as "0.01".*totalFen/),
    });
    await expect(createDirectPayByUser(config, { out_trade_no: 'A', subject: 'x', total_fee: '1.00', totalFen: 100 })).rejects.toMatchObject({
      code: 'bad_input',
    });
  });

  it('accepts quantity as a whole number', async () => {
    const req = await createPartnerTradeByBuyer(config, {
      out_trade_no: 'A1', subject: 'x', priceFen: 1000, quantity: 2,
      logistics_type: 'EXPRESS', logistics_fee: '10.00', logistics_payment: 'BUYER_PAY',
    });
    expect(req.params).toMatchObject({ price: '10.00', quantity: '2', logistics_type: 'EXPRESS' });
  });

  it('fills the refund: seller_user_id, refund_date from the clock, batch_num, a batch_no dated today', async () => {
    const req = await refundFastpayByPlatformPwd(config, {
      detail_data: [
        { trade_no: '2015010100001000980052833539', amount: '0.01', reason: '协商退款' },
        { trade_no: '2015010100001000980052833540', amount: '1.00' },
      ],
    });
    expect(req.params).toMatchObject({
      service: 'refund_fastpay_by_platform_pwd',
      seller_user_id: '2088101122136241',
      refund_date: '2015-01-01 12:00:00',
      detail_data: '2015010100001000980052833539^0.01^协商退款#2015010100001000980052833540^1.00^',
      batch_num: '2',
      notify_url: 'https://shop.example.com/alipay/notify',
    });
    expect(req.params.batch_no).toMatch(/^20150101\d{15}$/);
    expect(req.params.return_url).toBeUndefined();
  });

  it('generates distinct batch numbers dated today in Beijing time', () => {
    const lateUtc = { now: () => Date.UTC(2014, 11, 31, 17, 30, 0) };
    const a = generateBatchNo(lateUtc);
    const b = generateBatchNo(lateUtc);
    expect(a.slice(0, 8)).toBe('20150101');
    expect(a).toHaveLength(23);
    expect(a).not.toBe(b);
  });

  it('refuses a refund batch_no of another day, using config.clock', async () => {
    await expect(
      refundFastpayByPlatformPwd(config, { batch_no: '20141231001', detail_data: '2015010100001000980052833539^0.01^x' }),
    ).rejects.toMatchObject({ code: 'ILLEGAL_ARGUMENT', param: 'batch_no', message: expect.stringMatching(/not today/) });
  });

  it('builds the quick-login and address-query requests', async () => {
    const login = await authorize(config, { return_url: 'https://shop.example.com/login/return', exter_invoke_ip: '127.0.0.1' });
    expect(login.params).toMatchObject({ service: 'alipay.auth.authorize', target_service: 'user.auth.quick.login', exter_invoke_ip: '127.0.0.1' });
    expect(login.params.notify_url).toBeUndefined();
    const address = await queryAddress(config, { token: '20170516dc13a31c01ba44b09df31ebe53486X86', return_url: 'https://shop.example.com/address' });
    expect(Object.keys(address.params)).toEqual(['service', '_input_charset', 'partner', 'token', 'return_url', 'sign_type', 'sign']);
  });

  it('does not default the login return_url to the payment return_url', async () => {
    await expect(authorize(config, {} as never)).rejects.toMatchObject({ code: 'PARAMTER_IS_NULL', param: 'return_url' });
  });
});

describe('validation happens before signing', () => {
  const config = resolveConfig({ partner: '2088101122136241', key: KEY, clock });

  it('throws the gateway code and signs nothing', async () => {
    const err = await createDirectPayByUser(config, { out_trade_no: 'A1', subject: 'x', total_fee: '0.01', price: '0.01', quantity: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ code: 'ILLEGAL_FEE_PARAM', param: 'total_fee' });
  });

  it('refuses escrow logistics groups out of order', async () => {
    await expect(
      createPartnerTradeByBuyer(config, {
        out_trade_no: 'A1', subject: 'x', price: '1.00', quantity: 1,
        logistics_type: 'EXPRESS', logistics_fee: '0', logistics_payment: 'SELLER_PAY',
        logistics_type_2: 'EMS', logistics_fee_2: '5.00', logistics_payment_2: 'BUYER_PAY',
      }),
    ).rejects.toMatchObject({ code: 'ILLEGAL_LOGISTICS_FORMAT' });
  });

  it('buildPageRequest refuses a server service', () => {
    expect(() => buildPageRequest(config, 'single_trade_query', { out_trade_no: 'A1' })).toThrow(/not a page service/);
  });

  it('cannot be fooled by a service in the input', () => {
    const req = buildPageRequest(config, 'create_direct_pay_by_user', {
      service: 'close_trade', seller_id: config.sellerId, payment_type: '1', out_trade_no: 'A1', subject: 'x', total_fee: '0.01',
    });
    expect(req.params.service).toBe('create_direct_pay_by_user');
  });
});

describe('the auto-submitting form', () => {
  const config = resolveConfig({ partner: '2088101122136241', key: KEY, clock, gateway: 'http://127.0.0.1:7000/gateway.do' });

  it('HTML-escapes every value, so a subject with "<>&\' cannot break out', async () => {
    const subject = `"><script>alert('x')</script>&'`;
    const req = await createDirectPayByUser(config, { out_trade_no: 'A1', subject, total_fee: '0.01', body: `it's "great" & <b>` });
    const html = req.form();
    expect(html).toContain(`name="subject" value="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&#39;"`);
    expect(html).toContain(`name="body" value="it&#39;s &quot;great&quot; &amp; &lt;b&gt;"`);
    // Only the form's own script element is in the markup.
    expect(html.match(/<script/g)).toHaveLength(1);
    // Every parameter is a hidden field, with the raw value recoverable by un-escaping.
    const fields = [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)"\/>/g)].map((m) => [m[1], unescapeHtml(m[2]!)]);
    expect(Object.fromEntries(fields)).toEqual(req.params);
  });

  it('posts to gateway?_input_charset=… with the chosen method, button text and nonce', async () => {
    const req = await createDirectPayByUser(config, { out_trade_no: 'A1', subject: 'x', total_fee: '0.01' });
    expect(req.form()).toMatch(/^<form id="alipaysubmit" name="alipaysubmit" action="http:\/\/127\.0\.0\.1:7000\/gateway\.do\?_input_charset=utf-8" method="get"/);
    expect(req.form()).toContain('<input type="submit" value="确认"/></form><script>document.getElementById("alipaysubmit").submit();</script>');
    const post = req.form({ method: 'post', buttonText: 'Pay <now>', nonce: 'n"1', id: 'pay' });
    expect(post).toContain('method="post"');
    expect(post).toContain('value="Pay &lt;now&gt;"');
    expect(post).toContain('<script nonce="n&quot;1">document.getElementById("pay").submit();</script>');
    expect(req.form({ autoSubmit: false })).not.toContain('<script');
  });

  it('escapes the five HTML special characters', () => {
    expect(escapeHtml(`&<>"'a`)).toBe('&amp;&lt;&gt;&quot;&#39;a');
  });

  it('keeps the link and the form consistent with a gateway URL that already has a query', async () => {
    const odd = resolveConfig({ partner: '2088101122136241', key: KEY, clock, gateway: 'http://127.0.0.1:7000/gateway.do?x=1' });
    const req = await createDirectPayByUser(odd, { out_trade_no: 'A1', subject: 'x', total_fee: '0.01' });
    expect(req.url.startsWith('http://127.0.0.1:7000/gateway.do?x=1&service=')).toBe(true);
    expect(req.action).toBe('http://127.0.0.1:7000/gateway.do?x=1&_input_charset=utf-8');
  });
});

describe('the refund date', () => {
  it('is Beijing time from the clock', async () => {
    const config = resolveConfig({ partner: '2088101122136241', key: KEY, clock });
    const req = await refundFastpayByPlatformPwd(config, { detail_data: '2015010100001000980052833539^0.01^x' });
    expect(req.params.refund_date).toBe(formatAlipayTime(NOW));
  });
});

function unescapeHtml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
}
