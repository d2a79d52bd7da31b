import { expect } from 'vitest';

/**
 * A buyer's browser without the browser, for flow tests: keeps the shop's cookies, reads the CSRF
 * token off each page, and follows nothing by itself (tests look at each redirect).
 */
export class HttpBuyer {
  private cookies = new Map<string, string>();
  csrf = '';

  constructor(readonly base: string) {}

  /** A cookie's current value. */
  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Sets a cookie by hand (to plant a session id, as an attacker would try). */
  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
  }

  async get(pathOrUrl: string): Promise<{ status: number; html: string; location: string | null }> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${this.base}${pathOrUrl}`;
    const res = await fetch(url, { redirect: 'manual', headers: url.startsWith(this.base) ? { cookie: this.cookieHeader() } : {} });
    if (url.startsWith(this.base)) this.keep(res);
    const html = await res.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html);
    if (token) this.csrf = token[1]!;
    return { status: res.status, html, location: res.headers.get('location') };
  }

  async post(path: string, form: Record<string, string>, options: { csrf?: boolean } = {}): Promise<{ status: number; html: string; location: string | null }> {
    if (options.csrf !== false && !this.csrf) await this.get('/');
    const body = new URLSearchParams({ ...(options.csrf === false ? {} : { _csrf: this.csrf }), ...form });
    const res = await fetch(`${this.base}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body,
    });
    this.keep(res);
    return { status: res.status, html: await res.text(), location: res.headers.get('location') };
  }

  /**
   * Puts the test product in the cart, places the order (paid with Alipay unless `form` says
   * otherwise) and follows the shop's redirect to the gateway, which opens the trade and sends the
   * browser to its cashier. Returns the order's out_trade_no.
   */
  async placeOrder(form: Record<string, string> = {}): Promise<string> {
    await this.post('/cart/add', { product_id: 'test-penny' });
    const placed = await this.post('/checkout', { ...ADDRESS, payment: 'alipay', ...form });
    expect(placed.status).toBe(303);
    const gatewayUrl = new URL(placed.location!);
    const atGateway = await fetch(gatewayUrl, { redirect: 'manual' });
    expect(atGateway.status, await atGateway.clone().text()).toBe(303);
    expect(atGateway.headers.get('location')).toContain('/cashier/');
    return gatewayUrl.searchParams.get('out_trade_no')!;
  }

  /** Logs in to the seller admin, then reads the CSRF token of the new session off the admin's page. */
  async logInAsAdmin(password: string): Promise<void> {
    await this.get('/admin/login');
    const login = await this.post('/admin/login', { password });
    expect(login.location).toBe('/admin');
    await this.get('/admin');
  }
}

/** The address the flow tests fill in (the shop's own region names). */
export const ADDRESS = {
  receive_name: '李四',
  prov: '上海市',
  city: '上海市',
  area: '浦东',
  address: '世纪大道 100 号',
  zip: '200120',
  mobile: '13800138000',
};
