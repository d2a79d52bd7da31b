import type { Charset, SignType } from 'alipay-legacy';
import { encodeForm, parseForm, sign } from 'alipay-legacy/protocol';
import type { Hono } from 'hono';
import { SEED_BUYERS, SEED_MERCHANT } from '../../src/seed.js';
import { MERCHANT_RSA_PRIVATE_KEY } from '../../src/seed-keys.js';
import type { AppEnv } from '../../src/routes/web-context.js';

/** What a test merchant signs with: the seeded merchant unless told otherwise. */
export interface SignWith {
  key?: string;
  charset?: Charset;
  signType?: SignType;
  privateKey?: string;
}

export const PARTNER = SEED_MERCHANT.partner;
export const KEY = SEED_MERCHANT.key;
export const SELLER_EMAIL = SEED_MERCHANT.sellerEmail;

let counter = 0;
/** A fresh merchant order number. */
export function orderNo(prefix = 'T'): string {
  counter += 1;
  return `${prefix}${Date.now()}${String(counter).padStart(4, '0')}`;
}

/**
 * Signs request parameters as a merchant does (the SDK's own `sign`), adding `_input_charset`,
 * `partner`, `sign` and `sign_type` unless the params already carry them.
 */
export function signRequest(params: Record<string, string>, options: SignWith = {}): Record<string, string> {
  const charset = options.charset ?? 'utf-8';
  const signType = options.signType ?? 'MD5';
  const all: Record<string, string> = { _input_charset: charset, partner: PARTNER, ...params };
  const value =
    signType === 'RSA'
      ? sign(all, { signType, charset, privateKey: options.privateKey ?? MERCHANT_RSA_PRIVATE_KEY })
      : sign(all, { signType, charset, key: options.key ?? KEY });
  return { ...all, sign: value, sign_type: signType };
}

/** `/gateway.do?…` for signed parameters, encoded in the charset. */
export function gatewayPath(params: Record<string, string>, charset: Charset = 'utf-8'): string {
  return `/gateway.do?${encodeForm(params, charset)}`;
}

/** A direct-pay request's parameters (unsigned). */
export function directPayParams(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    service: 'create_direct_pay_by_user',
    out_trade_no: orderNo('D'),
    subject: '沙箱测试商品',
    payment_type: '1',
    total_fee: '12.34',
    seller_id: PARTNER,
    notify_url: 'http://127.0.0.1:9/notify',
    return_url: 'http://127.0.0.1:9/return',
    ...overrides,
  };
}

/** An escrow (or dual, with service overridden) request's parameters (unsigned). */
export function escrowParams(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    service: 'create_partner_trade_by_buyer',
    out_trade_no: orderNo('E'),
    subject: '担保交易测试商品',
    payment_type: '1',
    price: '10.00',
    quantity: '1',
    logistics_type: 'EXPRESS',
    logistics_fee: '5.00',
    logistics_payment: 'BUYER_PAY',
    logistics_type_1: 'POST',
    logistics_fee_1: '2.00',
    logistics_payment_1: 'SELLER_PAY',
    seller_email: SELLER_EMAIL,
    notify_url: 'http://127.0.0.1:9/notify',
    return_url: 'http://127.0.0.1:9/return',
    ...overrides,
  };
}

/** Sends a signed GET to the gateway in process. */
export function gatewayGet(app: Hono<AppEnv>, params: Record<string, string>, options: SignWith & { env?: unknown } = {}) {
  const signed = signRequest(params, options);
  return app.request(gatewayPath(signed, options.charset), {}, options.env as never);
}

/** Sends a signed POST (the official SDKs' server calls: charset in the URL and in the body). */
export function gatewayPost(app: Hono<AppEnv>, params: Record<string, string>, options: SignWith = {}) {
  const charset = options.charset ?? 'utf-8';
  const signed = signRequest(params, options);
  return app.request(`/gateway.do?_input_charset=${charset}`, {
    method: 'POST',
    headers: { 'content-type': `application/x-www-form-urlencoded; charset=${charset}` },
    body: encodeForm(signed, charset),
  });
}

/** The query parameters of a URL, decoded once in the charset. */
export function queryOf(url: string, charset: Charset = 'utf-8'): Record<string, string> {
  const q = url.indexOf('?');
  return parseForm(q === -1 ? '' : url.slice(q + 1), charset);
}

/** The code in the 调试错误 page's meta tag, or undefined. */
export function pageErrorCode(html: string): string | undefined {
  return /<meta name="alipay-error-code" content="([^"]+)"/.exec(html)?.[1];
}

/** The `<error>` of an XML reply, or undefined. */
export function xmlErrorCode(xml: string): string | undefined {
  return /<is_success>F<\/is_success><error>([^<]+)<\/error>/.exec(xml)?.[1];
}

/** A tiny cookie jar for in-process page flows; it keeps the form token of the pages it saw. */
export class CookieJar {
  private cookies = new Map<string, string>();
  /** The `_csrf` value of this browser's forms (routes/csrf.tsx), once a page showed one. */
  csrf: string | undefined;
  async keepCsrf(res: Response): Promise<void> {
    if (!(res.headers.get('content-type') ?? '').startsWith('text/html')) return;
    const token = csrfOf(await res.clone().text());
    if (token) this.csrf = token;
  }
  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): Record<string, string> {
    return this.cookies.size === 0 ? {} : { cookie: [...this.cookies].map(([n, v]) => `${n}=${v}`).join('; ') };
  }
}

/** The `_csrf` field of a page's forms, or undefined. */
export function csrfOf(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}

/**
 * POSTs an HTML form of the sandbox's own pages (UTF-8) with the jar's cookies, as a browser
 * would from a page it opened: with the page's `_csrf` (a first page is opened for it when the jar
 * has none yet) unless `fields` says `_csrf` itself.
 */
export async function postForm(app: Hono<AppEnv>, path: string, fields: Record<string, string>, jar: CookieJar): Promise<Response> {
  if (!('_csrf' in fields) && jar.csrf === undefined) await getPage(app, '/buyer', jar);
  const sent = '_csrf' in fields ? fields : { ...fields, _csrf: jar.csrf ?? '' };
  const res = await app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...jar.header() },
    body: new URLSearchParams(sent).toString(),
  });
  jar.store(res);
  await jar.keepCsrf(res);
  return res;
}

export async function getPage(app: Hono<AppEnv>, path: string, jar: CookieJar): Promise<Response> {
  const res = await app.request(path, { headers: jar.header() });
  jar.store(res);
  await jar.keepCsrf(res);
  return res;
}

/** A POST of a JSON body to the test-helper API (`/sandbox/api` + `path`). */
export async function apiPost(app: Hono<AppEnv>, path: string, body: unknown = {}): Promise<Response> {
  return app.request(`/sandbox/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** Opens the cashier of a fresh signed request and logs the first seeded buyer in; the trade number. */
export async function cashierLoggedIn(app: Hono<AppEnv>, params: Record<string, string>, jar: CookieJar): Promise<string> {
  const res = await gatewayGet(app, params);
  const tradeNo = /^\/cashier\/(\d+)$/.exec(res.headers.get('location') ?? '')?.[1];
  if (res.status !== 303 || tradeNo === undefined) throw new Error(`the gateway answered ${res.status}: ${await res.text()}`);
  const buyer = SEED_BUYERS[0]!;
  const login = await postForm(app, `/cashier/${tradeNo}/login`, { login: buyer.login, password: buyer.loginPassword }, jar);
  if (login.status !== 303) throw new Error(`the cashier's login answered ${login.status}`);
  return tradeNo;
}

/** The hidden `ctx` field of a quick-login / address page. */
export function hiddenCtx(html: string): string {
  const m = /name="ctx" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no ctx field in the page');
  return m[1]!;
}
