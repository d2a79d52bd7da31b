import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { normalizeCharset, parseSignType } from 'alipay-legacy';
import { readCatalogue } from './catalogue.js';
import { DEFAULT_OPTIONS, type AlipayAccount, type ShopOptions } from './deps.js';
import { isPaymentSetting } from './payment-services.js';

/** The sandbox's seeded merchant (its README): the defaults, so the demo needs no configuration. */
export const SANDBOX_MERCHANT = {
  partner: '2088328287403500',
  key: 'ymcws8c0kb3i51tmtxc5y8na6rxlfgtp',
  sellerEmail: 'seller@sandbox.test',
  gateway: 'http://127.0.0.1:7000/gateway.do',
} as const;

/** Everything `startShop` needs, read from the environment by `configFromEnv`. */
export interface ShopConfig {
  port: number;
  host: string;
  /** An SQLite file path, `:memory:`, or a `postgres://` URL. */
  database: string;
  alipay: AlipayAccount;
  /** Options; `publicUrl` defaults to `http://HOST:PORT` once the port is known. */
  options: Partial<ShopOptions>;
  /** True when the admin password is the printed demo default. */
  defaultAdminPassword: boolean;
}

/**
 * Reads the shop's configuration from environment variables (all documented in the README):
 * pointing the shop at the real gateway is configuration only.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ShopConfig {
  const port = Number(env.SHOP_PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`SHOP_PORT="${env.SHOP_PORT}" is not a port`);
  const dataDir = resolve(cwd, env.DATA_DIR ?? '.shop');
  const database = env.DATABASE_URL || join(dataDir, 'shop.db');
  const signType = parseSignType(env.ALIPAY_SIGN_TYPE ?? 'MD5');
  const alipay: AlipayAccount = {
    partner: env.ALIPAY_PARTNER ?? SANDBOX_MERCHANT.partner,
    sellerEmail: env.ALIPAY_SELLER_EMAIL ?? SANDBOX_MERCHANT.sellerEmail,
    gateway: env.ALIPAY_GATEWAY ?? SANDBOX_MERCHANT.gateway,
    charset: normalizeCharset(env.ALIPAY_CHARSET ?? 'utf-8'),
    signType,
  };
  if (env.ALIPAY_SELLER_ID) alipay.sellerId = env.ALIPAY_SELLER_ID;
  if (signType === 'MD5') alipay.key = env.ALIPAY_KEY ?? SANDBOX_MERCHANT.key;
  else {
    if (!env.ALIPAY_PRIVATE_KEY_FILE || !env.ALIPAY_PUBLIC_KEY_FILE) {
      throw new Error('ALIPAY_SIGN_TYPE=RSA needs ALIPAY_PRIVATE_KEY_FILE (the merchant key) and ALIPAY_PUBLIC_KEY_FILE (Alipay public key)');
    }
    alipay.privateKey = readFileSync(resolve(cwd, env.ALIPAY_PRIVATE_KEY_FILE), 'utf8');
    alipay.alipayPublicKey = readFileSync(resolve(cwd, env.ALIPAY_PUBLIC_KEY_FILE), 'utf8');
  }
  if (env.ALIPAY_NOTIFY_VERIFY_URL) alipay.notifyVerifyUrl = env.ALIPAY_NOTIFY_VERIFY_URL;
  const payment = env.SHOP_PAYMENT_SERVICE ?? 'instant';
  if (!isPaymentSetting(payment)) throw new Error(`SHOP_PAYMENT_SERVICE="${payment}": use instant, escrow or dual`);
  const options: Partial<ShopOptions> = {
    defaultPaymentSetting: payment,
    adminPassword: env.SHOP_ADMIN_PASSWORD || DEFAULT_OPTIONS.adminPassword,
    sessionSecret: env.SHOP_SESSION_SECRET || randomBytes(32).toString('base64url'),
  };
  if (env.SHOP_PUBLIC_URL) options.publicUrl = env.SHOP_PUBLIC_URL;
  if (env.SHOP_NAME) options.shopName = env.SHOP_NAME;
  if (env.SHOP_CATALOGUE) options.products = readCatalogue(resolve(cwd, env.SHOP_CATALOGUE));
  if (env.SHOP_MAINNAME || env.SHOP_NAME) options.mainname = env.SHOP_MAINNAME || env.SHOP_NAME!;
  if (env.SHOP_RECONCILE_AFTER_SECONDS) options.reconcileAfterMs = Number(env.SHOP_RECONCILE_AFTER_SECONDS) * 1000;
  if (env.SHOP_RECONCILE_EVERY_SECONDS) options.reconcileEveryMs = Number(env.SHOP_RECONCILE_EVERY_SECONDS) * 1000;
  return { port, host: env.SHOP_HOST ?? '127.0.0.1', database, alipay, options, defaultAdminPassword: !env.SHOP_ADMIN_PASSWORD };
}
