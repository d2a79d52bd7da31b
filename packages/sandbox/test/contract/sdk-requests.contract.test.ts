import { authorize, type Charset, checkNotifyId, closeTrade, createDirectPayByUser, createPartnerTradeByBuyer, DIRECT_PAY_MAX_FEN, type DirectPayInput, ESCROW_MAX_FEN, type EscrowInput, fromFen, GatewayError, type PageRequest, queryAddress, queryTimestamp, refundFastpayByPlatformPwd, resolveConfig, type ResolvedConfig, sendGoodsConfirmByPlatform, type ServiceName, type SignType, singleTradeQuery, tradeCreateByBuyer } from 'alipay-legacy';
import { encodeForm, LOGISTICS_PAYMENTS, LOGISTICS_TYPES, parseForm, SERVICES, signParams, tradeTotalFen, validateServiceRequest } from 'alipay-legacy/protocol';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MERCHANT_RSA_PRIVATE_KEY } from '../../src/seed-keys.js';
import { findTrade, updateMerchantSettings } from '../../src/services/index.js';
import { forEachDialect } from '../helpers/dialects.js';
import { KEY, PARTNER, SELLER_EMAIL, pageErrorCode, xmlErrorCode } from '../helpers/gateway-client.js';
import { openSandbox, type TestSandbox } from '../helpers/sandbox-fixture.js';

/**
 * The contract between the two sides of the wire, checked with generated inputs:
 * 1. whatever any of the SDK's builders produces (every service) the sandbox's gateway accepts —
 *    a page request opens its page, a server call is answered past the request checks;
 * 2. whatever request the sandbox accepts passes the SDK's `validateServiceRequest`.
 * The SDK's builders talk to the sandbox in process (their `fetch` is the app).
 */
const SEED = 0x1e_9a_c7;
const RUNS = Number(process.env.CONTRACT_RUNS ?? 0) || undefined;
const GATEWAY = 'http://sandbox.test/gateway.do';

/** Refusals a service gives after the request passed every check (the trade or batch the request names is not in the right state). */
const SERVICE_REFUSALS = new Set(['TRADE_NOT_EXIST', 'TRADE_STATUS_NOT_AVAILD', 'TRADE_NOT_ALLOWED_PAY', 'TRADE_DATA_MATCH_ERROR', 'BATCH_NO_EXIST']);

// --- Generated inputs -------------------------------------------------------------------------

/** Characters every charset here can carry, Chinese (GBK-encodable) included, and the ones URL and form encoding must escape. */
const TEXT_CHARS = [...'abcXYZ019 -_.,:;!()《》—“”测试商品茶叶书红楼梦上海浦东新区&=?%+/#@'];
const PLAIN_CHARS = [...'abcdefXYZ0123456789'];

/** Text of at most `max` documented bytes (Chinese counts 2), not blank. */
const text = (max: number, chars: string[] = TEXT_CHARS) =>
  fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: Math.floor(max / 2) }).map((cs) => cs.join('')).filter((s) => s.trim() !== '');

const plain = (min: number, max: number) => fc.array(fc.constantFrom(...PLAIN_CHARS), { minLength: min, maxLength: max }).map((cs) => cs.join(''));
const digits = (min: number, max: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((cs) => cs.join(''));

/** An amount in yuan written as merchants write them: `12.30`, `12.3` or `12`. */
const amount = (minFen: number, maxFen: number) =>
  fc.tuple(fc.integer({ min: minFen, max: maxFen }), fc.constantFrom('fixed', 'short')).map(([fen, style]) => {
    const yuan = fromFen(fen);
    return style === 'fixed' ? yuan : yuan.replace(/\.?0+$/, '') || '0';
  });

const itBPay = fc.oneof(
  fc.constant('1c'),
  fc.integer({ min: 1, max: 21_600 }).map((n) => `${n}m`),
  fc.integer({ min: 1, max: 360 }).map((n) => `${n}h`),
  fc.integer({ min: 1, max: 15 }).map((n) => `${n}d`),
);
/** Custom timeouts in days: whole or with one or two decimals (protocol.md §4.2). */
const days = fc.oneof(
  fc.integer({ min: 1, max: 999 }).map(String),
  fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1, max: 9 })).map(([d, t]) => `${d}.${t}`),
  fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1, max: 99 })).map(([d, h]) => `${d}.${String(h).padStart(2, '0')}`),
);
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.'));
const url = fc.constantFrom('http://127.0.0.1:9/return', 'https://shop.example.com/alipay/return', 'http://shop.test/商品/页');
const tradeNo = digits(16, 64);

let serial = 0;
/** A fresh merchant order number: the same one twice would be the same trade (decisions.md §15). */
const outTradeNo = plain(1, 40).map((tail) => `C${++serial}-${tail}`.slice(0, 64));

const optional = <T,>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

const common = fc.record({
  out_trade_no: outTradeNo,
  subject: text(256),
  body: optional(text(400)),
  show_url: optional(url),
  extra_common_param: optional(text(100).filter((s) => !/[=&]/.test(s))),
  it_b_pay: optional(itBPay),
  exter_invoke_ip: optional(ipv4),
  buyer_email: optional(fc.constantFrom('someone@example.com', '13800138000')),
});

const directPayInput: fc.Arbitrary<DirectPayInput> = fc
  .tuple(
    common,
    fc.oneof(
      amount(1, DIRECT_PAY_MAX_FEN).map((total_fee) => ({ total_fee })),
      fc.integer({ min: 1, max: 5 }).chain((quantity) => amount(1, Math.floor(DIRECT_PAY_MAX_FEN / quantity)).map((price) => ({ price, quantity }))),
    ),
  )
  .map(([base, fee]) => defined({ ...base, ...fee }));

const logisticsGroups = fc
  .shuffledSubarray([...LOGISTICS_TYPES], { minLength: 1, maxLength: 3 })
  .chain((types) =>
    fc.tuple(...types.map((type) => fc.record({ type: fc.constant(type), fee: amount(0, 100_00), payment: fc.constantFrom(...LOGISTICS_PAYMENTS) }))),
  );

const escrowInput: fc.Arbitrary<EscrowInput> = fc
  .tuple(
    common,
    fc.integer({ min: 1, max: 3 }),
    logisticsGroups,
    fc.record({
      discount: optional(amount(0, 500).map((d) => (d === '0' || d === '0.00' ? d : `-${d}`))),
      total_fee: optional(amount(1, ESCROW_MAX_FEN)),
      receive: optional(fc.record({ receive_name: text(128), receive_address: text(256), receive_zip: optional(digits(6, 6)), receive_phone: optional(fc.constant('0571-88158090')), receive_mobile: optional(digits(11, 11)) })),
      t_s_send_1: optional(days),
      t_s_send_2: optional(days),
      t_b_rec_post: optional(days),
    }),
  )
  .chain(([base, quantity, groups, extra]) =>
    // price × quantity stays within the escrow limit and above any discount (protocol.md §4.2).
    amount(1_000, Math.floor(ESCROW_MAX_FEN / quantity)).map((price) => {
      const input: Record<string, unknown> = { ...base, price, quantity, ...extra.receive, ...extra, receive: undefined };
      groups.forEach((group, i) => {
        const suffix = i === 0 ? '' : `_${i}`;
        input[`logistics_type${suffix}`] = group.type;
        input[`logistics_fee${suffix}`] = group.fee;
        input[`logistics_payment${suffix}`] = group.payment;
      });
      return defined(input) as unknown as EscrowInput;
    }),
  );

const refundItems = fc.uniqueArray(
  fc.record({ trade_no: tradeNo, amount: amount(1, 1_000_000_00), reason: optional(text(100).filter((s) => !/[\^$|#]/.test(s))) }),
  { minLength: 1, maxLength: 5, selector: (item) => item.trade_no },
);

/** One call of an SDK builder: a page request to send to the sandbox, or a server call the sandbox already answered. */
type Call = { service: ServiceName; run: (config: ResolvedConfig) => Promise<PageRequest | 'answered'> };

/** A generator of builder calls per service: the compiler wants one for every service of the SDK. */
const CALLS: { [S in ServiceName]: fc.Arbitrary<(config: ResolvedConfig) => Promise<PageRequest | 'answered'>> } = {
  create_direct_pay_by_user: directPayInput.map((input) => (c) => createDirectPayByUser(c, input)),
  create_partner_trade_by_buyer: escrowInput.map((input) => (c) => createPartnerTradeByBuyer(c, input)),
  trade_create_by_buyer: escrowInput.map((input) => (c) => tradeCreateByBuyer(c, input)),
  'alipay.auth.authorize': fc.record({ return_url: url, exter_invoke_ip: optional(ipv4) }).map((input) => (c) => authorize(c, defined(input))),
  'user.logistics.address.query': fc.record({ token: plain(40, 40), return_url: url }).map((input) => (c) => queryAddress(c, input)),
  refund_fastpay_by_platform_pwd: refundItems.map((items) => (c) => refundFastpayByPlatformPwd(c, { detail_data: items.map((i) => defined(i)) })),
  send_goods_confirm_by_platform: fc
    .record({ trade_no: tradeNo, logistics_name: text(64), invoice_no: optional(plain(1, 32)), transport_type: fc.constantFrom('POST', 'EXPRESS', 'EMS', 'DIRECT') })
    .map((input) => (c) => answered(sendGoodsConfirmByPlatform(c, defined(input)))),
  single_trade_query: fc
    .oneof(tradeNo.map((trade_no) => ({ trade_no })), outTradeNo.map((out_trade_no) => ({ out_trade_no })))
    .map((input) => (c) => answered(singleTradeQuery(c, input))),
  close_trade: fc
    .tuple(fc.oneof(tradeNo.map((trade_no) => ({ trade_no })), outTradeNo.map((out_order_no) => ({ out_order_no }))), optional(fc.constantFrom('B', 'S')))
    .map(([input, role]) => (c) => answered(closeTrade(c, role ? { ...input, trade_role: role } : input))),
  query_timestamp: fc.constant((c) => answered(queryTimestamp(c))),
  notify_verify: fc
    .oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 34, maxLength: 34 }), fc.constant('RqPnCoPT3K9%2Fvwbh3In'))
    .map((notifyId) => (c) => answered(checkNotifyId(c, notifyId))),
};

const calls: fc.Arbitrary<Call> = fc.oneof(
  ...(Object.keys(CALLS) as ServiceName[]).map((service) => CALLS[service].map((run): Call => ({ service, run }))),
);

/** A server call the sandbox answered: with a result, or with a refusal of the service itself, not of the request. */
async function answered(call: Promise<unknown>): Promise<'answered'> {
  try {
    await call;
  } catch (error) {
    if (error instanceof GatewayError && SERVICE_REFUSALS.has(error.code)) return 'answered';
    // notify_verify's own words: an unknown notify_id is "false", not a refusal of the request.
    if (error instanceof Error && 'reason' in error && error.reason === 'notify_verify_false') return 'answered';
    throw error;
  }
  return 'answered';
}

const settings = fc.record({
  charset: fc.constantFrom<Charset>('utf-8', 'gbk'),
  signType: fc.constantFrom<SignType>('MD5', 'RSA'),
  antiPhishing: fc.boolean(),
  /** A page request goes as a GET link or as the auto-submitted POST form. */
  via: fc.constantFrom('link', 'form'),
});
type Settings = typeof settings extends fc.Arbitrary<infer S> ? S : never;

// --- How the sandbox answered -------------------------------------------------------------------

type Verdict = { accepted: true } | { accepted: false; code: string; status: number };

async function verdictOf(res: Response, service: string): Promise<Verdict> {
  const body = await res.text();
  expect(res.status, `5xx for ${service}: ${body.slice(0, 300)}`).toBeLessThan(500);
  if (res.status === 303) return { accepted: true };
  const code = pageErrorCode(body) ?? xmlErrorCode(body);
  if (code === undefined || SERVICE_REFUSALS.has(code)) return { accepted: true };
  return { accepted: false, code, status: res.status };
}

function sendPage(sb: TestSandbox, request: PageRequest, via: string): Promise<Response> {
  if (via === 'link') return Promise.resolve(sb.app.request(request.url));
  const charset = request.params._input_charset as Charset;
  return Promise.resolve(
    sb.app.request(request.action, {
      method: 'POST',
      headers: { 'content-type': `application/x-www-form-urlencoded; charset=${charset}` },
      body: new Uint8Array(Buffer.from(encodeForm(request.params, charset), 'latin1')),
    }),
  );
}

forEachDialect('the SDK and the sandbox agree on every request', (dialect) => {
  let sb: TestSandbox;
  let antiPhishing = false;
  beforeAll(async () => {
    sb = await openSandbox(dialect);
  });
  afterAll(async () => {
    await sb.close();
  });

  const runs = RUNS ?? (dialect === 'postgres' ? 40 : 150);

  function configFor(s: Settings): ResolvedConfig {
    return resolveConfig({
      partner: PARTNER,
      signType: s.signType,
      ...(s.signType === 'RSA' ? { privateKey: MERCHANT_RSA_PRIVATE_KEY } : { key: KEY }),
      sellerEmail: SELLER_EMAIL,
      charset: s.charset,
      gateway: GATEWAY,
      notifyUrl: 'http://127.0.0.1:9/notify',
      returnUrl: 'http://127.0.0.1:9/return',
      antiPhishing: s.antiPhishing,
      clock: { now: () => sb.deps.clock.now() },
      fetch: (async (input: string | URL | Request, init?: RequestInit) =>
        sb.app.request(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, init)) as typeof fetch,
    });
  }

  async function useSettings(s: Settings): Promise<void> {
    if (s.antiPhishing === antiPhishing) return;
    await updateMerchantSettings(sb.deps, PARTNER, { antiPhishing: s.antiPhishing });
    antiPhishing = s.antiPhishing;
  }

  it('accepts whatever the SDK builds, for every service, and charges what the SDK computes', async () => {
    await fc.assert(
      fc.asyncProperty(calls, settings, async (call, s) => {
        await useSettings(s);
        const result = await call.run(configFor(s));
        if (result === 'answered') return;
        expect(SERVICES[call.service].kind).toBe('page');
        const verdict = await verdictOf(await sendPage(sb, result, s.via), call.service);
        expect(verdict, `${call.service} ${JSON.stringify(result.params)}`).toEqual({ accepted: true });
        const outTradeNo = result.params.out_trade_no;
        if (outTradeNo !== undefined && call.service !== 'refund_fastpay_by_platform_pwd') {
          const trade = await findTrade(sb.deps, { partner: PARTNER, outTradeNo });
          expect(trade?.totalFeeFen).toBe(tradeTotalFen(result.params));
        }
      }),
      { seed: SEED, numRuns: runs },
    );
  });

  it('accepts a request only when it passes the SDK’s validateServiceRequest', async () => {
    // Requests one edit away from valid ones: a parameter dropped, emptied, or given another value.
    const pageCall = calls.filter((c) => SERVICES[c.service].kind === 'page');
    const oddValues = fc.constantFrom('', ' ', '0', '-1', '1.001', '0.00', 'abc', 'EXPRESS', 'B', '1c', '16d', '7.5', '2088000000000000', 'x'.repeat(300), '测试');
    const edit = fc.record({ pick: fc.nat(), kind: fc.constantFrom('drop', 'replace'), value: oddValues });
    await fc.assert(
      fc.asyncProperty(pageCall, settings, edit, async (call, s, change) => {
        await useSettings({ ...s, antiPhishing: false });
        const config = configFor({ ...s, antiPhishing: false });
        const built = await call.run(config);
        if (built === 'answered') return;
        const params: Record<string, string> = { ...built.params };
        delete params.sign;
        delete params.sign_type;
        const names = Object.keys(params).filter((n) => n !== 'service' && n !== 'partner' && n !== '_input_charset');
        const name = names[change.pick % names.length]!;
        if (change.kind === 'drop') delete params[name];
        else params[name] = change.value;
        const signed = signParams(config, params);
        const request: PageRequest = { ...built, params: signed, url: `${GATEWAY}?${encodeForm(signed, config.charset)}` };
        const verdict = await verdictOf(await sendPage(sb, request, s.via), call.service);
        if (!verdict.accepted) return;
        const received = parseForm(encodeForm(params, config.charset), config.charset);
        expect(() => validateServiceRequest(received, { now: sb.deps.clock.now() }), `${call.service} accepted with ${name}=${JSON.stringify(params[name])}`).not.toThrow();
      }),
      { seed: SEED + 1, numRuns: runs },
    );
  });

  it('opens an escrow trade whose t_b_rec_post has decimals, as the SDK allows (7.5 days)', async () => {
    const config = configFor({ charset: 'utf-8', signType: 'MD5', antiPhishing: false, via: 'link' });
    await useSettings({ charset: 'utf-8', signType: 'MD5', antiPhishing: false, via: 'link' });
    const request = await createPartnerTradeByBuyer(config, {
      out_trade_no: `C-rec-post-${Date.now()}`,
      subject: '平邮',
      price: '1.00',
      quantity: 1,
      logistics_type: 'POST',
      logistics_fee: '0',
      logistics_payment: 'SELLER_PAY',
      t_b_rec_post: '7.5',
    });
    const res = await sb.app.request(request.url);
    expect(res.status).toBe(303);
    const trade = await findTrade(sb.deps, { partner: PARTNER, outTradeNo: request.params.out_trade_no! });
    expect(trade?.tBRecPostMs).toBe(7.5 * 86_400_000);
  });
});
