import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { Layout } from '../pages/layout.js';
import { cartOf } from '../services/carts.js';
import type { ShopEnv, Web } from './context.js';

/** The name shown after quick login: "支付宝用户" + real_name (protocol.md §12.10). */
export function buyerDisplayName(c: Context<ShopEnv>): string | undefined {
  const customer = c.get('customer');
  return customer ? `支付宝用户${customer.real_name ?? ''}` : undefined;
}

/** Renders a buyer-facing page in the shop's frame. */
export async function renderPage(
  c: Context<ShopEnv>,
  web: Web,
  title: string,
  body: Child,
  options: { status?: 200 | 400 | 403 | 404 | 409 | 502; admin?: boolean; wide?: boolean } = {},
): Promise<Response> {
  const cart = options.admin ? undefined : await cartOf(web.deps, c.get('sid'));
  const url = new URL(c.req.url);
  return c.html(
    <Layout
      title={title}
      shopName={web.deps.options.shopName}
      buyerName={buyerDisplayName(c)}
      cartCount={cart?.count}
      csrf={c.get('csrf')}
      path={url.pathname + url.search}
      wide={options.wide ?? false}
      admin={options.admin ?? false}
    >
      {body}
    </Layout>,
    options.status ?? 200,
  );
}

/** Reads one text field of the shop's own forms. */
export function field(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? value.replace(/\0/g, '') : '';
}
