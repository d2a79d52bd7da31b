import { formatAlipayTime, fromFen, type Charset, type SignType } from 'alipay-legacy';
import { encodeComponent, encodeText, sign } from 'alipay-legacy/protocol';
import fc from 'fast-check';
import type { Hono } from 'hono';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AppEnv } from '../../src/routes/web-context.js';
import { SEED_BUYERS } from '../../src/seed.js';
import { MERCHANT_RSA_PRIVATE_KEY } from '../../src/seed-keys.js';
import { listMerchants } from '../../src/services/index.js';
import { forEachDialect } from '../helpers/dialects.js';
import { KEY, PARTNER, SELLER_EMAIL, directPayParams, escrowParams, pageErrorCode, xmlErrorCode } from '../helpers/gateway-client.js';
import { API_CODES, GATEWAY_CODES } from '../helpers/gateway-codes.js';
import { openSandbox, type TestSandbox } from '../helpers/sandbox-fixture.js';
import { snapshot } from '../helpers/state-snapshot.js';

/**
 * Property-based fuzzing of `/gateway.do`, `/trade/notify_query.do` and `/sandbox/api` in process:
 * malformed and hostile requests never get a 5xx, a refused request changes
 * no stored row (trades, events, notifications, attempts, notify_ids, refunds, tokens, keys,
 * merchants, balances, clock), and the answer carries the right code — exactly the expected one for
 * a request built with exactly one defect.
 *
 * Fixed seed, ~200 runs per property on SQLite (FUZZ_RUNS overrides; fewer on PostgreSQL, where a
 * state snapshot costs a dozen round trips).
 */
const SEED = 0x5a_1d_b0_c5;
const RUNS_SQLITE = Number(process.env.FUZZ_RUNS ?? 200);
const RUNS_PG = Number(process.env.FUZZ_RUNS ?? 60);

const PAGE_SERVICES = ['create_direct_pay_by_user', 'create_partner_trade_by_buyer', 'trade_create_by_buyer', 'alipay.auth.authorize', 'user.logistics.address.query', 'refund_fastpay_by_platform_pwd'];
const SERVER_SERVICES = ['send_goods_confirm_by_platform', 'single_trade_query', 'close_trade', 'query_timestamp'];
const SERVICES = [...PAGE_SERVICES, ...SERVER_SERVICES];
const KNOWN_SERVICES = new Set([...SERVICES, 'notify_verify']);
const BUYER = SEED_BUYERS[0]!;
const POOR = SEED_BUYERS[1]!;

// --- What the sandbox answered ------------------------------------------------------------------

type Reply =
  | { kind: 'page'; code: string }
  | { kind: 'xml'; code: string }
  | { kind: 'word'; word: string }
  | { kind: 'success'; status: number; text: string };

/** Classifies a gateway answer; fails the property on a 5xx or an answer of no known shape. */
async function readReply(res: Response): Promise<Reply> {
  const text = await res.text();
  expect(res.status, `5xx answer: ${text.slice(0, 300)}`).toBeLessThan(500);
  const type = res.headers.get('content-type') ?? '';
  if (type.startsWith('text/html')) {
    const code = pageErrorCode(text);
    if (code !== undefined) {
      expect(res.status).toBe(200); // decisions.md §19: the 调试错误 page is a 200
      return { kind: 'page', code };
    }
  }
  if (type.startsWith('text/xml')) {
    const code = xmlErrorCode(text);
    if (code !== undefined) return { kind: 'xml', code };
  }
  if (type.startsWith('text/plain') && ['true', 'false', 'invalid'].includes(text)) return { kind: 'word', word: text };
  return { kind: 'success', status: res.status, text };
}

// --- Building requests on the wire --------------------------------------------------------------

type Transport = 'get' | 'post' | 'post-split';
/** One `name=value` pair exactly as it goes on the wire (already percent-encoded, or deliberately not). */
type RawPair = { name: string; value: string; part: 'query' | 'body' };

interface Wire {
  method: 'GET' | 'POST';
  query: string;
  body?: Uint8Array;
}

function toPairs(params: Record<string, string>, charset: Charset, transport: Transport): RawPair[] {
  const pairs: RawPair[] = [];
  const part = transport === 'get' ? 'query' : 'body';
  if (transport === 'post-split') pairs.push({ name: '_input_charset', value: encodeComponent(params._input_charset ?? charset, 'utf-8'), part: 'query' });
  for (const [name, value] of Object.entries(params)) {
    if (value === '') continue; // encodeForm leaves empties out too
    pairs.push({ name: encodeComponent(name, charset), value: encodeComponent(value, charset), part });
  }
  return pairs;
}

function toWire(pairs: RawPair[], transport: Transport): Wire {
  const join = (part: 'query' | 'body') =>
    pairs
      .filter((p) => p.part === part)
      .map((p) => `${p.name}=${p.value}`)
      .join('&');
  if (transport === 'get') return { method: 'GET', query: join('query') };
  return { method: 'POST', query: join('query'), body: Buffer.from(join('body'), 'latin1') };
}

function send(app: Hono<AppEnv>, path: string, wire: Wire): Promise<Response> {
  const url = wire.query === '' ? path : `${path}?${wire.query}`;
  if (wire.method === 'GET') return Promise.resolve(app.request(url));
  return Promise.resolve(
    app.request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: wire.body ?? new Uint8Array() }),
  );
}

function signParams(params: Record<string, string>, charset: Charset, signType: SignType, key: string = KEY): Record<string, string> {
  const value = signType === 'RSA' ? sign(params, { signType, charset, privateKey: MERCHANT_RSA_PRIVATE_KEY }) : sign(params, { signType, charset, key });
  return { ...params, sign: value, sign_type: signType };
}

// --- Generators ---------------------------------------------------------------------------------

const CHINESE = [...'测试商品中文订单支付宝沙箱担保交易退款'];
/** Text every charset here can carry (so a request built from it is valid in GBK too). */
const safeText = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCXYZ0123456789 -_.'.split(''), ...CHINESE), minLength: min, maxLength: max });
let orderCounter = 0;
/** A merchant order number, unique per generated value (fast-check repeats small strings often). */
const orderNo = fc.string({ unit: fc.constantFrom(...'ABCDEFGHJK0123456789_-'.split('')), minLength: 6, maxLength: 24 }).map((s) => `F${++orderCounter}${s}`);

/** Hostile text: control characters, URL syntax, replacement characters, emoji, lone surrogates, long runs. */
const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('&', '=', '%', '+', '#', '?', ' ', '\u0000', '\r', '\n', '\t', '\ufffd', '😀', '\ud800', '"', '<', '>', "'", '\\', '测'), maxLength: 30 }),
  fc.tuple(fc.constantFrom('a', '测', '%', '\u0000', '😀'), fc.integer({ min: 200, max: 20_000 })).map(([ch, n]) => ch.repeat(n)),
);

/** Bytes no charset promises to decode, as they go on the wire: percent-escaped. */
const garbageBytes = fc.uint8Array({ minLength: 1, maxLength: 40 }).map((bytes) => [...bytes].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));

/** Malformed percent-escapes, and where they go. */
const badEscape = fc.oneof(
  fc.record({ at: fc.constant<'start'>('start'), escape: fc.constantFrom('%G1', '%zz', '%%', '%-1', '%g0', '%Z') }),
  fc.record({ at: fc.constant<'end'>('end'), escape: fc.constantFrom('%', '%4', '%G', '%e', '%%', '%ZZ') }),
);

interface Fixtures {
  /** An unpaid direct-pay trade (close_trade, single_trade_query). */
  unpaidOutTradeNo: string;
  /** A paid escrow trade waiting to be shipped (send_goods_confirm_by_platform). */
  paidEscrowTradeNo: string;
  /** A paid direct-pay trade (refund batches). */
  paidDirectTradeNo: string;
  otherPartners: Set<string>;
  /** A live quick-login token of the default buyer (user.logistics.address.query). */
  token: string;
}

interface BaseRequest {
  service: string;
  charset: Charset;
  signType: SignType | undefined;
  transport: Transport;
  /** Unsigned parameters, `_input_charset` and `partner` included. */
  params: Record<string, string>;
}

/** A valid request of one service (signed unless it is query_timestamp). */
function baseRequest(fx: Fixtures, nowMs: () => number, services: readonly string[] = SERVICES): fc.Arbitrary<BaseRequest> {
  return fc
    .record({
      service: fc.constantFrom(...services),
      charset: fc.constantFrom<Charset>('utf-8', 'gbk', 'gb2312'),
      signType: fc.constantFrom<SignType>('MD5', 'MD5', 'RSA'),
      transport: fc.constantFrom<Transport>('get', 'post', 'post-split'),
      outTradeNo: orderNo,
      subject: safeText(1, 40),
      fen: fc.integer({ min: 1, max: 1_000_000 }),
      logistics: safeText(1, 10),
    })
    .map(({ service, charset, signType, transport, outTradeNo, subject, fen, logistics }) => {
      let params: Record<string, string>;
      switch (service) {
        case 'create_direct_pay_by_user':
          params = directPayParams({ out_trade_no: outTradeNo, subject, total_fee: fromFen(fen) });
          break;
        case 'create_partner_trade_by_buyer':
        case 'trade_create_by_buyer':
          params = escrowParams({ service, out_trade_no: outTradeNo, subject, price: fromFen(fen) });
          break;
        case 'alipay.auth.authorize':
          params = { service, target_service: 'user.auth.quick.login', return_url: 'http://127.0.0.1:9/login-return' };
          break;
        case 'user.logistics.address.query':
          params = { service, return_url: 'http://127.0.0.1:9/address-return', token: fx.token };
          break;
        case 'refund_fastpay_by_platform_pwd': {
          const today = formatAlipayTime(nowMs());
          params = {
            service,
            seller_email: SELLER_EMAIL,
            refund_date: today,
            batch_no: `${today.slice(0, 10).replace(/-/g, '')}${String(fen).padStart(7, '0')}`,
            batch_num: '1',
            detail_data: `${fx.paidDirectTradeNo}^0.01^${subject.replace(/[\^|#$]/g, '')}`,
            notify_url: 'http://127.0.0.1:9/refund-notify',
          };
          break;
        }
        case 'single_trade_query':
          params = { service, out_trade_no: fx.unpaidOutTradeNo };
          break;
        case 'send_goods_confirm_by_platform':
          params = { service, trade_no: fx.paidEscrowTradeNo, logistics_name: logistics, transport_type: 'EXPRESS' };
          break;
        case 'close_trade':
          params = { service, out_order_no: fx.unpaidOutTradeNo };
          break;
        default: // query_timestamp: unsigned
          params = { service };
      }
      return {
        service,
        charset,
        signType: service === 'query_timestamp' ? undefined : signType,
        transport,
        params: { _input_charset: charset, partner: PARTNER, ...params },
      };
    });
}

/** One defect, and the code it must earn. */
type Defect =
  | { kind: 'corrupt-sign'; at: number; ch: string }
  | { kind: 'drop-sign' }
  | { kind: 'wrong-key'; key: string }
  | { kind: 'tamper'; pick: number; value: string }
  | { kind: 'extra'; name: string; value: string }
  | { kind: 'duplicate'; pick: number; value: string; sameValue: boolean; crossPart: boolean }
  | { kind: 'bad-escape'; pick: number; escape: string; at: 'start' | 'end' }
  | { kind: 'unknown-partner'; partner: string }
  | { kind: 'unknown-service'; service: string }
  | { kind: 'bad-sign-type'; value: string }
  | { kind: 'bad-charset'; value: string };

const SIGN_DEFECTS = new Set(['corrupt-sign', 'drop-sign', 'wrong-key', 'tamper', 'extra', 'bad-sign-type']);

const defect: fc.Arbitrary<Defect> = fc.oneof(
  fc.record({ kind: fc.constant('corrupt-sign' as const), at: fc.nat(), ch: fc.constantFrom(...'0123456789abcdefABCXYZ+/xyz'.split('')) }),
  fc.constant({ kind: 'drop-sign' as const }),
  fc.record({ kind: fc.constant('wrong-key' as const), key: fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split('')), minLength: 32, maxLength: 32 }) }),
  fc.record({ kind: fc.constant('tamper' as const), pick: fc.nat(), value: fc.oneof(safeText(1, 30), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), hostileText) }),
  fc.record({ kind: fc.constant('extra' as const), name: fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz_'.split('')), minLength: 1, maxLength: 10 }).map((s) => `x_${s}`), value: safeText(1, 20) }),
  fc.record({ kind: fc.constant('duplicate' as const), pick: fc.nat(), value: safeText(0, 20), sameValue: fc.boolean(), crossPart: fc.boolean() }),
  fc.record({ kind: fc.constant('bad-escape' as const), pick: fc.nat() }).chain((d) => badEscape.map((e) => ({ ...d, ...e }))),
  fc.record({ kind: fc.constant('unknown-partner' as const), partner: fc.stringMatching(/^2088\d{12}$/) }),
  fc.record({ kind: fc.constant('unknown-service' as const), service: fc.oneof(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 30 }), fc.constantFrom('create_direct_pay_by_users', 'CREATE_DIRECT_PAY_BY_USER', 'alipay.auth.authorise', 'single_trade_query ', 'refund_fastpay_by_platform_nopwd')) }),
  fc.record({ kind: fc.constant('bad-sign-type' as const), value: fc.oneof(fc.constantFrom('md5', 'rsa', 'DSA', 'RSA2', 'MD5 ', ' MD5', 'SHA1'), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 })) }),
  fc.record({ kind: fc.constant('bad-charset' as const), value: fc.oneof(fc.constantFrom('latin1', 'big5', 'utf-16', 'ISO-8859-1', 'utf_8', 'gb18030', 'UTF-8;'), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 })) }),
);

const EXPECTED: Record<Defect['kind'], string> = {
  'corrupt-sign': 'ILLEGAL_SIGN',
  'drop-sign': 'ILLEGAL_SIGN',
  'wrong-key': 'ILLEGAL_SIGN',
  tamper: 'ILLEGAL_SIGN',
  extra: 'ILLEGAL_SIGN',
  duplicate: 'ILLEGAL_ARGUMENT',
  'bad-escape': 'ILLEGAL_ARGUMENT',
  'unknown-partner': 'ILLEGAL_PARTNER',
  'unknown-service': 'ILLEGAL_SERVICE',
  'bad-sign-type': 'ILLEGAL_SIGN_TYPE',
  'bad-charset': 'ILLEGAL_CHARSET',
};

/** Names a tamper may not touch: changing them is another defect (charset, service, partner) or the sign itself. */
const UNTAMPERABLE = new Set(['_input_charset', 'service', 'partner', 'sign', 'sign_type']);

/**
 * Applies one defect to a valid request and returns the wire form, or undefined when the defect
 * does not apply to this request (fast-check then skips the run).
 */
function applyDefect(base: BaseRequest, d: Defect, fx: Fixtures): { wire: Wire; touched?: string } | undefined {
  const { charset, transport, signType } = base;
  if (SIGN_DEFECTS.has(d.kind) && !signType) return undefined;
  const params = { ...base.params };
  const finish = (p: Record<string, string>, st: SignType | undefined = signType) => (st ? signParams(p, charset, st) : p);
  switch (d.kind) {
    case 'unknown-partner':
      if (d.partner === PARTNER || fx.otherPartners.has(d.partner)) return undefined;
      params.partner = d.partner;
      return { wire: toWire(toPairs(finish(params), charset, transport), transport) };
    case 'unknown-service':
      if (KNOWN_SERVICES.has(d.service) || d.service.trim() === '') return undefined;
      params.service = d.service;
      return { wire: toWire(toPairs(finish(params), charset, transport), transport) };
    case 'bad-charset': {
      const lower = d.value.trim().toLowerCase();
      if (lower === '' || ['utf-8', 'utf8', 'gbk', 'gb2312'].includes(lower)) return undefined;
      const signed = finish(params);
      const pairs = toPairs({ ...signed, _input_charset: d.value }, charset, transport);
      return { wire: toWire(pairs, transport) };
    }
    case 'bad-sign-type': {
      if (d.value === 'MD5' || d.value === 'RSA') return undefined;
      const signed = finish(params);
      return { wire: toWire(toPairs({ ...signed, sign_type: d.value }, charset, transport), transport) };
    }
    case 'drop-sign': {
      const signed = finish(params);
      delete signed.sign;
      return { wire: toWire(toPairs(signed, charset, transport), transport) };
    }
    case 'wrong-key': {
      if (signType !== 'MD5' || d.key === KEY) return undefined;
      return { wire: toWire(toPairs(signParams(params, charset, 'MD5', d.key), charset, transport), transport) };
    }
    case 'corrupt-sign': {
      const signed = finish(params);
      const s = signed.sign!;
      // Stay clear of base64's last characters, whose low bits a decoder may ignore.
      const at = d.at % Math.max(1, s.length - 4);
      if (s[at]!.toLowerCase() === d.ch.toLowerCase()) return undefined;
      signed.sign = s.slice(0, at) + d.ch + s.slice(at + 1);
      return { wire: toWire(toPairs(signed, charset, transport), transport) };
    }
    case 'tamper': {
      const names = Object.keys(params).filter((n) => !UNTAMPERABLE.has(n));
      if (names.length === 0) return undefined;
      const name = names[d.pick % names.length]!;
      // The new value must differ on the wire (GBK turns what it cannot carry into "?").
      if (Buffer.compare(encodeText(d.value, charset), encodeText(params[name]!, charset)) === 0 || d.value === '') return undefined;
      const signed = finish(params);
      signed[name] = d.value;
      return { wire: toWire(toPairs(signed, charset, transport), transport), touched: name };
    }
    case 'extra': {
      if (d.name in params) return undefined;
      const signed = finish(params);
      signed[d.name] = d.value;
      return { wire: toWire(toPairs(signed, charset, transport), transport) };
    }
    case 'duplicate': {
      const pairs = toPairs(finish(params), charset, transport);
      const original = pairs[d.pick % pairs.length]!;
      const value = d.sameValue ? original.value : encodeComponent(d.value, charset);
      const otherPart = original.part === 'query' ? 'body' : 'query';
      if (d.crossPart && transport !== 'get') {
        if (value === original.value) return undefined; // the same value in URL and body is allowed (the SDKs' _input_charset)
        // A second charset must be one the gateway knows, or the defect would be ILLEGAL_CHARSET instead.
        if (original.name === '_input_charset' && !['utf-8', 'gbk', 'gb2312', 'UTF-8', 'GBK'].includes(d.value)) return undefined;
        // In post-split, _input_charset is already in both parts.
        if (pairs.some((p) => p.part === otherPart && p.name === original.name)) return undefined;
        pairs.push({ name: original.name, value, part: otherPart });
      } else {
        if (original.name === '_input_charset' && !d.sameValue) return undefined;
        pairs.push({ name: original.name, value, part: original.part });
      }
      return { wire: toWire(pairs, transport), touched: decodeURIComponent(original.name) };
    }
    case 'bad-escape': {
      const pairs = toPairs(finish(params), charset, transport);
      const target = pairs[d.pick % pairs.length]!;
      target.value = d.at === 'start' ? d.escape + target.value : target.value + d.escape;
      // The same pair again in the other part would be read first; keep one defect.
      return { wire: toWire(pairs, transport), touched: decodeURIComponent(target.name) };
    }
  }
}

// --- The suite ----------------------------------------------------------------------------------

forEachDialect('gateway.do and the test API under fuzzing', (dialect) => {
  const runs = dialect === 'postgres' ? RUNS_PG : RUNS_SQLITE;
  const options = { seed: SEED, numRuns: runs, endOnFailure: true } as const;
  let sb: TestSandbox;
  let fx: Fixtures;

  async function api(method: string, path: string, body?: unknown) {
    const init: RequestInit = { method, headers: { 'content-type': 'application/json' } };
    if (body !== undefined) init.body = typeof body === 'string' || body instanceof Uint8Array ? (body as string) : JSON.stringify(body);
    return sb.app.request(`/sandbox/api${path}`, init);
  }

  async function openPaid(params: Record<string, string>): Promise<string> {
    const res = await sb.app.request(`/gateway.do?${toWire(toPairs(signParams({ _input_charset: 'utf-8', partner: PARTNER, ...params }, 'utf-8', 'MD5'), 'utf-8', 'get'), 'get').query}`);
    expect(res.status).toBe(303);
    const pay = await api('POST', '/pay', { partner: PARTNER, out_trade_no: params.out_trade_no, buyer: BUYER.login });
    expect(pay.status).toBe(200);
    return ((await pay.json()) as { trade_no: string }).trade_no;
  }

  beforeAll(async () => {
    sb = await openSandbox(dialect);
    const unpaid = directPayParams();
    const res = await sb.app.request(`/gateway.do?${toWire(toPairs(signParams({ _input_charset: 'utf-8', partner: PARTNER, ...unpaid }, 'utf-8', 'MD5'), 'utf-8', 'get'), 'get').query}`);
    expect(res.status).toBe(303);
    fx = {
      unpaidOutTradeNo: unpaid.out_trade_no!,
      paidEscrowTradeNo: await openPaid(escrowParams()),
      paidDirectTradeNo: await openPaid(directPayParams({ total_fee: '50.00' })),
      otherPartners: new Set((await listMerchants(sb.deps)).map((m) => m.partner)),
      token: ((await (await api('POST', '/quick-login', { partner: PARTNER, buyer: BUYER.login })).json()) as { token: string }).token,
    };
  });
  afterAll(async () => {
    await sb?.close();
  });

  /** Sends, reads the reply and checks the refusal left every stored row alone. */
  async function refusedWithoutChange(send: () => Promise<Response>): Promise<Reply> {
    const before = await snapshot(sb.deps);
    const reply = await readReply(await send());
    if (reply.kind === 'page' || reply.kind === 'xml' || reply.kind === 'word') {
      expect(await snapshot(sb.deps)).toEqual(before);
    }
    return reply;
  }

  it('accepts the undamaged requests the defect property starts from (so a refusal is the defect’s doing)', async () => {
    const idempotent = SERVICES.filter((s) => !['close_trade', 'send_goods_confirm_by_platform', 'refund_fastpay_by_platform_pwd'].includes(s));
    await fc.assert(
      fc.asyncProperty(baseRequest(fx, () => sb.deps.clock.now(), idempotent), async (base) => {
        const params = base.signType ? signParams(base.params, base.charset, base.signType) : base.params;
        const res = await send(sb.app, '/gateway.do', toWire(toPairs(params, base.charset, base.transport), base.transport));
        const reply = await readReply(res);
        expect(reply, JSON.stringify(base)).toMatchObject({ kind: 'success' });
        if (reply.kind !== 'success') return;
        if (base.service.startsWith('create_') || base.service === 'trade_create_by_buyer') expect(reply.status).toBe(303);
        else if (SERVER_SERVICES.includes(base.service)) expect(reply.text).toContain('<is_success>T</is_success>');
        else expect(reply.status).toBe(200);
      }),
      { ...options, numRuns: Math.ceil(runs / 2) },
    );
  });

  it('refuses a valid request with exactly one defect with that defect’s code, the right kind of answer, and no change', async () => {
    await fc.assert(
      fc.asyncProperty(baseRequest(fx, () => sb.deps.clock.now()), defect, async (base, d) => {
        const built = applyDefect(base, d, fx);
        fc.pre(built !== undefined);
        const reply = await refusedWithoutChange(() => send(sb.app, '/gateway.do', built!.wire));
        const expectedKind = d.kind === 'unknown-service' ? 'page' : SERVER_SERVICES.includes(base.service) ? 'xml' : 'page';
        expect(reply, `${d.kind} on ${base.service} (${base.transport}, ${base.charset}, ${base.signType ?? 'unsigned'})`).toEqual({
          kind: built!.touched === 'service' ? reply.kind : expectedKind,
          code: EXPECTED[d.kind],
        });
      }),
      options,
    );
  });

  it('answers requests of random parameters, garbage bytes, bad escapes and huge values with a known code and no change', async () => {
    const name = fc.oneof(
      fc.constantFrom('service', 'partner', '_input_charset', 'sign', 'sign_type', 'out_trade_no', 'subject', 'total_fee', 'notify_id', 'trade_no', 'return_url', 'notify_url', 'seller_email', 'price', 'quantity', 'logistics_type', 'body'),
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }).map((s) => encodeURIComponent(s)),
      garbageBytes,
    );
    const value = fc.oneof(
      fc.constantFrom(...SERVICES, 'notify_verify', PARTNER, 'MD5', 'RSA', 'utf-8', 'gbk', 'GB2312', 'latin1', ''),
      hostileText.map((s) => encodeComponent(s.replace(/[\ud800-\udfff]/g, '?'), 'utf-8')),
      garbageBytes,
      badEscape.map((e) => e.escape),
      fc.string({ unit: 'grapheme-ascii', maxLength: 30 }),
    );
    const pair = fc.record({ name, value, inBody: fc.boolean() });
    const request = fc.record({
      method: fc.constantFrom<'GET' | 'POST'>('GET', 'POST'),
      pairs: fc.array(pair, { maxLength: 14 }),
      rawBody: fc.option(fc.uint8Array({ maxLength: 200 }), { freq: 4 }),
      path: fc.constantFrom('/gateway.do', '/gateway.do', '/gateway.do', '/trade/notify_query.do'),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const query = r.pairs.filter((p) => r.method === 'GET' || !p.inBody).map((p) => `${p.name}=${p.value}`).join('&');
        const bodyText = r.pairs.filter((p) => r.method === 'POST' && p.inBody).map((p) => `${p.name}=${p.value}`).join('&');
        const body = r.rawBody ? Buffer.concat([Buffer.from(bodyText, 'latin1'), Buffer.from('&'), Buffer.from(r.rawBody)]) : Buffer.from(bodyText, 'latin1');
        const wire: Wire = r.method === 'GET' ? { method: 'GET', query } : { method: 'POST', query, body };
        const reply = await refusedWithoutChange(() => send(sb.app, r.path, wire));
        if (reply.kind === 'page' || reply.kind === 'xml') expect([...GATEWAY_CODES]).toContain(reply.code);
        if (r.path === '/trade/notify_query.do') expect(reply.kind).toBe('word');
        // Without a valid sign, only the unsigned query_timestamp of the real merchant can succeed.
        if (reply.kind === 'success') expect(reply.text).toContain('<encrypt_key>');
      }),
      options,
    );
  });

  it('refuses multi-megabyte requests (a 2 MB signed subject, a 4 MB body of garbage) with a code and no change', async () => {
    const huge = signParams({ _input_charset: 'utf-8', partner: PARTNER, ...directPayParams({ subject: '测'.repeat(1_000_000) }) }, 'utf-8', 'MD5');
    for (const transport of ['get', 'post'] as const) {
      const reply = await refusedWithoutChange(() => send(sb.app, '/gateway.do', toWire(toPairs(huge, 'utf-8', transport), transport)));
      expect(reply).toEqual({ kind: 'page', code: 'ILLEGAL_ARGUMENT' });
    }
    const garbage = new Uint8Array(4 * 1024 * 1024).map((_, i) => (i * 7919) % 256);
    const reply = await refusedWithoutChange(() => send(sb.app, '/gateway.do', { method: 'POST', query: '', body: garbage }));
    expect(reply.kind).toBe('page');
    expect([...GATEWAY_CODES]).toContain((reply as { code: string }).code);
  });

  it('answers notify_verify with garbage partner and notify_id by the bare word the rules give, at both URLs', async () => {
    const field = fc.oneof(
      fc.constant(undefined),
      fc.constant(''),
      fc.constant(PARTNER),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.stringMatching(/^[0-9a-z]{34}$/),
      hostileText,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record({ partner: field, notifyId: field, url: fc.boolean(), method: fc.constantFrom<'GET' | 'POST'>('GET', 'POST'), charset: fc.constantFrom<Charset>('utf-8', 'gbk'), breakIt: fc.option(badEscape, { freq: 4 }) }),
        async (r) => {
          const params: Record<string, string> = {};
          if (!r.url) params.service = 'notify_verify';
          if (r.partner !== undefined) params.partner = r.partner;
          if (r.notifyId !== undefined) params.notify_id = r.notifyId;
          const transport: Transport = r.method === 'GET' ? 'get' : 'post';
          const pairs = toPairs({ _input_charset: r.charset, ...params }, r.charset, transport);
          if (r.breakIt) pairs.push({ name: 'x', value: r.breakIt.escape, part: transport === 'get' ? 'query' : 'body' });
          const reply = await refusedWithoutChange(() => send(sb.app, r.url ? '/trade/notify_query.do' : '/gateway.do', toWire(pairs, transport)));
          // decisions.md §3: missing/empty partner or notify_id (or a request that cannot be read) is
          // `invalid` (a NUL makes a request unreadable too); anything else that was never armed is
          // `false`. (In GBK, text it cannot carry becomes "?", still non-empty.)
          const missing = !r.partner || !r.notifyId || r.breakIt !== null || `${r.partner}${r.notifyId}`.includes('\u0000');
          expect(reply).toEqual({ kind: 'word', word: missing ? 'invalid' : 'false' });
        },
      ),
      options,
    );
  });

  it('answers requests signed validly over hostile values with a known code, the right kind of answer, and no change when refused', async () => {
    const hostileParam = fc.record({
      name: fc.constantFrom('subject', 'body', 'out_trade_no', 'extra_common_param', 'total_fee', 'price', 'quantity', 'return_url', 'notify_url', 'show_url', 'seller_email', 'buyer_email', 'logistics_name', 'trade_no', 'out_order_no', 'token', 'it_b_pay', 'royalty_parameters', 'detail_data', 'x_custom'),
      value: hostileText,
    });
    await fc.assert(
      fc.asyncProperty(baseRequest(fx, () => sb.deps.clock.now()), fc.array(hostileParam, { minLength: 1, maxLength: 3 }), async (base, hostile) => {
        fc.pre(base.signType !== undefined);
        const params = { ...base.params };
        for (const h of hostile) params[h.name] = h.value;
        const signed = signParams(params, base.charset, base.signType!);
        const reply = await refusedWithoutChange(() => send(sb.app, '/gateway.do', toWire(toPairs(signed, base.charset, base.transport), base.transport)));
        if (reply.kind === 'page' || reply.kind === 'xml') {
          expect([...GATEWAY_CODES]).toContain(reply.code);
          expect(reply.kind).toBe(SERVER_SERVICES.includes(base.service) ? 'xml' : 'page');
        }
      }),
      options,
    );
  });

  it('refuses a validly signed request with exactly one bad parameter value with that value’s code', async () => {
    // Each case: a direct-pay request whose one parameter is replaced, signed correctly.
    const notAnAmount = fc
      .tuple(fc.string({ unit: fc.constantFrom(...'0123456789.'.split('')), maxLength: 6 }), fc.constantFrom(...'abcxyzE元,_ '.split('')), fc.nat())
      .map(([digits, letter, at]) => digits.slice(0, at % (digits.length + 1)) + letter + digits.slice(at % (digits.length + 1)));
    const bad = fc.oneof(
      notAnAmount.map((v) => ({ name: 'total_fee', value: v, code: 'ILLEGAL_FEE_PARAM' })),
      fc.string({ unit: fc.constantFrom('a', 'Z', '测'), minLength: 257, maxLength: 600 }).filter((s) => [...s].reduce((n, c) => n + (c.charCodeAt(0) < 0x80 ? 1 : 2), 0) > 256).map((v) => ({ name: 'subject', value: v, code: 'ILLEGAL_ARGUMENT' })),
      fc.string({ unit: fc.constantFrom(...'ABC0123456789'.split('')), minLength: 65, maxLength: 300 }).map((v) => ({ name: 'out_trade_no', value: v, code: 'ILLEGAL_ARGUMENT' })),
      fc.constantFrom('out_trade_no', 'subject').map((name) => ({ name, value: '', code: 'PARAMTER_IS_NULL' })),
      fc.string({ unit: fc.constantFrom(...'ab=&'.split('')), minLength: 1, maxLength: 20 }).filter((s) => /[=&]/.test(s)).map((v) => ({ name: 'extra_common_param', value: v, code: 'ILLEGAL_ARGUMENT' })),
      fc.constantFrom('ftp://x.test/n', 'http://x.test/n?id=1', 'notify', 'http://', '//x.test/n').map((v) => ({ name: 'notify_url', value: v, code: 'ILLEGAL_ARGUMENT' })),
    );
    await fc.assert(
      fc.asyncProperty(baseRequest(fx, () => sb.deps.clock.now(), ['create_direct_pay_by_user']), bad, async (base, b) => {
        const params = { ...base.params, [b.name]: b.value };
        if (b.value === '') delete params[b.name];
        const signed = signParams(params, base.charset, base.signType!);
        const reply = await refusedWithoutChange(() => send(sb.app, '/gateway.do', toWire(toPairs(signed, base.charset, base.transport), base.transport)));
        expect(reply, `${b.name}=${b.value.slice(0, 40)}`).toEqual({ kind: 'page', code: b.code });
      }),
      options,
    );
  });

  it('answers the test API’s bad JSON, wrong types and unknown trades with a 4xx, its code, and no change', async () => {
    const junkJson = fc
      .oneof(
        fc.string({ unit: 'binary', maxLength: 60 }),
        fc.constantFrom('{', '{"partner":', '[1,2', 'nul', '{"a":1}}', '\u0000', '{"partner":"x",}', "{'a':1}", '1e999999'),
        fc.integer({ min: 1, max: 20_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
      )
      // Not junk: an empty body (read as {}) or a JSON object.
      .filter((s) => {
        if (s.trim() === '') return false;
        try {
          const v: unknown = JSON.parse(s);
          return typeof v !== 'object' || v === null || Array.isArray(v);
        } catch {
          return true;
        }
      });
    const wrongType = fc.oneof(fc.boolean(), fc.array(fc.nat(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.nat(), { maxKeys: 2 }), fc.constant({}));
    const unknownTradeNo = fc.oneof(fc.stringMatching(/^\d{28}$/), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), garbageBytes);
    const action = fc.constantFrom('ship', 'confirm-receipt', 'refund', 'refund/agree', 'refund/refuse', 'refund/goods-returned', 'refund/confirm-goods', 'close');

    type Case = { method: string; path: string; body?: unknown; status: number[]; code: string };
    const cases: fc.Arbitrary<Case> = fc.oneof<fc.Arbitrary<Case>[]>(
      // Bad JSON, or JSON that is not an object, anywhere a body is read.
      fc.tuple(fc.constantFrom('/pay', '/clock/advance', '/faults', '/quick-login', `/merchants/${PARTNER}/settings`), junkJson).map(([path, body]) => ({ method: 'POST', path, body, status: [400], code: 'ILLEGAL_ARGUMENT' })),
      fc.tuple(fc.constantFrom('/pay', '/clock/advance', '/faults'), fc.oneof(fc.array(fc.nat(), { maxLength: 3 }), fc.integer(), fc.constant(null), fc.string({ minLength: 1 }))).map(([path, v]) => ({ method: 'POST', path, body: JSON.stringify(v), status: [400], code: 'ILLEGAL_ARGUMENT' })),
      // Wrong types for the fields the API reads.
      fc.tuple(fc.constantFrom('partner', 'out_trade_no', 'buyer'), wrongType).map(([field, v]) => ({ method: 'POST', path: '/pay', body: { partner: PARTNER, out_trade_no: 'X1', buyer: BUYER.login, [field]: v }, status: [400], code: 'ILLEGAL_ARGUMENT' })),
      fc.oneof(fc.constantFrom('instant ', 'ESCROW', 'both'), fc.constant(3), wrongType).map((method) => ({ method: 'POST', path: '/pay', body: { partner: PARTNER, out_trade_no: fx.unpaidOutTradeNo, buyer: BUYER.login, method }, status: [400], code: 'ILLEGAL_ARGUMENT' })),
      fc.oneof(fc.constant(-1), fc.constant(3), fc.constant(1.5), fc.constant('x'), wrongType).map((logistics) => ({ method: 'POST', path: '/pay', body: { partner: PARTNER, out_trade_no: fx.unpaidOutTradeNo, buyer: BUYER.login, logistics }, status: [400], code: 'ILLEGAL_ARGUMENT' })),
      fc.oneof(fc.constant(-1), fc.constant('10'), fc.constant(Number.MAX_VALUE), fc.constant(null), wrongType).map((seconds) => ({ method: 'POST', path: '/clock/advance', body: { seconds }, status: [400], code: 'ILLEGAL_ARGUMENT' })),
      fc
        .constantFrom(
          ...[
            ...['anti_phishing', 'ip_check', 'advanced_instant', 'self_timeout'].flatMap((f) => ['yes', -5, [1], { a: 1 }, 1].map((v) => ({ [f]: v }))),
            ...['yes', -5, 0, 3651, 1.5, [1]].map((v) => ({ refund_window_days: v })),
            ...['yes', -5, [1], { a: 1 }, ['a', 2]].map((v) => ({ services: v })),
            ...[['DSA'], ['md5'], 'MD5', [1]].map((v) => ({ sign_types: v })),
            ...[-5, [1], { a: 1 }, true].map((v) => ({ rsa_public_key: v })),
          ],
        )
        .map((body) => ({ method: 'POST', path: `/merchants/${PARTNER}/settings`, body, status: [400], code: 'ILLEGAL_ARGUMENT' })),
      fc.oneof(fc.constantFrom('explode', 'DROP', ''), wrongType).map((kind) => ({ method: 'POST', path: '/faults', body: { partner: PARTNER, kind }, status: [400], code: 'ILLEGAL_ARGUMENT' })),
      // Unknown things.
      orderNo.map((no) => ({ method: 'POST', path: '/pay', body: { partner: PARTNER, out_trade_no: `${no}-unknown`, buyer: BUYER.login }, status: [404], code: 'TRADE_NOT_EXIST' })),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map((who) => ({ method: 'POST', path: '/pay', body: { partner: PARTNER, out_trade_no: fx.unpaidOutTradeNo, buyer: `${who}@nobody.test` }, status: [404], code: 'NOT_FOUND' })),
      fc.tuple(unknownTradeNo, action).map(([no, act]) => ({ method: 'POST', path: `/trades/${encodeURIComponent(no)}/${act}`, body: {}, status: [404], code: 'NOT_FOUND' })),
      unknownTradeNo.map((no) => ({ method: 'GET', path: `/trades/${encodeURIComponent(no)}`, status: [404], code: 'NOT_FOUND' })),
      // NUL and other hostile text where the API looks things up (PostgreSQL refuses NUL in text).
      fc.tuple(hostileText.filter((s) => s.includes('\u0000')), fc.constantFrom('buyer', 'out_trade_no')).map(([text, field]) => ({
        method: 'POST',
        path: '/pay',
        body: { partner: PARTNER, out_trade_no: fx.unpaidOutTradeNo, buyer: BUYER.login, [field]: text },
        status: [404],
        code: field === 'buyer' ? 'NOT_FOUND' : 'TRADE_NOT_EXIST',
      })),
      fc.constantFrom('a\u0000b', '\u0000').map((no) => ({ method: 'GET', path: `/trades/${encodeURIComponent(no)}`, status: [404], code: 'NOT_FOUND' })),
      fc.constantFrom('0', '-1', 'abc', '1.5', '9007199254740993', '%ZZ').map((id) => ({ method: 'POST', path: `/notifications/${id}/replay`, status: [400], code: 'ILLEGAL_ARGUMENT' })),
      fc.integer({ min: 1_000_000, max: 2_000_000_000 }).map((id) => ({ method: 'POST', path: `/notifications/${id}/replay`, status: [404], code: 'NOT_FOUND' })),
      fc.stringMatching(/^2088\d{12}$/).filter((p) => p !== PARTNER).map((partner) => ({ method: 'POST', path: '/faults', body: { partner, kind: 'drop' }, status: [404], code: 'ILLEGAL_PARTNER' })),
      // A refused payment leaves the trade as it was: a buyer too poor for an unconfirmed escrow order.
      fc.constant({ method: 'POST', path: '/pay', body: { partner: PARTNER, out_trade_no: 'POOR-ESCROW', buyer: POOR.login }, status: [400], code: 'BALANCE_NOT_ENOUGH' }),
      // Paying a trade that is already paid.
      fc.constant({ method: 'POST', path: '/pay', body: { partner: PARTNER, out_trade_no: 'PAID-DIRECT', buyer: BUYER.login }, status: [409], code: 'TRADE_NOT_ALLOWED_PAY' }),
    );

    // The trades two of the cases name.
    const poor = escrowParams({ out_trade_no: 'POOR-ESCROW', price: '9000.00' });
    const open = await sb.app.request(`/gateway.do?${toWire(toPairs(signParams({ _input_charset: 'utf-8', partner: PARTNER, ...poor }, 'utf-8', 'MD5'), 'utf-8', 'get'), 'get').query}`);
    expect(open.status).toBe(303);
    await openPaid(directPayParams({ out_trade_no: 'PAID-DIRECT' }));

    await fc.assert(
      fc.asyncProperty(cases, async (c) => {
        const before = await snapshot(sb.deps);
        const res = await api(c.method, c.path, c.body);
        const text = await res.text();
        expect(res.status, `${c.method} ${c.path}: ${text.slice(0, 200)}`).toBeLessThan(500);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        const json = JSON.parse(text) as { error?: string };
        expect([...API_CODES]).toContain(json.error);
        expect({ status: res.status, error: json.error }, `${c.method} ${c.path} ${JSON.stringify(c.body)?.slice(0, 120)}`).toEqual({ status: c.status[0], error: c.code });
        expect(await snapshot(sb.deps)).toEqual(before);
      }),
      options,
    );
  });
});
