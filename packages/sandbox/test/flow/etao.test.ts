import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAuthReturn, parseForm, verifyMessageSign } from 'alipay-legacy/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEED_BUYERS } from '../../src/seed.js';
import { CookieJar, KEY, PARTNER, csrfOf } from '../helpers/gateway-client.js';
import { serveSandbox, type ServedSandbox } from '../helpers/served-sandbox.js';

const buyer = SEED_BUYERS[0]!;

/**
 * The etao entry (protocol.md §12.13) over real sockets: the sandbox's /etao page sends the browser
 * to a loopback merchant's quick-login return_url with target_url, signed, with the buyer signed in
 * at the buyer console or without one.
 */
describe('the etao entry', () => {
  let served: ServedSandbox;
  let merchant: Server;
  let merchantBase: string;
  const arrivals: string[] = [];

  beforeAll(async () => {
    served = await serveSandbox({ db: ':memory:' });
    merchant = createServer((req, res) => {
      arrivals.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
    await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve));
    merchantBase = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => merchant?.close(() => resolve()));
    await served?.close();
  });

  /** A browser's request to the sandbox, keeping cookies and the form token. */
  async function browse(jar: CookieJar, path: string, fields?: Record<string, string>): Promise<Response> {
    const res = await fetch(`${served.base}${path}`, {
      redirect: 'manual',
      headers: { ...jar.header(), ...(fields ? { 'content-type': 'application/x-www-form-urlencoded', origin: served.base } : {}) },
      ...(fields ? { method: 'POST', body: new URLSearchParams({ _csrf: jar.csrf ?? '', ...fields }).toString() } : {}),
    });
    jar.store(res);
    await jar.keepCsrf(res);
    return res;
  }

  /** Takes the etao entry and follows the redirect to the merchant; the parameters it received. */
  async function takeEntry(jar: CookieJar, targetUrl: string): Promise<Record<string, string>> {
    const page = await browse(jar, '/etao');
    expect(page.status).toBe(200);
    expect(csrfOf(await page.text())).toBeDefined();
    const res = await browse(jar, '/etao', { partner: PARTNER, return_url: `${merchantBase}/alipay/login-return`, target_url: targetUrl, charset: 'utf-8', sign_type: 'MD5' });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location.startsWith(`${merchantBase}/alipay/login-return?`)).toBe(true);
    const before = arrivals.length;
    expect((await fetch(location)).status).toBe(200);
    expect(arrivals).toHaveLength(before + 1);
    const received = arrivals.at(-1)!;
    return parseForm(received.slice(received.indexOf('?') + 1), 'utf-8');
  }

  async function notifyVerify(notifyId: string): Promise<string> {
    return (await fetch(`${served.base}/gateway.do?service=notify_verify&partner=${PARTNER}&notify_id=${encodeURIComponent(notifyId)}`)).text();
  }

  it('sends a buyer who is not signed in with target_url and a notify_id only, signed', async () => {
    const params = await takeEntry(new CookieJar(), `${merchantBase}/products/7`);
    expect(Object.keys(params).sort()).toEqual(['notify_id', 'sign', 'sign_type', 'target_url']);
    expect(params.target_url).toBe(`${merchantBase}/products/7`);
    expect(() => verifyMessageSign(params, { signType: 'MD5', key: KEY, charset: 'utf-8' })).not.toThrow();
    expect(await notifyVerify(params.notify_id!)).toBe('true');
  });

  it('sends a buyer signed in at the buyer console as from a quick login, with target_url', async () => {
    const jar = new CookieJar();
    await browse(jar, '/buyer');
    expect((await browse(jar, '/buyer/login', { login: buyer.login, password: buyer.loginPassword })).status).toBe(303);
    const params = await takeEntry(jar, `${merchantBase}/products/8`);
    expect(() => verifyMessageSign(params, { signType: 'MD5', key: KEY, charset: 'utf-8' })).not.toThrow();
    expect(parseAuthReturn(params, 'return')).toMatchObject({ user_id: buyer.userId, real_name: buyer.realName, target_url: `${merchantBase}/products/8` });
    expect(params.token).toHaveLength(40);
    expect(await notifyVerify(params.notify_id!)).toBe('true');
  });

  it('refuses a target_url that is not a web page, shows the form again and sends nobody anywhere', async () => {
    const jar = new CookieJar();
    await browse(jar, '/etao');
    const before = arrivals.length;
    const res = await browse(jar, '/etao', { partner: PARTNER, return_url: `${merchantBase}/alipay/login-return`, target_url: 'javascript:alert(1)' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('target_url');
    const noReturn = await browse(jar, '/etao', { partner: PARTNER, return_url: 'ftp://x', target_url: `${merchantBase}/p` });
    expect(noReturn.status).toBe(400);
    expect(arrivals).toHaveLength(before);
  });

  it('is linked from the dashboard', async () => {
    const html = await (await fetch(`${served.base}/`)).text();
    expect(html).toContain('href="/etao"');
  });
});
