import { createClient, systemClock, type AlipayClient, type AlipayConfig, type Clock } from 'alipay-legacy';
import type { Kysely } from 'kysely';
import { PRODUCTS, type Product } from './catalogue.js';
import type { PaymentSetting } from './payment-services.js';
import type { Dialect } from './store/open-store.js';
import type { ShopDatabase } from './store/schema.js';

/** The shop's own settings (the Alipay account's are in the client's configuration). */
export interface ShopOptions {
  /** Where browsers and Alipay reach the shop, e.g. `http://127.0.0.1:3000` (no trailing slash). */
  publicUrl: string;
  /** The shop's name, on every page. */
  shopName: string;
  /** What the shop sells (`SHOP_CATALOGUE`; the fixed list by default). */
  products: readonly Product[];
  /** The payee's name on the direct-payment page (`mainname`, protocol.md §12.5). */
  mainname: string;
  /** The seller admin's password. */
  adminPassword: string;
  /** Signs CSRF tokens; random per process unless given. */
  sessionSecret: string;
  /** The payment interface until the admin changes it. */
  defaultPaymentSetting: PaymentSetting;
  /** Reconciliation asks Alipay about orders still unpaid this long after the buyer went to pay. */
  reconcileAfterMs: number;
  /** How often the reconciliation job runs. */
  reconcileEveryMs: number;
}

/** Everything the shop's services use: the store, the Alipay client, the clock, the options. */
export interface ShopDeps {
  db: Kysely<ShopDatabase>;
  dialect: Dialect;
  alipay: AlipayClient;
  clock: Clock;
  options: ShopOptions;
}

/** The Alipay configuration without the URLs the shop fills in from its public address. */
export type AlipayAccount = Omit<AlipayConfig, 'notifyUrl' | 'returnUrl' | 'clock'>;

export const DEFAULT_OPTIONS: Omit<ShopOptions, 'publicUrl' | 'sessionSecret'> = {
  shopName: '示例商城',
  products: PRODUCTS,
  mainname: '示例商城',
  adminPassword: 'shop-admin',
  defaultPaymentSetting: 'instant',
  reconcileAfterMs: 5 * 60_000,
  reconcileEveryMs: 60_000,
};

/**
 * Builds the deps: the client's notify_url and return_url are the shop's own
 * (`/alipay/notify`, `/alipay/return` under the public address), the clock is shared.
 */
export function buildShopDeps(input: {
  db: Kysely<ShopDatabase>;
  dialect: Dialect;
  alipay: AlipayAccount;
  options: Partial<ShopOptions> & Pick<ShopOptions, 'publicUrl' | 'sessionSecret'>;
  clock?: Clock;
}): ShopDeps {
  const clock = input.clock ?? systemClock;
  const options: ShopOptions = { ...DEFAULT_OPTIONS, ...input.options, publicUrl: input.options.publicUrl.replace(/\/+$/, '') };
  const alipay = createClient({
    ...input.alipay,
    clock,
    notifyUrl: `${options.publicUrl}/alipay/notify`,
    returnUrl: `${options.publicUrl}/alipay/return`,
  });
  return { db: input.db, dialect: input.dialect, alipay, clock, options };
}
