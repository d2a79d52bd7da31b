import { encodeForm, sign } from 'alipay-legacy/protocol';
import { afterEach, expect, it } from 'vitest';
import { forEachDialect } from '../helpers/dialects.js';
import { SEED_BUYERS } from '../../src/seed.js';
import { issueAntiPhishingKey, updateMerchantSettings } from '../../src/services/index.js';
import {
  KEY,
  PARTNER,
  SELLER_EMAIL,
  directPayParams,
  escrowParams,
  gatewayGet,
  gatewayPath,
  gatewayPost,
  pageErrorCode,
  signRequest,
  xmlErrorCode,
} from '../helpers/gateway-client.js';
import { openSandbox, stateOf, type TestSandbox } from '../helpers/sandbox-fixture.js';

/**
 * Every gateway error code the seeds and protocol.md list, each provoked by its documented cause:
 * the page services answer the 调试错误 page (HTTP 200, the code in a meta tag, decisions.md §19),
 * the server services `<is_success>F</is_success><error>CODE</error>`; and no trade, notification
 * or refund batch changes.
 */
interface Case {
  code: string;
  cause: string;
  reply: 'page' | 'xml';
  /** State the cause needs (merchant settings, an earlier trade); runs before the snapshot. */
  setup?: (sb: TestSandbox) => Promise<unknown>;
  request: (sb: TestSandbox, setup: unknown) => Response | Promise<Response>;
}

const buyer = SEED_BUYERS[0]!;

async function payFor(sb: TestSandbox, params: Record<string, string>) {
  const res = await gatewayGet(sb.app, params);
  expect(res.status).toBe(303);
  const pay = await sb.app.request('/sandbox/api/pay', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ partner: PARTNER, out_trade_no: params.out_trade_no, buyer: buyer.login }),
  });
  expect(pay.status).toBe(200);
  return (await pay.json()) as { trade_no: string };
}

const CASES: Case[] = [
  {
    code: 'ILLEGAL_CHARSET',
    cause: 'an _input_charset the gateway does not support',
    reply: 'page',
    request: (sb) => sb.app.request(gatewayPath({ ...signRequest(directPayParams()), _input_charset: 'latin1' })),
  },
  {
    code: 'ILLEGAL_ARGUMENT',
    cause: 'a parameter sent twice',
    reply: 'page',
    request: (sb) => sb.app.request(`${gatewayPath(signRequest(directPayParams()))}&subject=again`),
  },
  {
    code: 'ILLEGAL_ARGUMENT',
    cause: 'a malformed percent-escape',
    reply: 'page',
    request: (sb) => sb.app.request(`${gatewayPath(signRequest(directPayParams()))}&body=%ZZ`),
  },
  {
    code: 'ILLEGAL_ARGUMENT',
    cause: 'a malformed percent-escape in a server call (answered in XML all the same)',
    reply: 'xml',
    request: (sb) => sb.app.request(`${gatewayPath(signRequest({ service: 'close_trade', out_order_no: 'x' }))}&x=%%`),
  },
  {
    code: 'ILLEGAL_ARGUMENT',
    cause: 'one value in the URL and another in the body',
    reply: 'xml',
    request: (sb) =>
      sb.app.request('/gateway.do?_input_charset=gbk', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: encodeForm(signRequest({ service: 'single_trade_query', out_trade_no: 'x' }), 'utf-8'),
      }),
  },
  {
    code: 'ILLEGAL_ARGUMENT',
    cause: 'a server call whose body cannot be read (a malformed multipart form), answered in XML as the service in its URL asks',
    reply: 'xml',
    request: (sb) =>
      sb.app.request('/gateway.do?_input_charset=utf-8&service=close_trade', {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
        body: '--x\r\nContent-Disposition: form-data; name="out_order_no"\r\n\r\nunterminated',
      }),
  },
  {
    code: 'ILLEGAL_SERVICE',
    cause: 'no service parameter (all parameters lost)',
    reply: 'page',
    request: (sb) => sb.app.request('/gateway.do'),
  },
  {
    code: 'ILLEGAL_SERVICE',
    cause: 'a misspelt service name',
    reply: 'page',
    request: (sb) => gatewayGet(sb.app, directPayParams({ service: 'create_direct_pay_by_users' })),
  },
  {
    code: 'ILLEGAL_PARTNER',
    cause: 'a partner id that is not a merchant',
    reply: 'page',
    request: (sb) => gatewayGet(sb.app, directPayParams({ partner: '2088000000000001' })),
  },
  {
    code: 'ILLEGAL_SIGN_TYPE',
    cause: 'sign_type in lower case',
    reply: 'page',
    request: (sb) => sb.app.request(gatewayPath({ ...signRequest(directPayParams()), sign_type: 'md5' })),
  },
  {
    code: 'ILLEGAL_SIGN_TYPE',
    cause: 'DSA, which no gateway implemented',
    reply: 'xml',
    request: (sb) => sb.app.request(gatewayPath({ ...signRequest({ service: 'single_trade_query', out_trade_no: 'x' }), sign_type: 'DSA' })),
  },
  {
    code: 'ILLEGAL_SIGN',
    cause: 'a parameter named __proto__ that the sign does not cover (every received parameter is signed)',
    reply: 'xml',
    request: (sb) => sb.app.request(`${gatewayPath(signRequest({ service: 'single_trade_query', out_trade_no: 'x' }))}&__proto__=1`),
  },
  {
    code: 'HAS_NO_PUBLICKEY',
    cause: 'sign_type=RSA from a merchant that uploaded no RSA public key',
    reply: 'page',
    setup: (sb) => updateMerchantSettings(sb.deps, PARTNER, { rsaPublicKey: null }),
    request: (sb) => gatewayGet(sb.app, directPayParams(), { signType: 'RSA' }),
  },
  {
    code: 'ILLEGAL_SIGN',
    cause: 'a sign made with another key',
    reply: 'page',
    request: (sb) => gatewayGet(sb.app, directPayParams(), { key: '0'.repeat(32) }),
  },
  {
    code: 'ILLEGAL_SIGN',
    cause: 'a custom parameter added after signing',
    reply: 'page',
    request: (sb) => sb.app.request(`${gatewayPath(signRequest(directPayParams()))}&id=123`),
  },
  {
    code: 'ILLEGAL_SIGN',
    cause: 'no sign at all',
    reply: 'xml',
    request: (sb) => sb.app.request(gatewayPath({ _input_charset: 'utf-8', partner: PARTNER, service: 'single_trade_query', out_trade_no: 'x', sign_type: 'MD5' })),
  },
  {
    code: 'ILLEGAL_SIGN',
    cause: 'a UTF-8 request signed over GBK bytes (编码问题)',
    reply: 'page',
    request: (sb) => {
      const params = { _input_charset: 'utf-8', partner: PARTNER, ...directPayParams() };
      const wrong = sign(params, { key: KEY, charset: 'gbk' });
      return sb.app.request(gatewayPath({ ...params, sign: wrong, sign_type: 'MD5' }));
    },
  },
  {
    code: 'HAS_NO_PRIVILEGE',
    cause: 'a payment service the merchant has not contracted',
    reply: 'page',
    setup: (sb) => updateMerchantSettings(sb.deps, PARTNER, { services: ['single_trade_query'] }),
    request: (sb) => gatewayGet(sb.app, directPayParams()),
  },
  {
    code: 'HAS_NO_PRIVILEGE',
    cause: 'a server service the merchant has not contracted',
    reply: 'xml',
    setup: (sb) => updateMerchantSettings(sb.deps, PARTNER, { services: ['create_direct_pay_by_user'] }),
    request: (sb) => gatewayGet(sb.app, { service: 'single_trade_query', out_trade_no: 'x' }),
  },
  {
    code: 'ILLEGAL_PARTNER_EXTERFACE',
    cause: 'quick login without the quick-login product',
    reply: 'page',
    setup: (sb) => updateMerchantSettings(sb.deps, PARTNER, { services: ['create_direct_pay_by_user'] }),
    request: (sb) => gatewayGet(sb.app, { service: 'alipay.auth.authorize', target_service: 'user.auth.quick.login', return_url: 'http://127.0.0.1:9/login' }),
  },
  {
    code: 'PARAMTER_IS_NULL',
    cause: 'a required parameter missing (out_trade_no)',
    reply: 'page',
    request: (sb) => {
      const params = directPayParams();
      delete params.out_trade_no;
      return gatewayGet(sb.app, params);
    },
  },
  {
    code: 'ILLEGAL_FEE_PARAM',
    cause: 'an amount that is not one (金额格式不正确)',
    reply: 'page',
    request: (sb) => gatewayGet(sb.app, directPayParams({ total_fee: '12.345' })),
  },
  {
    code: 'ILLEGAL_FEE_PARAM',
    cause: 'total_fee together with price and quantity (参考单价、总价、数量三个组合规则)',
    reply: 'page',
    request: (sb) => gatewayGet(sb.app, directPayParams({ price: '1.00', quantity: '2' })),
  },
  {
    code: 'TOTAL_FEE_LESSEQUAL_ZERO',
    cause: 'a total of zero',
    reply: 'page',
    request: (sb) => gatewayGet(sb.app, directPayParams({ total_fee: '0.00' })),
  },
  {
    code: 'TOTAL_FEE_OUT_OF_RANGE',
    cause: 'a total above 100,000,000.00',
    reply: 'page',
    request: (sb) => gatewayGet(sb.app, directPayParams({ total_fee: '100000000.01' })),
  },
  {
    code: 'ILLEGAL_PAYMENT_TYPE',
    cause: 'an unknown payment_type',
    reply: 'page',
    request: (sb) => gatewayGet(sb.app, directPayParams({ payment_type: '9' })),
  },
  {
    code: 'ILLEGAL_ARGUMENT',
    cause: 'a return_url with a custom query string (不能加?id=123这类自定义参数)',
    reply: 'page',
    request: (sb) => gatewayGet(sb.app, directPayParams({ return_url: 'http://127.0.0.1:9/return?id=123' })),
  },
  {
    code: 'ILLEGAL_LOGISTICS_FORMAT',
    cause: 'an unknown logistics type',
    reply: 'page',
    request: (sb) => gatewayGet(sb.app, escrowParams({ logistics_type: 'TRUCK' })),
  },
  {
    code: 'ROYALTY_FORAMT_ERROR',
    cause: 'a royalty type other than 10',
    reply: 'page',
    request: (sb) => gatewayGet(sb.app, directPayParams({ royalty_type: '11', royalty_parameters: 'a@b.com^1.00^x' })),
  },
  {
    code: 'SELLER_NOT_EXIST',
    cause: 'seller_email naming no account',
    reply: 'page',
    request: (sb) => gatewayGet(sb.app, directPayParams({ seller_id: '', seller_email: 'nobody@nowhere.test' })),
  },
  {
    code: 'SELLER_NOT_IN_SPECIFIED_SELLERS',
    cause: 'seller_email naming another existing account',
    reply: 'page',
    request: (sb) => gatewayGet(sb.app, directPayParams({ seller_id: '', seller_email: buyer.email })),
  },
  {
    code: 'SELLER_NOT_IN_SPECIFIED_SELLERS',
    cause: 'seller_id of another existing account',
    reply: 'page',
    request: (sb) => gatewayGet(sb.app, escrowParams({ seller_email: '', seller_id: buyer.userId })),
  },
  {
    code: 'BUYER_SELLER_EQUAL',
    cause: 'the buyer named in the request is the seller',
    reply: 'page',
    request: (sb) => gatewayGet(sb.app, directPayParams({ buyer_email: SELLER_EMAIL })),
  },
  {
    code: 'SELF_TIMEOUT_NOT_SUPPORT',
    cause: 'it_b_pay without the custom-timeout switch',
    reply: 'page',
    setup: (sb) => updateMerchantSettings(sb.deps, PARTNER, { selfTimeout: false }),
    request: (sb) => gatewayGet(sb.app, directPayParams({ it_b_pay: '30m' })),
  },
  {
    code: 'SELF_TIMEOUT_NOT_SUPPORT',
    cause: 't_b_rec_post without the custom-timeout switch',
    reply: 'page',
    setup: (sb) => updateMerchantSettings(sb.deps, PARTNER, { selfTimeout: false }),
    request: (sb) => gatewayGet(sb.app, escrowParams({ t_b_rec_post: '7' })),
  },
  {
    code: 'ILLEGAL_EXTER_INVOKE_IP',
    cause: 'no exter_invoke_ip once the IP check is on',
    reply: 'page',
    setup: (sb) => updateMerchantSettings(sb.deps, PARTNER, { ipCheck: true }),
    request: (sb) => gatewayGet(sb.app, directPayParams(), { env: { incoming: { socket: { remoteAddress: '10.1.2.3' } } } }),
  },
  {
    code: 'ILLEGAL_EXTER_INVOKE_IP',
    cause: 'an exter_invoke_ip that is not the buyer’s address',
    reply: 'page',
    setup: (sb) => updateMerchantSettings(sb.deps, PARTNER, { ipCheck: true }),
    request: (sb) => gatewayGet(sb.app, directPayParams({ exter_invoke_ip: '202.1.1.2' }), { env: { incoming: { socket: { remoteAddress: '10.1.2.3' } } } }),
  },
  {
    code: 'ILLEGAL_ANTI_PHISHING_KEY',
    cause: 'no anti_phishing_key once anti-phishing is on',
    reply: 'page',
    setup: (sb) => updateMerchantSettings(sb.deps, PARTNER, { antiPhishing: true }),
    request: (sb) => gatewayGet(sb.app, directPayParams()),
  },
  {
    code: 'ILLEGAL_ANTI_PHISHING_KEY',
    cause: 'an anti_phishing_key the gateway never issued',
    reply: 'page',
    setup: (sb) => updateMerchantSettings(sb.deps, PARTNER, { antiPhishing: true }),
    request: (sb) => gatewayGet(sb.app, directPayParams({ anti_phishing_key: 'KPrzY9IGG9iM9PgLGw==' })),
  },
  {
    code: 'ANTI_PHISHING_KEY_TIMEOUT',
    cause: 'an anti_phishing_key used after its 30 seconds',
    reply: 'page',
    setup: async (sb) => {
      await updateMerchantSettings(sb.deps, PARTNER, { antiPhishing: true });
      const { key } = await issueAntiPhishingKey(sb.deps, PARTNER);
      await sb.deps.clock.advance(31);
      return key;
    },
    request: (sb, key) => gatewayGet(sb.app, directPayParams({ anti_phishing_key: key as string })),
  },
  {
    code: 'TRADE_DATA_MATCH_ERROR',
    cause: 'the same out_trade_no again with another amount',
    reply: 'page',
    setup: async (sb) => {
      const params = directPayParams();
      expect((await gatewayGet(sb.app, params)).status).toBe(303);
      return params;
    },
    request: (sb, params) => gatewayGet(sb.app, { ...(params as Record<string, string>), total_fee: '99.99' }),
  },
  {
    code: 'TRADE_NOT_ALLOWED_PAY',
    cause: 'the request of a trade already paid',
    reply: 'page',
    setup: async (sb) => {
      const params = directPayParams();
      await payFor(sb, params);
      return params;
    },
    request: (sb, params) => gatewayGet(sb.app, params as Record<string, string>),
  },
  {
    code: 'TRADE_NOT_EXIST',
    cause: 'single_trade_query of an unknown order',
    reply: 'xml',
    request: (sb) => gatewayPost(sb.app, { service: 'single_trade_query', out_trade_no: 'no-such-order' }),
  },
  {
    code: 'TRADE_STATUS_NOT_AVAILD',
    cause: 'close_trade of a paid trade',
    reply: 'xml',
    setup: async (sb) => {
      const params = directPayParams();
      await payFor(sb, params);
      return params;
    },
    request: (sb, params) => gatewayGet(sb.app, { service: 'close_trade', out_order_no: (params as Record<string, string>).out_trade_no! }),
  },
  {
    code: 'TRADE_STATUS_NOT_AVAILD',
    cause: 'send_goods_confirm_by_platform of an unpaid escrow trade',
    reply: 'xml',
    setup: async (sb) => {
      const res = await gatewayGet(sb.app, escrowParams());
      return res.headers.get('location')!.split('/').pop();
    },
    request: (sb, tradeNo) => gatewayGet(sb.app, { service: 'send_goods_confirm_by_platform', trade_no: tradeNo as string, logistics_name: '顺丰', transport_type: 'EXPRESS' }),
  },
  {
    code: 'ILLEGAL_TARGET_SERVICE',
    cause: 'alipay.auth.authorize with another target_service',
    reply: 'page',
    request: (sb) => gatewayGet(sb.app, { service: 'alipay.auth.authorize', target_service: 'user.auth.slow.login', return_url: 'http://127.0.0.1:9/login' }),
  },
];

forEachDialect('gateway.do refusals', (dialect) => {
  let sb: TestSandbox | undefined;
  afterEach(async () => {
    await sb?.close();
    sb = undefined;
  });

  it.each(CASES.map((c) => [c.code, c.cause, c] as const))('answers %s for %s, and changes nothing', async (code, _cause, c) => {
    sb = await openSandbox(dialect);
    const setup = c.setup ? await c.setup(sb) : undefined;
    const before = await stateOf(sb.deps);
    const res = await c.request(sb, setup);
    const text = await res.text();
    expect(res.status).toBe(200);
    if (c.reply === 'page') {
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(pageErrorCode(text)).toBe(code);
      expect(text).toContain('<title>支付宝 - 网上支付 安全快速！</title>');
      expect(text).toContain('调试错误，请回到请求来源地，重新发起请求。');
      expect(text).toContain(`错误代码 <strong id="error-code">${code}</strong>`);
    } else {
      expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
      expect(xmlErrorCode(text)).toBe(code);
    }
    expect(await stateOf(sb.deps)).toBe(before);
  });
});
