import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFromEnv, SANDBOX_MERCHANT } from './config.js';

describe('configFromEnv', () => {
  it('defaults to the sandbox merchant, SQLite under .shop and port 3000', () => {
    const config = configFromEnv({}, '/srv/app');
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', database: '/srv/app/.shop/shop.db', defaultAdminPassword: true });
    expect(config.alipay).toMatchObject({ partner: SANDBOX_MERCHANT.partner, key: SANDBOX_MERCHANT.key, gateway: SANDBOX_MERCHANT.gateway, charset: 'utf-8', signType: 'MD5' });
    expect(config.options.defaultPaymentSetting).toBe('instant');
  });

  it('points at another gateway by configuration only', () => {
    const config = configFromEnv(
      {
        ALIPAY_GATEWAY: 'https://mapi.alipay.com/gateway.do',
        ALIPAY_PARTNER: '2088101122136241',
        ALIPAY_KEY: 'k'.repeat(32),
        ALIPAY_SELLER_EMAIL: 'shop@example.com',
        ALIPAY_CHARSET: 'GBK',
        SHOP_PAYMENT_SERVICE: 'dual',
        DATABASE_URL: 'postgres://u@db/shop',
        SHOP_PUBLIC_URL: 'https://shop.example.com',
        SHOP_ADMIN_PASSWORD: 'secret',
      },
      '/srv/app',
    );
    expect(config.database).toBe('postgres://u@db/shop');
    expect(config.alipay).toMatchObject({ gateway: 'https://mapi.alipay.com/gateway.do', partner: '2088101122136241', charset: 'gbk', sellerEmail: 'shop@example.com' });
    expect(config.options).toMatchObject({ defaultPaymentSetting: 'dual', publicUrl: 'https://shop.example.com', adminPassword: 'secret' });
    expect(config.defaultAdminPassword).toBe(false);
  });

  it('reads RSA keys from files, and refuses RSA without them or an unknown interface', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shop-config-'));
    writeFileSync(join(dir, 'merchant.pem'), 'PRIVATE');
    writeFileSync(join(dir, 'alipay.pem'), 'PUBLIC');
    const config = configFromEnv({ ALIPAY_SIGN_TYPE: 'RSA', ALIPAY_PRIVATE_KEY_FILE: 'merchant.pem', ALIPAY_PUBLIC_KEY_FILE: 'alipay.pem' }, dir);
    expect(config.alipay).toMatchObject({ signType: 'RSA', privateKey: 'PRIVATE', alipayPublicKey: 'PUBLIC' });
    expect(config.alipay.key).toBeUndefined();
    expect(() => configFromEnv({ ALIPAY_SIGN_TYPE: 'RSA' })).toThrow(/ALIPAY_PRIVATE_KEY_FILE/);
    expect(() => configFromEnv({ SHOP_PAYMENT_SERVICE: 'paypal' })).toThrow(/instant, escrow or dual/);
  });
});
