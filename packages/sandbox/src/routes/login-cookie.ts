import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv, Web } from './web-context.js';

/**
 * The buyer's or seller's login at the sandbox's pages, kept in an HMAC-sealed cookie (stateless:
 * no sessions table). A login is scoped: to one trade at the cashier (every new payment asks for
 * the password again unless a quick-login token with a live login state came with the request,
 * decisions.md §16, which keeps tests deterministic), or to the buyer's or seller's console.
 * It lasts 10 minutes of the sandbox's clock, like the login state behind a quick-login token.
 */
export const LOGIN_MINUTES = 10;

interface LoginState {
  /** The buyer's user id, or the seller's partner id. */
  u: string;
  /** Expiry on the sandbox's (virtual) clock, ms. */
  e: number;
}

export type LoginScope = { kind: 'trade'; tradeNo: string } | { kind: 'buyer' } | { kind: 'seller' };

/** A trade number is digits (decisions.md §9); anything else would not make a valid cookie name. */
const COOKIE_SAFE = /^[0-9A-Za-z_-]{1,64}$/;

function cookieName(scope: LoginScope): string | undefined {
  if (scope.kind !== 'trade') return `alipay_sandbox_${scope.kind}`;
  return COOKIE_SAFE.test(scope.tradeNo) ? `alipay_sandbox_trade_${scope.tradeNo}` : undefined;
}

export function setLogin(c: Context<AppEnv>, web: Web, scope: LoginScope, id: string): void {
  const name = cookieName(scope);
  if (!name) return;
  const state: LoginState = { u: id, e: web.deps.clock.now() + LOGIN_MINUTES * 60_000 };
  setCookie(c, name, web.sealer.seal(state), { path: '/', httpOnly: true, sameSite: 'Lax', maxAge: 24 * 3600 });
}

/** The logged-in id for the scope, or undefined when nobody is (or the login expired). */
export function readLogin(c: Context<AppEnv>, web: Web, scope: LoginScope): string | undefined {
  const name = cookieName(scope);
  const state = name ? web.sealer.open<LoginState>(getCookie(c, name)) : undefined;
  if (!state || typeof state.u !== 'string' || typeof state.e !== 'number') return undefined;
  return state.e > web.deps.clock.now() ? state.u : undefined;
}

export function clearLogin(c: Context<AppEnv>, scope: LoginScope): void {
  const name = cookieName(scope);
  if (name) deleteCookie(c, name, { path: '/' });
}
