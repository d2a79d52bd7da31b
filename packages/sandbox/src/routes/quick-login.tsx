import { GatewayError, type Charset, type SignType } from 'alipay-legacy';
import { Hono, type Context } from 'hono';
import { AddressPickerPage, AutoPostPage, QuickLoginPage } from '../pages/quick-login.js';
import {
  SandboxError,
  buildAddressReturnForm,
  buildAuthReturnUrl,
  checkLoginPassword,
  listAddresses,
  requireMerchant,
  type Merchant,
} from '../services/index.js';
import { formText, readForm } from './form-input.js';
import type { AppEnv, Web } from './web-context.js';

/**
 * What a quick-login or address page carries between the gateway request and the buyer's next
 * click, sealed in a hidden field (stateless; valid 30 minutes of the sandbox's clock, the life of
 * a quick-login token, decisions.md §16).
 */
export interface QuickLoginContext {
  k: 'auth' | 'address';
  p: string;
  r: string;
  c: Charset;
  s: SignType;
  t?: string;
  /** The buyer, once known (address query after login, or from a live token). */
  u?: string;
  e: number;
}

const CONTEXT_MINUTES = 30;

export function sealQuickLogin(web: Web, ctx: Omit<QuickLoginContext, 'e'>): string {
  return web.sealer.seal({ ...ctx, e: web.deps.clock.now() + CONTEXT_MINUTES * 60_000 });
}

async function openContext(c: Context<AppEnv>, web: Web, kind: QuickLoginContext['k']): Promise<{ ctx: QuickLoginContext; merchant: Merchant; form: Record<string, unknown> }> {
  const form = await readForm(c);
  const ctx = web.sealer.open<QuickLoginContext>(formText(form, 'ctx'));
  if (!ctx || ctx.k !== kind) throw new GatewayError('ILLEGAL_ARGUMENT', 'the page was not opened by a gateway request (missing or forged context)');
  if (ctx.e <= web.deps.clock.now()) throw new GatewayError('ILLEGAL_ARGUMENT', 'the page expired: start again from the merchant site');
  const merchant = await requireMerchant(web.deps, ctx.p);
  return { ctx, merchant, form };
}

const WRONG_LOGIN = '账户名或登录密码不正确，请重新输入。';

/** The address picker for a known buyer. */
export async function renderAddressPicker(c: Context<AppEnv>, web: Web, merchant: Merchant, ctx: Omit<QuickLoginContext, 'e'>, userId: string) {
  const addresses = await listAddresses(web.deps, userId);
  return c.html(<AddressPickerPage merchant={merchant} ctx={sealQuickLogin(web, { ...ctx, u: userId })} addresses={addresses} />);
}

/** `/auth/*`: the login window of `alipay.auth.authorize`, back to the merchant by GET (decisions.md §16). */
export function authRoutes(web: Web): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/login', async (c) => {
    const { ctx, merchant, form } = await openContext(c, web, 'auth');
    const login = formText(form, 'login');
    let userId: string;
    try {
      userId = (await checkLoginPassword(web.deps, login, formText(form, 'password'))).userId;
    } catch (err) {
      if (err instanceof SandboxError && err.code === 'WRONG_LOGIN') {
        return c.html(<QuickLoginPage merchant={merchant} ctx={formText(form, 'ctx')} action="/auth/login" purpose="登录" error={WRONG_LOGIN} login={login} />);
      }
      throw err;
    }
    const url = await buildAuthReturnUrl(web.deps, {
      merchant,
      returnUrl: ctx.r,
      userId,
      charset: ctx.c,
      signType: ctx.s,
      ...(ctx.t ? { targetUrl: ctx.t } : {}),
    });
    return c.redirect(url, 303);
  });
  return app;
}

/** `/address/*`: the address picker of `user.logistics.address.query`, back by POST form (decisions.md §17). */
export function addressRoutes(web: Web): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/login', async (c) => {
    const { ctx, merchant, form } = await openContext(c, web, 'address');
    const login = formText(form, 'login');
    try {
      const buyer = await checkLoginPassword(web.deps, login, formText(form, 'password'));
      return renderAddressPicker(c, web, merchant, ctx, buyer.userId);
    } catch (err) {
      if (err instanceof SandboxError && err.code === 'WRONG_LOGIN') {
        return c.html(
          <QuickLoginPage merchant={merchant} ctx={formText(form, 'ctx')} action="/address/login" purpose="向以下网站提供收货地址" error={WRONG_LOGIN} login={login} />,
        );
      }
      throw err;
    }
  });
  app.post('/select', async (c) => {
    const { ctx, merchant, form } = await openContext(c, web, 'address');
    if (!ctx.u) throw new GatewayError('ILLEGAL_ARGUMENT', 'log in before choosing an address');
    const addressId = Number(formText(form, 'address'));
    const addresses = await listAddresses(web.deps, ctx.u);
    if (!addresses.some((a) => a.id === addressId)) {
      return c.html(<AddressPickerPage merchant={merchant} ctx={formText(form, 'ctx')} addresses={addresses} error="请选择一个收货地址。" />);
    }
    const { action, fields } = await buildAddressReturnForm(web.deps, {
      merchant,
      returnUrl: ctx.r,
      userId: ctx.u,
      addressId,
      charset: ctx.c,
      signType: ctx.s,
    });
    return c.html(<AutoPostPage action={action} fields={fields} charset={ctx.c} />);
  });
  return app;
}
