import { request, type Agent } from 'node:http';
import { connect } from 'node:net';
import { encodeText, sign } from 'alipay-legacy/protocol';
import { signedNotification, signedReturnQuery } from 'alipay-legacy/testing';
import fc from 'fast-check';
import { PRODUCTS, productIn } from '../../apps/shop/src/catalogue.js';
import { directPayParams, escrowParams, pageErrorCode, xmlErrorCode } from '../../packages/sandbox/test/helpers/gateway-client.js';
import { API_CODES, GATEWAY_CODES } from '../../packages/sandbox/test/helpers/gateway-codes.js';
import { SEED_BUYERS, SEED_MERCHANT } from '../../packages/sandbox/src/seed.js';

/**
 * The hostile-input scenario's requests: generated deterministically (fast-check, a fixed seed)
 * over six families — the gateway, notify_verify, the sandbox's test API, its consoles and
 * dashboard, every shop endpoint, and the HTTP protocol itself — each with the answer it must get.
 * None of them may change anything: a request that could succeed (a validly signed payment, a
 * form with the right CSRF token and valid fields) is never generated.
 */
export type Family = 'gateway' | 'notify_verify' | 'api' | 'consoles' | 'shop' | 'protocol';
export const FAMILIES: Family[] = ['gateway', 'notify_verify', 'api', 'consoles', 'shop', 'protocol'];

/** What an answer must be. */
export type Expect =
  /** The 调试错误 page (HTTP 200, decisions §19) or the XML refusal; the exact code when given, else any gateway code. */
  | { kind: 'gateway'; reply: 'page' | 'xml'; code?: string }
  /** notify_verify's bare word; never `true`. */
  | { kind: 'word'; word: 'false' | 'invalid' }
  /** The test API's `{error, message}` with this status and code. */
  | { kind: 'api'; status: number; code: string }
  /** The test API on a hostile GET: its JSON, a 200 or a refusal of a known code. */
  | { kind: 'api-read' }
  /** One of these statuses; `marker` must be in the body when given. */
  | { kind: 'status'; status: number[]; marker?: string }
  /** The shop's notify_url: exactly `fail` with this status. */
  | { kind: 'fail'; status: number };

export interface HostileRequest {
  family: Family;
  /** A short name of the case, for the figures and failure messages. */
  case: string;
  target: 'sandbox' | 'shop';
  method: string;
  /** Path and query exactly as they go on the wire (ASCII). */
  path: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /** Bytes written as they are on a fresh socket, for what an HTTP client refuses to send. */
  raw?: Buffer;
  /** A body sent after `raw` in pieces, declared (`raw` says its length) or chunked. */
  upload?: { body: Buffer; chunked: boolean };
  expect: Expect;
  /** The shop logs it as a refused message (notify_url and the return URLs log every refusal). */
  logged?: boolean;
}

/** The state the requests aim at (and must leave alone). */
export interface Targets {
  sandboxHost: string;
  /** Orders paid at the sandbox: their out_trade_no and trade_no. */
  paid: { outTradeNo: string; tradeNo: string }[];
  /** An escrow trade opened at the gateway and left unpaid. */
  unpaidEscrow: { outTradeNo: string; tradeNo: string };
  /** notify_ids already used (the deliveries the shop acknowledged). */
  usedNotifyIds: string[];
  /** A return's notify_id nobody verified yet: sent only with a wrong partner or altered. */
  unusedNotifyId: string;
  notificationIds: number[];
  /** A sandbox browser: its CSRF cookie, the seller's and the buyer's login cookies, and its form token. */
  console: { cookie: string; csrf: string };
  /** The form token of another sandbox browser (valid, but not for `console`'s cookie). */
  otherCsrf: string;
  /** A shop browser with an empty cart, logged in nowhere: its cookie and its form token. */
  shopSession: { cookie: string; csrf: string };
}

// --- Hostile text --------------------------------------------------------------------------------

/** Injection strings: SQL, markup, paths, CRLF, format strings, prototype names, emoji, RTL marks. */
export const INJECTIONS = [
  "' OR 1=1--",
  "1'; DROP TABLE trades; --",
  '" OR ""="',
  "admin'/*",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '\r\nSet-Cookie: evil=1',
  '%0d%0aLocation: http://evil.test',
  '${7*7}{{7*7}}<%= 7*7 %>',
  '%s%s%s%n%x',
  '__proto__',
  'constructor',
  '😀🚀𠀀',
  '\u202egnp.exe',
  '测试\ufffd订单',
  '\ud83d',
  'null',
  '-1',
  '9'.repeat(40),
  ' ',
];
const NUL_TEXT = ['a\u0000b', '\u0000', 'ok\u0000; DROP TABLE orders'];
const BAD_ESCAPES = ['%', '%zz', '%G1', '%%', '%4', '%-1', '%Z'];

/** Every byte of the UTF-8 (or GBK) form of `text` outside the unreserved set, percent-escaped. */
export function pct(text: string, charset: 'utf-8' | 'gbk' = 'utf-8'): string {
  const bytes = charset === 'utf-8' ? Buffer.from(text, 'utf8') : Buffer.from(encodeText(text, 'gbk'));
  let out = '';
  for (const b of bytes) {
    const ch = String.fromCharCode(b);
    out += /[A-Za-z0-9\-_.*]/.test(ch) ? ch : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The bytes a percent-encoded form part stands for (a malformed escape stays as it is). */
function unpct(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '%' && /^[0-9a-f]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(text.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

function form(pairs: [string, string][], charset: 'utf-8' | 'gbk' = 'utf-8'): string {
  return pairs.map(([n, v]) => `${pct(n, charset)}=${pct(v, charset)}`).join('&');
}

const injection = fc.constantFrom(...INJECTIONS);
const hostile = fc.oneof(
  { weight: 6, arbitrary: injection },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('a', '测', '😀', "'"), fc.integer({ min: 300, max: 2000 })).map(([c, n]) => c.repeat(n)) },
);
/** Hostile text with no NUL, which every reader refuses before anything else. */
const hostileNoNul = hostile.filter((s) => !s.includes('\u0000'));
const randomDigits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: n, maxLength: n });
const alnum = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'.split(''));

// --- Family 1: /gateway.do ------------------------------------------------------------------------

const PAGE_SERVICES = ['create_direct_pay_by_user', 'create_partner_trade_by_buyer', 'trade_create_by_buyer', 'alipay.auth.authorize', 'user.logistics.address.query', 'refund_fastpay_by_platform_pwd'];
const SERVER_SERVICES = ['send_goods_confirm_by_platform', 'single_trade_query', 'close_trade'];
const KNOWN_SERVICES = new Set([...PAGE_SERVICES, ...SERVER_SERVICES, 'query_timestamp', 'notify_verify']);

/** A valid request of the service against the protected state (it would act on it if it got through). */
function baseParams(service: string, t: Targets, i: number): Record<string, string> {
  const common = { _input_charset: 'utf-8', partner: SEED_MERCHANT.partner };
  const paid = t.paid[i % t.paid.length]!;
  switch (service) {
    case 'create_direct_pay_by_user':
      return { ...common, ...directPayParams({ out_trade_no: paid.outTradeNo, subject: '恶意请求测试', total_fee: '0.01' }) };
    case 'create_partner_trade_by_buyer':
    case 'trade_create_by_buyer':
      return { ...common, ...escrowParams({ service, out_trade_no: t.unpaidEscrow.outTradeNo }) };
    case 'alipay.auth.authorize':
      return { ...common, service, target_service: 'user.auth.quick.login', return_url: 'http://127.0.0.1:9/login-return' };
    case 'user.logistics.address.query':
      return { ...common, service, return_url: 'http://127.0.0.1:9/address-return', token: '20261203abcdef' };
    case 'refund_fastpay_by_platform_pwd':
      return {
        ...common,
        service,
        seller_email: SEED_MERCHANT.sellerEmail,
        refund_date: '2026-12-03 10:00:00',
        batch_no: `20261203${String(1000 + (i % 9000))}`,
        batch_num: '1',
        detail_data: `${paid.tradeNo}^0.01^hostile`,
        notify_url: 'http://127.0.0.1:9/refund-notify',
      };
    case 'single_trade_query':
      return { ...common, service, out_trade_no: paid.outTradeNo };
    case 'send_goods_confirm_by_platform':
      return { ...common, service, trade_no: t.unpaidEscrow.tradeNo, logistics_name: '顺丰', transport_type: 'EXPRESS' };
    default: // close_trade
      return { ...common, service, out_order_no: t.unpaidEscrow.outTradeNo };
  }
}

function signed(params: Record<string, string>, signType: 'MD5' | 'RSA' = 'MD5', key: string = SEED_MERCHANT.key): Record<string, string> {
  const charset = params._input_charset === 'gbk' ? 'gbk' : 'utf-8';
  const value = signType === 'RSA' ? 'A'.repeat(172) : sign(params, { signType, charset, key });
  return { ...params, sign: value, sign_type: signType };
}

type Pairs = [string, string][];
const WRONG_KEY = [...SEED_MERCHANT.key].reverse().join('');

/** A defect, applied to a signed request's pairs: the pairs to send and the code the defect earns (undefined: any gateway code). */
type Defect = (pairs: Pairs, value: string, pick: number) => { pairs: Pairs; code?: string; raw?: { name: string; value: string } };

const set = (pairs: Pairs, name: string, value: string | undefined): Pairs => {
  const out = pairs.filter(([n]) => n !== name);
  if (value !== undefined) out.push([name, value]);
  return out;
};
const UNTOUCHED = new Set(['_input_charset', 'service', 'partner', 'sign', 'sign_type']);

const DEFECTS: Record<string, Defect> = {
  // The check order (gateway/check-request.ts): charset, the form's reading (escapes, repeats,
  // NUL), service, partner, sign_type, sign, then the service's own rules.
  'no-sign': (p) => ({ pairs: set(p, 'sign', undefined), code: 'ILLEGAL_SIGN' }),
  'no-sign-no-type': (p) => ({ pairs: set(set(p, 'sign', undefined), 'sign_type', undefined), code: 'ILLEGAL_SIGN_TYPE' }),
  'wrong-key': (p) => {
    const params = Object.fromEntries(p.filter(([n]) => n !== 'sign' && n !== 'sign_type'));
    return { pairs: Object.entries(signed(params, 'MD5', WRONG_KEY)), code: 'ILLEGAL_SIGN' };
  },
  'sign-injected': (p, v) => ({ pairs: set(p, 'sign', v), code: v.includes('\u0000') ? 'ILLEGAL_ARGUMENT' : 'ILLEGAL_SIGN' }),
  'tampered-value': (p, v, pick) => {
    const names = p.map(([n]) => n).filter((n) => !UNTOUCHED.has(n));
    const name = names[pick % names.length]!;
    return { pairs: p.map(([n, old]) => [n, n === name ? v : old]), code: v.includes('\u0000') ? 'ILLEGAL_ARGUMENT' : 'ILLEGAL_SIGN' };
  },
  'extra-param': (p, v, pick) => ({ pairs: [...p, [['x_note', '__proto__', 'constructor', "x'--", '<b>'][pick % 5]!, v]], code: v.includes('\u0000') ? 'ILLEGAL_ARGUMENT' : 'ILLEGAL_SIGN' }),
  'unknown-service': (p, v) => ({ pairs: set(p, 'service', v), code: v.includes('\u0000') ? 'ILLEGAL_ARGUMENT' : 'ILLEGAL_SERVICE' }),
  'no-service': (p) => ({ pairs: set(p, 'service', undefined), code: 'ILLEGAL_SERVICE' }),
  'unknown-partner': (p, v) => ({ pairs: set(p, 'partner', v), code: v.includes('\u0000') ? 'ILLEGAL_ARGUMENT' : 'ILLEGAL_PARTNER' }),
  'no-partner': (p) => ({ pairs: set(p, 'partner', undefined), code: 'ILLEGAL_PARTNER' }),
  'bad-sign-type': (p, v) => ({ pairs: set(p, 'sign_type', v), code: v.includes('\u0000') ? 'ILLEGAL_ARGUMENT' : 'ILLEGAL_SIGN_TYPE' }),
  'bad-charset': (p, v) => ({ pairs: set(p, '_input_charset', v), code: 'ILLEGAL_CHARSET' }),
  'nul': (p, v, pick) => {
    const name = p[pick % p.length]![0];
    // The charset is read before the form is (a NUL in it makes it an unknown charset).
    return { pairs: p.map(([n, old]) => [n, n === name ? `${old}${v}` : old]), code: name === '_input_charset' ? 'ILLEGAL_CHARSET' : 'ILLEGAL_ARGUMENT' };
  },
  'duplicate': (p, v, pick) => {
    const [name, old] = p[pick % p.length]!;
    return { pairs: [...p, [name, pick % 2 === 0 ? old : v]], code: 'ILLEGAL_ARGUMENT' };
  },
  // Raw defects: percent-encoding the form reader refuses, or bytes of another charset than declared.
  'bad-escape': (p, v, pick) => ({ pairs: p, raw: { name: p[pick % p.length]![0], value: v }, code: 'ILLEGAL_ARGUMENT' }),
  'truncated-utf8': (p, _v, pick) => ({ pairs: p, raw: { name: signedName(p, pick), value: '%E4%B8' } }),
  'gbk-as-utf8': (p, _v, pick) => ({ pairs: p, raw: { name: signedName(p, pick), value: pct('测试商品', 'gbk') } }),
};
/** One of the parameters the sign covers, other than those whose change is a defect of its own. */
function signedName(pairs: Pairs, pick: number): string {
  const names = pairs.map(([n]) => n).filter((n) => !UNTOUCHED.has(n));
  return names[pick % names.length]!;
}
const CHARSET_VALUES = ['latin1', 'big5', 'utf-16', 'ISO-8859-1', 'utf_8', 'gb18030', 'UTF-8;', 'xxx', "utf-8' OR 1=1--", '<script>', '../../etc/passwd', '😀'];
const SIGN_TYPE_VALUES = ['md5', 'rsa', 'DSA', 'RSA2', 'MD5 ', ' MD5', 'SHA1', "MD5' OR 1=1--", '<script>', ''];

function gatewayArb(t: Targets): fc.Arbitrary<HostileRequest> {
  return fc
    .record({
      service: fc.constantFrom(...PAGE_SERVICES, ...SERVER_SERVICES),
      defect: fc.constantFrom(...Object.keys(DEFECTS)),
      value: hostile,
      nul: fc.constantFrom(...NUL_TEXT),
      escape: fc.constantFrom(...BAD_ESCAPES),
      charsetValue: fc.constantFrom(...CHARSET_VALUES),
      signTypeValue: fc.constantFrom(...SIGN_TYPE_VALUES),
      pick: fc.nat(),
      i: fc.nat(),
      transport: fc.constantFrom('get', 'get', 'post', 'post-multipart'),
      gbk: fc.boolean(),
      rsa: fc.integer({ min: 0, max: 4 }),
      contentTypeCharset: fc.constantFrom('', '; charset=utf-8', '; charset=xxx', '; charset=gbk', ';;;charset'),
    })
    .map((r) => {
      let params = baseParams(r.service, t, r.i);
      if (r.gbk && r.defect !== 'gbk-as-utf8') params = { ...params, _input_charset: 'gbk' };
      const base = Object.entries(signed(params, r.rsa === 0 ? 'RSA' : 'MD5')) as Pairs;
      let value = r.value;
      if (r.defect === 'nul') value = r.nul;
      else if (r.defect === 'bad-escape') value = r.escape;
      else if (r.defect === 'bad-charset') value = r.charsetValue;
      else if (r.defect === 'bad-sign-type') value = r.signTypeValue;
      else if (r.defect === 'unknown-service' && (KNOWN_SERVICES.has(value) || value.trim() === '')) value = `${value}x`;
      else if (r.defect === 'unknown-partner' && value === '') value = 'x';
      else if (r.defect === 'tampered-value' || r.defect === 'sign-injected' || r.defect === 'extra-param') value = value === '' ? "'" : value;
      const applied = DEFECTS[r.defect]!(base, value, r.pick);
      const charset = applied.pairs.find(([n]) => n === '_input_charset')?.[1] === 'gbk' ? 'gbk' : 'utf-8';
      const parts = applied.pairs.map(([n, v]) => `${pct(n, charset)}=${pct(v, charset)}`);
      if (applied.raw) {
        const at = applied.pairs.findIndex(([n]) => n === applied.raw!.name);
        parts[at] = `${pct(applied.raw.name, charset)}=${r.defect === 'bad-escape' ? parts[at]!.split('=')[1] + applied.raw.value : applied.raw.value}`;
      }
      // A GET's URL stays under Node's 16 KB header limit (longer ones are the protocol family's).
      const transport = parts.join('&').length > 12_000 ? 'post' : r.transport;
      // The kind of answer follows the service as sent (a broken service name is no server call).
      const reply = SERVER_SERVICES.includes(applied.pairs.find(([n]) => n === 'service')?.[1] ?? '') && applied.raw?.name !== 'service' ? 'xml' : 'page';
      const expect: Expect = { kind: 'gateway', reply, ...(applied.code ? { code: applied.code } : {}) };
      const name = `${r.defect} ${transport}`;
      if (transport === 'get') return { family: 'gateway', case: name, target: 'sandbox', method: 'GET', path: `/gateway.do?${parts.join('&')}`, expect } satisfies HostileRequest;
      if (transport === 'post') {
        const declared = applied.pairs.find(([n]) => n === '_input_charset')?.[1];
        return {
          family: 'gateway',
          case: name,
          target: 'sandbox',
          method: 'POST',
          // The official kits repeat the charset in the URL (protocol.md §1.3).
          path: declared === undefined ? '/gateway.do' : `/gateway.do?_input_charset=${pct(declared)}`,
          headers: { 'content-type': `application/x-www-form-urlencoded${r.contentTypeCharset}` },
          body: Buffer.from(parts.join('&'), 'latin1'),
          expect,
        } satisfies HostileRequest;
      }
      // multipart/form-data, as the official PHP kit posts (decisions §24); values are the charset's bytes.
      const boundary = `----hostile${r.i}`;
      const decoded = parts.map((p) => p.split('=').map(unpct));
      const chunks: Buffer[] = [];
      for (const [n, v] of decoded) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${n!.toString('latin1').replace(/"/g, '%22')}"\r\n\r\n`, 'latin1'), v ?? Buffer.alloc(0), Buffer.from('\r\n'));
      chunks.push(Buffer.from(`--${boundary}--\r\n`));
      // A bad percent-escape means nothing in multipart (values are bytes there): any code then.
      const mp: Expect = r.defect === 'bad-escape' ? { kind: 'gateway', reply } : expect;
      return { family: 'gateway', case: `${r.defect} multipart`, target: 'sandbox', method: 'POST', path: '/gateway.do', headers: { 'content-type': `multipart/form-data; boundary=${boundary}` }, body: Buffer.concat(chunks), expect: mp } satisfies HostileRequest;
    });
}

/** Malformed multipart bodies: no boundary, a truncated part, garbage, a part without a name. */
export const MALFORMED_MULTIPART: { type: string; body: string }[] = [
  { type: 'multipart/form-data', body: 'partner=1' },
  { type: 'multipart/form-data; boundary=x', body: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated' },
  { type: 'multipart/form-data; boundary=x', body: 'garbage without any boundary' },
  { type: 'multipart/form-data; boundary=x', body: '--x\r\nContent-Disposition: form-data; name="a"\r\n' },
  { type: 'multipart/form-data; boundary=', body: '--\r\n\r\n' },
  { type: 'multipart/form-data; boundary="unterminated', body: '--x--' },
];

function malformedMultipartGateway(): fc.Arbitrary<HostileRequest> {
  return fc.record({ m: fc.constantFrom(...MALFORMED_MULTIPART), service: fc.constantFrom('', '&service=single_trade_query', '&service=create_direct_pay_by_user') }).map(({ m, service }) => ({
    family: 'gateway',
    case: 'malformed multipart',
    target: 'sandbox',
    method: 'POST',
    path: `/gateway.do?_input_charset=utf-8${service}`,
    headers: { 'content-type': m.type },
    body: Buffer.from(m.body),
    expect: { kind: 'gateway', reply: service.includes('single_trade_query') ? 'xml' : 'page', ...(service === '' ? {} : { code: 'ILLEGAL_ARGUMENT' }) },
  }));
}

// --- Family 2: notify_verify ----------------------------------------------------------------------

function notifyVerifyArb(t: Targets): fc.Arbitrary<HostileRequest> {
  const otherPartner = fc.oneof(randomDigits(12).map((d) => `2088${d}`).filter((p) => p !== SEED_MERCHANT.partner), hostileNoNul, fc.constant(SEED_BUYERS[0]!.userId));
  const altered = fc.nat().chain((at) =>
    alnum.map((ch) => {
      const id = t.unusedNotifyId;
      const spots = [...id].map((c, k) => (/[a-z0-9]/i.test(c) ? k : -1)).filter((k) => k >= 0);
      const k = spots[at % spots.length]!;
      const replacement = ch === id[k]!.toLowerCase() ? (ch === 'a' ? 'b' : 'a') : ch;
      return id.slice(0, k) + replacement + id.slice(k + 1);
    }),
  );
  const forgedId = fc.oneof(fc.string({ unit: alnum, minLength: 34, maxLength: 34 }), fc.constantFrom(...t.usedNotifyIds), altered, hostileNoNul);
  return fc
    .record({
      shape: fc.constantFrom('used-or-forged', 'unused-wrong-partner', 'missing-partner', 'missing-id', 'empty', 'nul', 'bad-escape', 'duplicate'),
      forgedId,
      otherPartner,
      nul: fc.constantFrom(...NUL_TEXT),
      escape: fc.constantFrom(...BAD_ESCAPES),
      legacyUrl: fc.boolean(),
      post: fc.boolean(),
      gbk: fc.boolean(),
    })
    .map((r) => {
      let pairs: [string, string][] = [];
      let word: 'false' | 'invalid' = 'false';
      let rawTail = '';
      switch (r.shape) {
        case 'used-or-forged':
          pairs = [['partner', SEED_MERCHANT.partner], ['notify_id', r.forgedId]];
          break;
        case 'unused-wrong-partner':
          pairs = [['partner', r.otherPartner], ['notify_id', t.unusedNotifyId]];
          break;
        case 'missing-partner':
          pairs = [['notify_id', r.forgedId]];
          word = 'invalid';
          break;
        case 'missing-id':
          pairs = [['partner', SEED_MERCHANT.partner]];
          word = 'invalid';
          break;
        case 'empty':
          pairs = [['partner', ''], ['notify_id', '']];
          word = 'invalid';
          break;
        case 'nul':
          pairs = [['partner', SEED_MERCHANT.partner], ['notify_id', `${t.unusedNotifyId}${r.nul}`]];
          word = 'invalid';
          break;
        case 'bad-escape':
          // decisions §3: a request that cannot be read counts as missing parameters.
          pairs = [['partner', SEED_MERCHANT.partner], ['notify_id', t.unusedNotifyId]];
          rawTail = `&x=${r.escape}`;
          word = 'invalid';
          break;
        default: // duplicate: which notify_id was meant cannot be said
          pairs = [['partner', SEED_MERCHANT.partner], ['notify_id', t.unusedNotifyId], ['notify_id', r.forgedId]];
          word = 'invalid';
      }
      // In GBK, text GBK cannot carry becomes "?", still not empty.
      const charset = r.gbk ? 'gbk' : 'utf-8';
      const all: [string, string][] = [['_input_charset', charset], ...(r.legacyUrl ? [] : [['service', 'notify_verify'] as [string, string]]), ...pairs];
      const encoded = form(all, charset) + rawTail;
      const url = r.legacyUrl ? '/trade/notify_query.do' : '/gateway.do';
      const base = { family: 'notify_verify' as const, case: `${r.shape}${r.legacyUrl ? ' notify_query.do' : ''}`, target: 'sandbox' as const, expect: { kind: 'word' as const, word } };
      if (!r.post) return { ...base, method: 'GET', path: `${url}?${encoded}` };
      return { ...base, method: 'POST', path: url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(encoded, 'latin1') };
    });
}

// --- Family 3: the test API -----------------------------------------------------------------------

const JUNK_JSON = ['{', '{"partner":', '[1,2', 'nul', '{"a":1}}', '{"partner":"x",}', "{'a':1}", '1e999999', '\u0000', '{"a":"\ud800"', '[]', '123', '"text"', 'null', 'true'];

function apiArb(t: Targets): fc.Arbitrary<HostileRequest> {
  const json = (path: string, body: unknown, expect: Expect, kase: string, headers: Record<string, string> = {}): HostileRequest => ({
    family: 'api',
    case: kase,
    target: 'sandbox',
    method: 'POST',
    path: `/sandbox/api${path}`,
    headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
    expect,
  });
  const bodyRoute = fc.constantFrom('/pay', '/clock/advance', '/faults', '/quick-login', `/merchants/${SEED_MERCHANT.partner}/settings`);
  const wrongType = fc.oneof(fc.boolean(), fc.array(fc.nat(), { maxLength: 3 }), fc.constant({ $gt: '' }), fc.constant({}));
  const unknownNo = fc.oneof(randomDigits(28), hostileNoNul, fc.constantFrom(...NUL_TEXT));
  const paid = fc.constantFrom(...t.paid);
  return fc.oneof(
    fc.tuple(bodyRoute, fc.constantFrom(...JUNK_JSON), fc.constantFrom('application/json', 'application/json; charset=xxx', 'application/json;charset=utf-8')).map(([path, body, type]) =>
      json(path, body, { kind: 'api', status: 400, code: 'ILLEGAL_ARGUMENT' }, 'malformed JSON', { 'content-type': type }),
    ),
    fc.tuple(bodyRoute, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'application/xml', 'text/json', ''), hostile).map(([path, type, v]): HostileRequest => ({
      ...json(path, `partner=${pct(v)}`, { kind: 'api', status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' }, 'wrong content type'),
      headers: type === '' ? {} : { 'content-type': type },
    })),
    fc.tuple(fc.constantFrom('partner', 'out_trade_no', 'buyer'), wrongType).map(([field, v]) =>
      json('/pay', { partner: SEED_MERCHANT.partner, out_trade_no: t.unpaidEscrow.outTradeNo, buyer: SEED_BUYERS[0]!.login, [field]: v }, { kind: 'api', status: 400, code: 'ILLEGAL_ARGUMENT' }, 'wrong field type'),
    ),
    fc.oneof(fc.constant(-1), fc.constant('10'), fc.constant(Number.MAX_VALUE), fc.constant(Number.MIN_SAFE_INTEGER), wrongType).map((seconds) => json('/clock/advance', { seconds }, { kind: 'api', status: 400, code: 'ILLEGAL_ARGUMENT' }, 'wrong field type')),
    fc.oneof(hostileNoNul, fc.constantFrom('explode', ''), wrongType).map((kind) => json('/faults', { partner: SEED_MERCHANT.partner, kind }, { kind: 'api', status: 400, code: 'ILLEGAL_ARGUMENT' }, 'wrong field type')),
    fc.oneof(randomDigits(12).map((d) => `2088${d}`), hostileNoNul.filter((s) => s.trim() !== '')).filter((p) => p !== SEED_MERCHANT.partner).map((partner) => json('/faults', { partner, kind: 'drop' }, { kind: 'api', status: 404, code: 'ILLEGAL_PARTNER' }, 'unknown partner')),
    fc.oneof(hostileNoNul.filter((s) => s.trim() !== ''), randomDigits(20)).map((no) => json('/pay', { partner: SEED_MERCHANT.partner, out_trade_no: `${no}-none`, buyer: SEED_BUYERS[0]!.login }, { kind: 'api', status: 404, code: 'TRADE_NOT_EXIST' }, 'unknown trade')),
    hostileNoNul.map((who) => json('/pay', { partner: SEED_MERCHANT.partner, out_trade_no: t.unpaidEscrow.outTradeNo, buyer: `${who}@nobody.test` }, { kind: 'api', status: 404, code: 'NOT_FOUND' }, 'unknown buyer')),
    paid.map((p) => json('/pay', { partner: SEED_MERCHANT.partner, out_trade_no: p.outTradeNo, buyer: SEED_BUYERS[0]!.login }, { kind: 'api', status: 409, code: 'TRADE_NOT_ALLOWED_PAY' }, 'paid again')),
    fc.tuple(unknownNo, fc.constantFrom('ship', 'confirm-receipt', 'refund', 'refund/agree', 'refund/refuse', 'refund/goods-returned', 'refund/confirm-goods', 'close')).map(([no, act]) =>
      json(`/trades/${pct(no)}/${act}`, {}, { kind: 'api', status: 404, code: 'NOT_FOUND' }, 'unknown trade action'),
    ),
    unknownNo.map((no) => ({ family: 'api', case: 'unknown trade', target: 'sandbox', method: 'GET', path: `/sandbox/api/trades/${pct(no)}`, expect: { kind: 'api', status: 404, code: 'NOT_FOUND' } }) satisfies HostileRequest),
    fc.constantFrom('0', '-1', 'abc', '1.5', '9007199254740993', '%ZZ', pct("1' OR 1=1--")).map((id) => json(`/notifications/${id}/replay`, {}, { kind: 'api', status: 400, code: 'ILLEGAL_ARGUMENT' }, 'bad notification id')),
    fc.integer({ min: 1_000_000, max: 2_000_000_000 }).map((id) => json(`/notifications/${id}/replay`, {}, { kind: 'api', status: 404, code: 'NOT_FOUND' }, 'unknown notification')),
    fc.tuple(bodyRoute, fc.constantFrom('http://evil.test', 'null', 'https://127.0.0.1.evil.test')).map(([path, origin]) =>
      json(path, { partner: SEED_MERCHANT.partner, kind: 'drop', seconds: 10 }, { kind: 'api', status: 403, code: 'FORBIDDEN' }, 'cross-site', origin === 'null' ? { referer: 'http://evil.test/page' } : { origin }),
    ),
    fc.tuple(bodyRoute, fc.constantFrom('evil.test', 'sandbox.evil.test:80', 'localhost.evil.test')).map(([path, host]) =>
      json(path, { partner: SEED_MERCHANT.partner, kind: 'drop' }, { kind: 'api', status: 403, code: 'FORBIDDEN' }, 'foreign host', { host }),
    ),
    fc.tuple(fc.constantFrom('trades', 'notifications', 'refund-batches', 'buyers', 'merchants', 'clock', `faults/${SEED_MERCHANT.partner}`), fc.array(fc.tuple(fc.constantFrom('partner', 'out_trade_no', 'after', 'limit', 'state', 'trade_no', 'x'), hostile), { maxLength: 3 })).map(([path, q]) => ({
      family: 'api',
      case: 'hostile query',
      target: 'sandbox',
      method: 'GET',
      path: `/sandbox/api/${path}?${form(q)}`,
      expect: { kind: 'api-read' },
    }) satisfies HostileRequest),
    hostile.map((p) => ({ family: 'api', case: 'unknown route', target: 'sandbox', method: 'GET', path: `/sandbox/api/${pct(p)}/x`, expect: { kind: 'api', status: 404, code: 'NOT_FOUND' } }) satisfies HostileRequest),
  );
}

// --- Family 4: the consoles and the dashboard -----------------------------------------------------

function consolesArb(t: Targets): fc.Arbitrary<HostileRequest> {
  const partner = SEED_MERCHANT.partner;
  const real = [t.unpaidEscrow.tradeNo, ...t.paid.map((p) => p.tradeNo)];
  const tradeNo = fc.oneof(fc.constantFrom(...real), hostile.map((s) => pct(s)), randomDigits(28));
  const postPath = tradeNo.chain((no) =>
    fc.constantFrom(
      '/buyer/login',
      '/seller/login',
      '/buyer/logout',
      '/seller/logout',
      `/seller/trades/${no}/ship`,
      `/seller/trades/${no}/close`,
      `/seller/trades/${no}/refund/agree`,
      `/buyer/trades/${no}/confirm-receipt`,
      `/buyer/trades/${no}/refund`,
      `/seller/refund-batches/${no}/confirm`,
      '/clock/advance',
      `/merchants/${partner}/fault`,
      '/notifications/recover',
      `/notifications/${t.notificationIds[0] ?? 1}/resend`,
      `/trades/${no}/actions/pay`,
      `/trades/${no}/check-merchant`,
      '/etao',
    ),
  );
  // Fields a real form would carry, filled with hostile text or with values that would act.
  const fields = fc.array(fc.tuple(fc.constantFrom('login', 'password', 'pay_password', 'duration', 'kind', 'since', 'amount', 'reason', 'logistics_name', 'notify_url', 'buyer', 'next', 'back'), hostile), { maxLength: 4 });
  const actingFields: [string, string][] = [['login', partner], ['password', SEED_MERCHANT.key], ['duration', '1h'], ['kind', 'drop'], ['logistics_name', '顺丰'], ['buyer', SEED_BUYERS[0]!.login]];
  const noCsrf = fc
    .record({
      path: postPath,
      fields,
      csrf: fc.constantFrom('none', 'cookie-no-field', 'field-no-cookie', 'wrong-field', 'other-browser', 'injected'),
      multipart: fc.boolean(),
      v: hostile,
    })
    .map((r): HostileRequest => {
      const cookie = r.csrf === 'none' || r.csrf === 'field-no-cookie' ? undefined : t.console.cookie;
      const token = { none: undefined, 'cookie-no-field': undefined, 'field-no-cookie': t.console.csrf, 'wrong-field': `${t.console.csrf.slice(0, -4)}AAAA`, 'other-browser': t.otherCsrf, injected: r.v }[r.csrf];
      const all: [string, string][] = [...actingFields, ...r.fields, ...(token === undefined ? [] : [['_csrf', token] as [string, string]])];
      const headers: Record<string, string> = { origin: `http://${t.sandboxHost}`, ...(cookie ? { cookie } : {}) };
      // decisions §32: a state-changing POST without this browser's token is refused before its route runs.
      const expect: Expect = { kind: 'status', status: [403], marker: 'FORBIDDEN' };
      if (r.multipart) {
        const boundary = 'hostileBoundary';
        const body = all.map(([n, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`).join('') + `--${boundary}--\r\n`;
        return { family: 'consoles', case: `csrf ${r.csrf} multipart`, target: 'sandbox', method: 'POST', path: r.path, headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, body: Buffer.from(body, 'utf8'), expect };
      }
      return { family: 'consoles', case: `csrf ${r.csrf}`, target: 'sandbox', method: 'POST', path: r.path, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(form(all)), expect };
    });
  // An unreadable body is refused as such (400), whatever the token.
  const malformed = fc.record({ path: postPath, m: fc.constantFrom(...MALFORMED_MULTIPART) }).map(({ path, m }): HostileRequest => ({
    family: 'consoles',
    case: 'malformed multipart',
    target: 'sandbox',
    method: 'POST',
    path,
    headers: { cookie: t.console.cookie, 'content-type': m.type, origin: `http://${t.sandboxHost}` },
    body: Buffer.from(m.body),
    expect: { kind: 'status', status: [400], marker: 'ILLEGAL_ARGUMENT' },
  }));
  // With this browser's token and its logins: actions on trades that are not there, refused on the console (decisions §34).
  const validPost = (path: string, all: [string, string][], expect: Expect, kase: string, origin = true): HostileRequest => ({
    family: 'consoles',
    case: kase,
    target: 'sandbox',
    method: 'POST',
    path,
    headers: { cookie: t.console.cookie, 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin: `http://${t.sandboxHost}` } : {}) },
    body: Buffer.from(form([...all, ['_csrf', t.console.csrf]])),
    expect,
  });
  const unknownTrade = fc.oneof(hostileNoNul.filter((s) => s.trim() !== ''), randomDigits(28));
  const withToken = fc.oneof(
    fc.tuple(unknownTrade, fc.constantFrom('seller/trades/%s/ship', 'seller/trades/%s/close', 'buyer/trades/%s/confirm-receipt', 'buyer/trades/%s/refund'), fields).map(([no, p, f]) =>
      validPost(`/${p.replace('%s', pct(no))}`, f, { kind: 'status', status: [200], marker: 'data-code="TRADE_NOT_EXIST"' }, 'unknown trade on console'),
    ),
    fc.tuple(fc.constantFrom('/buyer/login', '/seller/login'), hostile, hostile).map(([path, login, password]) =>
      validPost(path, [['login', login], ['password', password], ['next', '//evil.test/']], { kind: 'status', status: [200], marker: '不正确' }, 'wrong login'),
    ),
    fc.oneof(hostile, fc.constantFrom('-1', '0', '99999d', '1e9', '11y', '')).map((d) => validPost('/clock/advance', [['duration', d]], { kind: 'status', status: [400], marker: 'ILLEGAL_ARGUMENT' }, 'bad duration')),
    fc.oneof(hostile, fc.constantFrom('explode', '')).map((kind) => validPost(`/merchants/${partner}/fault`, [['kind', kind]], { kind: 'status', status: [400], marker: 'ILLEGAL_ARGUMENT' }, 'bad fault kind')),
    unknownTrade.filter((p) => p !== partner).map((p) => validPost(`/merchants/${pct(p)}/fault`, [['kind', 'drop']], { kind: 'status', status: [404], marker: 'NOT_FOUND' }, 'unknown merchant')),
    hostile.map((since) => validPost('/notifications/recover', [['since', since]], { kind: 'status', status: [400], marker: 'ILLEGAL_ARGUMENT' }, 'bad since')),
    fc.constantFrom('0', '-1', 'abc', '1.5', '9007199254740993', pct("1' OR 1=1--")).map((id) => validPost(`/notifications/${id}/resend`, [], { kind: 'status', status: [400], marker: 'ILLEGAL_ARGUMENT' }, 'bad notification id')),
    fc.tuple(unknownTrade, fc.constantFrom('PAY', 'SEND_GOODS', 'CLOSE_TRADE')).map(([no, a]) => validPost(`/trades/${pct(no)}/actions/${a}`, [['buyer', SEED_BUYERS[0]!.login]], { kind: 'status', status: [404], marker: 'NOT_FOUND' }, 'unknown trade on dashboard')),
    // Actions the trades would take, without the Origin a dashboard form sends: refused before they run.
    fc.tuple(fc.constantFrom(...real), fc.constantFrom('PAY', 'SEND_GOODS', 'CLOSE_TRADE', 'REFUND')).map(([no, a]) =>
      validPost(`/trades/${no}/actions/${a}`, [['logistics_name', '顺丰'], ['buyer', SEED_BUYERS[0]!.login]], { kind: 'status', status: [403], marker: 'FORBIDDEN' }, 'no origin', false),
    ),
  );
  const getPath = fc.oneof(
    fc.tuple(fc.constantFrom('/', '/trades', '/notifications', '/buyer', '/seller', '/etao', '/cashier/x'), fc.array(fc.tuple(fc.constantFrom('partner', 'state', 'page', 'q', 'result', 'trade_no', 'out_trade_no', 'next', 'token'), fc.oneof(hostile.map((s) => pct(s)), fc.constantFrom(...BAD_ESCAPES))), { maxLength: 4 })).map(([p, q]) => `${p}?${q.map(([n, v]) => `${n}=${v}`).join('&')}`),
    tradeNo.chain((no) => fc.constantFrom(`/trades/${no}`, `/notifications/${no}`, `/seller/refund-batches/${no}`, `/cashier/${no}`, `/cashier/${no}/bank`, `/cashier/${no}/success`, `/cashier/${no}/closed`)),
  );
  const gets = fc.record({ path: getPath, loggedIn: fc.boolean() }).map(({ path, loggedIn }): HostileRequest => ({
    family: 'consoles',
    case: 'hostile GET',
    target: 'sandbox',
    method: 'GET',
    path,
    ...(loggedIn ? { headers: { cookie: t.console.cookie } } : {}),
    expect: { kind: 'status', status: [200, 303, 400, 404] },
  }));
  return fc.oneof({ weight: 4, arbitrary: noCsrf }, { weight: 1, arbitrary: malformed }, { weight: 3, arbitrary: withToken }, { weight: 3, arbitrary: gets });
}

// --- Family 5: the shop ---------------------------------------------------------------------------

const SHOP_POSTS = ['/cart/add', '/cart/update', '/checkout', '/orders/%s/pay', '/logout', '/checkout/alipay-address', '/pay', '/admin/login', '/admin/logout', '/admin/settings', '/admin/reconcile', '/admin/orders/%s/ship', '/admin/orders/%s/close', '/admin/orders/%s/query', '/admin/orders/%s/refund'];
const WRONG_SIGNER = { partner: SEED_MERCHANT.partner, key: WRONG_KEY };
const RIGHT_SIGNER = { partner: SEED_MERCHANT.partner, key: SEED_MERCHANT.key };

function shopArb(t: Targets): fc.Arbitrary<HostileRequest> {
  const orderNo = fc.oneof(fc.constantFrom(...t.paid.map((p) => p.outTradeNo), t.unpaidEscrow.outTradeNo), hostile.map((s) => pct(s)), fc.constantFrom('%zz', '%', '..%2F..%2Fetc%2Fpasswd', '%00'));
  const fields = fc.array(fc.tuple(fc.constantFrom('product_id', 'quantity', 'receive_name', 'address', 'mobile', 'payment', 'bank', 'subject', 'amount', 'note', 'password', 'payment_service', 'logistics_name', 'reason'), hostile), { maxLength: 5 });
  const shopForm = (path: string, all: [string, string][], cookie: string | undefined, expect: Expect, kase: string, type = 'application/x-www-form-urlencoded'): HostileRequest => ({
    family: 'shop',
    case: kase,
    target: 'shop',
    method: 'POST',
    path,
    headers: { 'content-type': type, ...(cookie ? { cookie } : {}) },
    body: Buffer.from(form(all)),
    expect,
  });
  const badCsrf = fc
    .record({ path: fc.constantFrom(...SHOP_POSTS), no: orderNo, fields, csrf: fc.constantFrom('none', 'wrong', 'no-cookie', 'injected'), v: hostile, multipart: fc.boolean() })
    .map((r) => {
      const token = { none: undefined, wrong: `${t.shopSession.csrf.slice(0, -3)}xyz`, 'no-cookie': t.shopSession.csrf, injected: r.v }[r.csrf];
      const all: [string, string][] = [['product_id', 'test-penny'], ['quantity', '5'], ['password', 'admin'], ...r.fields, ...(token === undefined ? [] : [['_csrf', token] as [string, string]])];
      const path = r.path.replace('%s', r.no);
      const cookie = r.csrf === 'no-cookie' ? undefined : t.shopSession.cookie;
      const expect: Expect = { kind: 'status', status: [403] };
      if (!r.multipart) return shopForm(path, all, cookie, expect, `csrf ${r.csrf}`);
      const boundary = 'shopHostile';
      const body = all.map(([n, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${n}"\r\n\r\n${v}\r\n`).join('') + `--${boundary}--\r\n`;
      return { ...shopForm(path, [], cookie, expect, `csrf ${r.csrf} multipart`, `multipart/form-data; boundary=${boundary}`), body: Buffer.from(body) };
    });
  const malformed = fc.record({ path: fc.constantFrom(...SHOP_POSTS), no: orderNo, m: fc.constantFrom(...MALFORMED_MULTIPART) }).map(({ path, no, m }): HostileRequest => ({
    family: 'shop',
    case: 'malformed multipart',
    target: 'shop',
    method: 'POST',
    path: path.replace('%s', no),
    headers: { 'content-type': m.type, cookie: t.shopSession.cookie },
    body: Buffer.from(m.body),
    expect: { kind: 'status', status: [400, 403] },
  }));
  // With the session's own token: what a buyer could type, refused with nothing changed.
  const notAProduct = hostile.filter((s) => productIn(PRODUCTS, s) === undefined);
  const session = t.shopSession.cookie;
  const ok = (path: string, all: [string, string][], status: number[], kase: string) => shopForm(path, [...all, ['_csrf', t.shopSession.csrf]], session, { kind: 'status', status }, kase);
  const withToken = fc.oneof(
    notAProduct.map((p) => ok('/cart/add', [['product_id', p]], [404], 'unknown product')),
    fc.tuple(notAProduct, fc.oneof(hostile, fc.constantFrom('-1', '1e3', '100', '1.5', 'NaN'))).map(([p, q]) => ok('/cart/update', [['product_id', p], ['quantity', q]], [303, 400], 'cart update')),
    fields.map((f) => ok('/checkout', f, [303], 'checkout with an empty cart')),
    orderNo.map((no) => ok(`/orders/${no}/pay`, [], [404], "someone else's order")),
    fc.tuple(fc.oneof(hostile, fc.constantFrom('', '0', '-1', '1.001', '1e5', '０.０１', '0x10', 'Infinity')), hostile).map(([amount, subject]) => ok('/pay', [['amount', amount], ['subject', subject]], [400], 'direct payment bad amount')),
    hostile.map((p) => ok('/admin/login', [['password', p]], [403], 'admin wrong password')),
    fc.tuple(fc.constantFrom('/admin/settings', '/admin/reconcile', '/admin/logout', '/admin/orders/%s/ship', '/admin/orders/%s/close', '/admin/orders/%s/query', '/admin/orders/%s/refund'), orderNo, fields).map(([p, no, f]) =>
      ok(p.replace('%s', no), f, [303], 'admin without login'),
    ),
    fc.constant(ok('/checkout/alipay-address', [], [303], 'address without login')),
    fc.constant(ok('/logout', [], [303], 'logout')),
  );
  const gets = fc.oneof(
    orderNo.map((no) => ({ path: `/orders/${no}`, status: [404] })),
    fc.oneof(hostile.map((s) => pct(s)), fc.constantFrom('%zz', '%', '%E4%B8')).map((id) => ({ path: `/products/${id}`, status: [404] })),
    fc.tuple(fc.constantFrom('/', '/cart', '/checkout', '/orders', '/pay', '/login', '/admin', '/admin/login', '/admin/notifications', '/admin/orders/x'), fc.array(fc.tuple(fc.constantFrom('back', 'address', 'filter', 'page', 'outcome', 'done', 'q'), fc.oneof(hostile.map((s) => pct(s)), fc.constantFrom(...BAD_ESCAPES, '//evil.test', 'http://evil.test/'))), { maxLength: 3 })).map(([p, q]) => ({
      path: `${p}?${q.map(([n, v]) => `${n}=${v}`).join('&')}`,
      // The cart and checkout of an empty cart, /login (on to the gateway) and the admin without login redirect.
      status: p === '/checkout' || p === '/login' || (p.startsWith('/admin') && p !== '/admin/login') ? [303] : [200],
    })),
  ).map(({ path, status }): HostileRequest => ({ family: 'shop', case: `hostile GET ${path.split(/[/?]/)[1] || '/'}`, target: 'shop', method: 'GET', path, headers: { cookie: session }, expect: { kind: 'status', status } }));

  // Forged messages from "Alipay": the notification, the returns.
  const paid = fc.constantFrom(...t.paid);
  const notifyBody = fc.oneof(
    fc.tuple(paid, hostileNoNul).map(([p, v]) => signedNotification(WRONG_SIGNER, { out_trade_no: p.outTradeNo, trade_no: p.tradeNo, trade_status: 'TRADE_FINISHED', total_fee: '0.01', seller_id: SEED_MERCHANT.partner, subject: v }).body),
    fc.tuple(paid, randomDigits(10)).map(([p, n]) => signedNotification(RIGHT_SIGNER, { out_trade_no: p.outTradeNo, trade_no: p.tradeNo, trade_status: 'TRADE_FINISHED', total_fee: '0.01', seller_id: SEED_MERCHANT.partner }, { notifyId: `forged${n}` }).body),
    fc.tuple(hostileNoNul, hostileNoNul).map(([no, v]) => signedNotification(RIGHT_SIGNER, { out_trade_no: no, trade_no: '2026', trade_status: v, total_fee: '0.01', seller_id: SEED_MERCHANT.partner }).body),
    fc.array(fc.tuple(fc.constantFrom('notify_id', 'sign', 'sign_type', 'out_trade_no', 'trade_status', 'total_fee', '_input_charset', 'notify_type'), hostile), { maxLength: 8 }).map((p) => form(p)),
    fc.tuple(paid, fc.constantFrom(...BAD_ESCAPES)).map(([p, e]) => `${signedNotification(WRONG_SIGNER, { out_trade_no: p.outTradeNo, trade_no: p.tradeNo, trade_status: 'TRADE_FINISHED', total_fee: '0.01' }).body}&x=${e}`),
    fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
    fc.constant(''),
  );
  const notify = fc.record({ body: notifyBody, type: fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=xxx', 'text/plain', 'application/json', 'multipart/form-data; boundary=x') }).map(({ body, type }): HostileRequest => ({
    family: 'shop',
    case: 'forged notify',
    target: 'shop',
    method: 'POST',
    path: '/alipay/notify',
    headers: { 'content-type': type },
    body: Buffer.from(body, 'latin1'),
    expect: { kind: 'fail', status: 400 },
    logged: true,
  }));
  const returnQuery = fc.oneof(
    fc.tuple(paid, hostileNoNul).map(([p, v]) => signedReturnQuery(WRONG_SIGNER, { out_trade_no: p.outTradeNo, trade_no: p.tradeNo, trade_status: 'TRADE_SUCCESS', total_fee: '0.01', seller_id: SEED_MERCHANT.partner, subject: v })),
    fc.tuple(paid, randomDigits(8)).map(([p, n]) => signedReturnQuery(RIGHT_SIGNER, { out_trade_no: p.outTradeNo, trade_no: p.tradeNo, trade_status: 'TRADE_SUCCESS', total_fee: '0.01', seller_id: SEED_MERCHANT.partner }, { notifyId: `forged${n}` })),
    fc.array(fc.tuple(fc.constantFrom('out_trade_no', 'sign', 'notify_id', 'is_success', 'user_id', 'token', 'target_url', 'trade_status'), fc.oneof(hostile.map((s) => pct(s)), fc.constantFrom(...BAD_ESCAPES))), { maxLength: 6 }).map((q) => q.map(([n, v]) => `${n}=${v}`).join('&')),
  );
  const returns = fc.record({ q: returnQuery, which: fc.constantFrom('/alipay/return', '/alipay/login-return') }).map(({ q, which }): HostileRequest => ({
    family: 'shop',
    case: `forged ${which.slice(8)}`,
    target: 'shop',
    method: 'GET',
    path: `${which}?${q}`,
    headers: { cookie: session },
    // Not verified and not this browser's order: the page says the result cannot be confirmed.
    expect: { kind: 'status', status: [400] },
    logged: true,
  }));
  const addressReturn = fc.oneof(
    hostileNoNul.map((v) => signedReturnQuery(WRONG_SIGNER, { user_id: '2088102000000001', fullname: v, address: v, is_success: 'T' })),
    fc.array(fc.tuple(fc.constantFrom('user_id', 'sign', 'fullname', 'mobile_phone', 'address', 'prov'), hostile), { maxLength: 6 }).map((p) => form(p)),
    fc.constantFrom(...MALFORMED_MULTIPART.map((m) => m.body)),
  ).map((body): HostileRequest => ({
    family: 'shop',
    case: 'forged address-return',
    target: 'shop',
    method: 'POST',
    path: '/alipay/address-return',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: Buffer.from(body, 'latin1'),
    expect: { kind: 'status', status: [303] },
    logged: true,
  }));
  return fc.oneof({ weight: 4, arbitrary: badCsrf }, { weight: 1, arbitrary: malformed }, { weight: 4, arbitrary: withToken }, { weight: 4, arbitrary: gets }, { weight: 3, arbitrary: notify }, { weight: 2, arbitrary: returns }, { weight: 1, arbitrary: addressReturn });
}

// --- Family 6: the protocol -----------------------------------------------------------------------

/** One body of several MB, shared by every request that sends it. */
const HUGE = Buffer.alloc(3 * 1024 * 1024 + 17, 'a=1&');

function protocolArb(t: Targets): fc.Arbitrary<HostileRequest> {
  const sandboxPaths = ['/gateway.do?service=notify_verify&partner=x&notify_id=y', '/trade/notify_query.do?partner=x&notify_id=y', '/gateway.do?service=single_trade_query', '/', '/sandbox/api/clock', '/sandbox/api/trades', '/seller', '/buyer', '/trades', `/cashier/${t.unpaidEscrow.tradeNo}`];
  const shopPaths = ['/', '/cart', '/orders', `/orders/${t.paid[0]!.outTradeNo}`, '/products/test-penny', '/pay', '/admin', '/admin/login', '/alipay/notify', '/alipay/return?x=1'];
  const target = fc.oneof(fc.constantFrom(...sandboxPaths).map((path) => ({ target: 'sandbox' as const, path })), fc.constantFrom(...shopPaths).map((path) => ({ target: 'shop' as const, path })));
  const head = target.map(({ target, path }): HostileRequest => ({
    family: 'protocol',
    case: 'HEAD',
    target,
    method: 'HEAD',
    path,
    expect: { kind: 'status', status: [200, 303, 400, 404] },
    // HEAD runs the GET route: the shop's return page logs its refusal.
    logged: target === 'shop' && path.startsWith('/alipay/return'),
  }));
  const odd = fc.tuple(target, fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND')).map(([{ target, path }, method]): HostileRequest => ({
    family: 'protocol',
    case: method,
    target,
    method,
    path,
    // Only GET and POST are routed: another method finds no route (404), except that the shop's
    // admin sends anyone not logged in to its login page first, whatever the method.
    expect: { kind: 'status', status: target === 'shop' && path.startsWith('/admin') && path !== '/admin/login' ? [303] : [404] },
  }));
  const rawRequest = (head: string, body = ''): Buffer => Buffer.from(`${head}\r\n\r\n${body}`, 'latin1');
  const host = 'Host: 127.0.0.1\r\nConnection: close';
  const rawCases = fc.oneof(
    fc.tuple(target, fc.constantFrom('cookie', 'x-filler', 'user-agent')).map(([{ target, path }, name]): HostileRequest => ({
      family: 'protocol',
      case: 'huge header',
      target,
      method: 'GET',
      path,
      raw: rawRequest(`GET ${path} HTTP/1.1\r\n${host}\r\n${name}: ${'x'.repeat(64 * 1024)}`),
      expect: { kind: 'status', status: [431] },
    })),
    target.map(({ target }): HostileRequest => ({ family: 'protocol', case: 'huge URL', target, method: 'GET', path: '/', raw: rawRequest(`GET /gateway.do?subject=${'%E6%B5%8B'.repeat(3000)} HTTP/1.1\r\n${host}`), expect: { kind: 'status', status: [431] } })),
    fc.tuple(target, fc.constantFrom('zz', '-1', '1;;;', 'ffffffffffffffffffff', '')).map(([{ target, path }, size]): HostileRequest => ({
      family: 'protocol',
      case: 'chunked garbage',
      target,
      method: 'POST',
      path,
      raw: rawRequest(`POST ${path.split('?')[0]} HTTP/1.1\r\n${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked`, `${size}\r\nabc\r\n0\r\n\r\n`),
      expect: { kind: 'status', status: [400] },
    })),
    target.map(({ target, path }): HostileRequest => ({
      family: 'protocol',
      case: 'length and chunked',
      target,
      method: 'POST',
      path,
      raw: rawRequest(`POST ${path.split('?')[0]} HTTP/1.1\r\n${host}\r\nContent-Length: 3\r\nTransfer-Encoding: chunked`, '3\r\nabc\r\n0\r\n\r\n'),
      expect: { kind: 'status', status: [400] },
    })),
    fc.tuple(target, fc.constantFrom(`X-Bad: a\rb`, `X-Bad\r\n: y`, `Bad Name: y`, `X-Nul: a\u0000b`)).map(([{ target, path }, header]): HostileRequest => ({
      family: 'protocol',
      case: 'malformed header',
      target,
      method: 'GET',
      path,
      raw: rawRequest(`GET ${path} HTTP/1.1\r\n${host}\r\n${header}`),
      expect: { kind: 'status', status: [400] },
    })),
    fc.tuple(target, fc.constantFrom('/a b', '/\u00e6\u00b5\u008b', '/x\u0000y', '/gateway.do?a=\u00e6')).map(([{ target }, path]): HostileRequest => ({
      family: 'protocol',
      case: 'malformed request line',
      target,
      method: 'GET',
      path,
      raw: rawRequest(`GET ${path} HTTP/1.1\r\n${host}`),
      expect: { kind: 'status', status: [400] },
    })),
    fc.tuple(fc.constantFrom('/gateway.do?%zz=%', '/gateway.do?service=%E4%B8&partner=%', '/trade/notify_query.do?partner=%&notify_id=%zz', '/sandbox/api/trades/%zz', '/seller/%zz', '/%', '/%00', '/%2e%2e/%2e%2e/etc/passwd')).map(([path]): HostileRequest => ({
      family: 'protocol',
      case: 'bad escapes in the request line',
      target: 'sandbox',
      method: 'GET',
      path,
      raw: rawRequest(`GET ${path} HTTP/1.1\r\n${host}`),
      expect: { kind: 'status', status: [200, 404] },
    })),
    fc.constantFrom('/orders/%zz', '/products/%', '/%00', '/alipay/return?%zz=%', '/cart?%E4%B8', '/%2e%2e/%2e%2e/etc/passwd').map((path): HostileRequest => ({
      family: 'protocol',
      case: 'bad escapes in the request line',
      target: 'shop',
      method: 'GET',
      path,
      raw: rawRequest(`GET ${path} HTTP/1.1\r\n${host}`),
      expect: { kind: 'status', status: [200, 400, 404] },
      logged: path.startsWith('/alipay/return'),
    })),
  );
  return fc.oneof({ weight: 3, arbitrary: head }, { weight: 4, arbitrary: odd }, { weight: 4, arbitrary: rawCases });
}

/** Multi-megabyte bodies, declared or chunked, at one endpoint of each kind: refused, never read whole. */
export function hugeBodies(t: Targets): HostileRequest[] {
  const cases: [HostileRequest['target'], string, Record<string, string>, Expect][] = [
    ['sandbox', '/gateway.do?_input_charset=utf-8&service=create_direct_pay_by_user', { 'content-type': 'application/x-www-form-urlencoded' }, { kind: 'gateway', reply: 'page', code: 'ILLEGAL_ARGUMENT' }],
    ['sandbox', '/gateway.do?_input_charset=utf-8&service=close_trade', { 'content-type': 'application/x-www-form-urlencoded' }, { kind: 'gateway', reply: 'xml', code: 'ILLEGAL_ARGUMENT' }],
    ['sandbox', '/sandbox/api/pay', { 'content-type': 'application/json' }, { kind: 'api', status: 413, code: 'ILLEGAL_ARGUMENT' }],
    ['sandbox', '/seller/login', { 'content-type': 'application/x-www-form-urlencoded', cookie: t.console.cookie }, { kind: 'status', status: [413] }],
    ['sandbox', '/clock/advance', { 'content-type': 'multipart/form-data; boundary=x', cookie: t.console.cookie }, { kind: 'status', status: [413] }],
    ['shop', '/cart/add', { 'content-type': 'application/x-www-form-urlencoded', cookie: t.shopSession.cookie }, { kind: 'status', status: [413] }],
    ['shop', '/alipay/notify', { 'content-type': 'application/x-www-form-urlencoded' }, { kind: 'fail', status: 413 }],
    ['shop', '/alipay/address-return', { 'content-type': 'application/x-www-form-urlencoded' }, { kind: 'status', status: [413] }],
  ];
  return cases.flatMap(([target, path, headers, expect]) =>
    (['declared', 'chunked'] as const).map((how): HostileRequest => {
      const lines = Object.entries({ ...headers, ...(how === 'chunked' ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(HUGE.length) }) }).map(([n, v]) => `${n}: ${v}`);
      return {
        family: 'protocol',
        case: `huge body ${how}`,
        target,
        method: 'POST',
        path,
        // Kept alive, so the server reads on past its refusal for a while rather than close at once.
        raw: Buffer.from(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${lines.join('\r\n')}\r\n\r\n`, 'latin1'),
        upload: { body: HUGE, chunked: how === 'chunked' },
        expect,
      };
    }),
  );
}

/** How the families share the requests. */
export const SHARES: Record<Family, number> = { gateway: 0.3, notify_verify: 0.1, api: 0.15, consoles: 0.15, shop: 0.25, protocol: 0.05 };

/**
 * `n` requests, the same for the same seed and targets: each family's share, generated by its
 * arbitrary, then interleaved so that every moment of the storm mixes families.
 */
export function generateRequests(t: Targets, n: number, seed: number): HostileRequest[] {
  const huge = hugeBodies(t);
  const arbs: Record<Family, fc.Arbitrary<HostileRequest>> = {
    gateway: fc.oneof({ weight: 19, arbitrary: gatewayArb(t) }, { weight: 1, arbitrary: malformedMultipartGateway() }),
    notify_verify: notifyVerifyArb(t),
    api: apiArb(t),
    consoles: consolesArb(t),
    shop: shopArb(t),
    protocol: protocolArb(t),
  };
  const lists = FAMILIES.map((family, i) => {
    let count = Math.round(n * SHARES[family]);
    if (family === 'protocol') count = Math.max(0, count - huge.length);
    const sampled = count > 0 ? fc.sample(arbs[family], { seed: seed + i, numRuns: count }) : [];
    return family === 'protocol' ? [...huge, ...sampled] : sampled;
  });
  const out: HostileRequest[] = [];
  for (let k = 0; out.length < lists.reduce((s, l) => s + l.length, 0); k++) for (const l of lists) if (k < l.length) out.push(tooLong(l[k]!));
  return out;
}

/** Node reads at most 16 KB of request line and headers. */
const HEADER_LIMIT = 16 * 1024;

/**
 * A URL near or over Node's limit is made surely over it (padded past 20 KB): Node answers 431
 * before any route runs, whatever else the request was.
 */
function tooLong(r: HostileRequest): HostileRequest {
  if (r.raw || r.path.length < 8 * 1024) return r;
  const pad = r.path.length < HEADER_LIMIT + 4096 ? `${r.path.includes('?') ? '&' : '?'}pad=${'p'.repeat(HEADER_LIMIT + 4096 - r.path.length)}` : '';
  const path = r.path + pad;
  // On a socket of its own: the answer comes before the server reads the whole request line.
  const headers = Object.entries(r.headers ?? {}).map(([n, v]) => `${n}: ${v}\r\n`).join('');
  const raw = Buffer.from(`${r.method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers}\r\n`, 'latin1');
  return { ...r, case: `${r.case} (URL over 16 KB)`, path, raw, expect: { kind: 'status', status: [431] }, logged: false };
}

// --- Sending and judging --------------------------------------------------------------------------

export interface Answer {
  status: number;
  contentType: string;
  body: string;
  /** Set when no answer came: the socket error or a timeout. */
  error?: string;
  /** The server closed the connection while the (oversized) body was still being sent. */
  closedMidUpload?: boolean;
}

const KEEP_BODY = 64 * 1024;

/** Sends one request over a keep-alive agent (a raw one on its own socket) and reads the answer. */
export function send(base: { host: string; port: number }, r: HostileRequest, agent: Agent, timeoutMs = 30_000): Promise<Answer> {
  if (r.raw) return sendRaw(base, r.raw, r.upload, timeoutMs);
  const attempt = (useAgent: Agent | false): Promise<Answer & { reused?: boolean }> =>
    new Promise((resolve) => {
      let answered = false;
      const headers: Record<string, string | number> = { ...r.headers };
      if (r.body && !Object.keys(headers).some((h) => h.toLowerCase() === 'transfer-encoding')) headers['content-length'] = r.body.length;
      const req = request({ host: base.host, port: base.port, method: r.method, path: r.path, headers, agent: useAgent, timeout: timeoutMs }, (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        let kept = 0;
        res.on('data', (d: Buffer) => {
          if (kept < KEEP_BODY) chunks.push(d);
          kept += d.length;
        });
        const done = () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') });
        res.on('end', done);
        // The server may close after a refusal while the rest of a large body is still on its way.
        res.on('error', done);
        res.on('aborted', done);
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (!answered) resolve({ status: 0, contentType: '', body: '', error: `${err.code ?? ''} ${err.message}`, reused: req.reusedSocket });
      });
      req.end(r.body);
    });
  return attempt(agent).then((a) =>
    // A keep-alive socket the server closed as it was reused: Node's documented retry.
    a.error && a.reused && /ECONNRESET|socket hang up/.test(a.error) ? attempt(false) : a,
  );
}

/**
 * Writes `head` on a fresh socket, then the upload in 64 KB pieces as a careful client does: it
 * stops sending once an answer has come (a server refusing a large body answers first and closes
 * soon after, RFC 9112 §9.6), so the answer is read before the connection ends.
 */
function sendRaw(base: { host: string; port: number }, head: Buffer, upload: HostileRequest['upload'], timeoutMs: number): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = connect(base.port, base.host);
    const chunks: Buffer[] = [];
    let finished = false;
    const finish = (error?: string, closedMidUpload = false) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      if (closedMidUpload && chunks.length === 0) return resolve({ status: 0, contentType: '', body: '', closedMidUpload });
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      const headEnd = text.indexOf('\r\n\r\n');
      const headers = text.slice(0, headEnd);
      const type = /\r\ncontent-type: ([^\r]*)/i.exec(headers)?.[1] ?? '';
      let body = headEnd === -1 ? '' : text.slice(headEnd + 4);
      if (/\r\ntransfer-encoding: chunked/i.test(headers)) body = unchunk(body);
      if (m) resolve({ status: Number(m[1]), contentType: type, body: Buffer.from(body, 'latin1').toString('utf8') });
      else resolve({ status: 0, contentType: '', body: text, error: error ?? 'the connection closed without a status line' });
    };
    const timer = setTimeout(() => finish(`no answer within ${timeoutMs} ms`), timeoutMs);
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      if (complete(Buffer.concat(chunks).toString('latin1'))) finish();
    });
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    let at = 0;
    // A reset after the answer came (the server closing on the rest of a huge request) leaves the
    // answer; one while the body is still being sent may have overtaken it (the server refused the
    // rest by closing: RFC 9112 §9.6).
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (chunks.length > 0) return finish();
      if (upload && at < upload.body.length && /EPIPE|ECONNRESET/.test(err.code ?? '')) return finish(undefined, true);
      finish(`${err.code ?? ''} ${err.message}`);
    });
    socket.write(head);
    if (!upload) return;
    const next = () => {
      if (finished || chunks.length > 0) return;
      if (at >= upload.body.length) {
        if (upload.chunked) socket.write('0\r\n\r\n');
        return;
      }
      const piece = upload.body.subarray(at, at + 64 * 1024);
      at += piece.length;
      const framed = upload.chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece;
      // The next piece after this one is written and whatever came in meanwhile was read.
      socket.write(framed, () => setImmediate(next));
    };
    socket.once('connect', next);
  });
}

/** Whether a whole answer has come (its length read, or its last chunk): the client need not wait for the server to close. */
function complete(text: string): boolean {
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd === -1) return false;
  const headers = text.slice(0, headEnd);
  const length = /\r\ncontent-length: *(\d+)/i.exec(headers)?.[1];
  if (length !== undefined) return text.length - headEnd - 4 >= Number(length);
  return /\r\ntransfer-encoding: chunked/i.test(headers) && text.endsWith('\r\n0\r\n\r\n');
}

/** A chunked body's content. */
function unchunk(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const eol = text.indexOf('\r\n', at);
    const size = eol === -1 ? NaN : parseInt(text.slice(at, eol), 16);
    if (!(size > 0)) return out;
    out += text.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}

/** Why the answer is not the expected one, or undefined when it is. */
export function judge(r: HostileRequest, a: Answer): string | undefined {
  if (a.closedMidUpload) return r.upload ? undefined : 'closed mid-upload';
  if (a.error) return `no answer: ${a.error}`;
  if (a.status >= 500) return `5xx: ${a.status} ${a.body.slice(0, 200)}`;
  const e = r.expect;
  const head = r.method === 'HEAD';
  if (head && a.body !== '') return `HEAD answered with a body of ${a.body.length} bytes`;
  switch (e.kind) {
    case 'gateway': {
      const code = e.reply === 'xml' ? xmlErrorCode(a.body) : pageErrorCode(a.body);
      const type = e.reply === 'xml' ? 'text/xml' : 'text/html';
      if (a.status !== 200 || !a.contentType.startsWith(type)) return `expected the ${e.reply} refusal (200 ${type}), got ${a.status} ${a.contentType}: ${a.body.slice(0, 160)}`;
      if (code === undefined) return `no error code in the ${e.reply} answer: ${a.body.slice(0, 160)}`;
      if (e.code ? code !== e.code : !GATEWAY_CODES.has(code)) return `code ${code}, expected ${e.code ?? 'a gateway code'}`;
      return undefined;
    }
    case 'word':
      if (a.status !== 200 || !a.contentType.startsWith('text/plain') || a.body !== e.word) return `expected the word ${e.word}, got ${a.status} ${JSON.stringify(a.body.slice(0, 80))}`;
      return undefined;
    case 'api':
    case 'api-read': {
      if (!a.contentType.startsWith('application/json')) return `expected JSON, got ${a.status} ${a.contentType}`;
      let json: { error?: unknown };
      try {
        json = JSON.parse(a.body) as { error?: unknown };
      } catch {
        return `unreadable JSON: ${a.body.slice(0, 100)}`;
      }
      if (e.kind === 'api-read') {
        if (a.status === 200) return undefined;
        return a.status >= 400 && API_CODES.has(String(json.error)) ? undefined : `${a.status} ${a.body.slice(0, 120)}`;
      }
      if (a.status !== e.status || json.error !== e.code) return `expected ${e.status} ${e.code}, got ${a.status} ${a.body.slice(0, 160)}`;
      return undefined;
    }
    case 'status':
      if (!e.status.includes(a.status)) return `status ${a.status}, expected ${e.status.join('/')}: ${a.body.slice(0, 160)}`;
      if (e.marker && !head && !a.body.includes(e.marker)) return `no "${e.marker}" in the ${a.status} answer: ${a.body.slice(0, 160)}`;
      return undefined;
    case 'fail':
      if (a.status !== e.status || a.body !== 'fail') return `expected ${e.status} fail, got ${a.status} ${JSON.stringify(a.body.slice(0, 80))}`;
      return undefined;
  }
}
