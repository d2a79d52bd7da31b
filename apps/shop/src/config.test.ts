import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRODUCTS } from './catalogue.js';
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

  it('sells the products of the SHOP_CATALOGUE file, and refuses a file it cannot use, naming the product and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shop-config-'));
    const write = (name: string, value: unknown) => writeFileSync(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));
    const tea = { id: 'tea-1', name: '白茶 100克', description: '福鼎白茶。', priceFen: 5800 };
    write('catalogue.json', [tea, { ...tea, id: 'tea_2', description: '', priceFen: 1 }]);
    expect(configFromEnv({ SHOP_CATALOGUE: 'catalogue.json' }, dir).options.products).toEqual([tea, { ...tea, id: 'tea_2', description: '', priceFen: 1 }]);
    expect(configFromEnv({}, dir).options.products).toBeUndefined();
    expect(PRODUCTS.map((p) => p.id)).toContain('test-penny');

    const refused = (value: unknown) => {
      write('bad.json', value);
      return () => configFromEnv({ SHOP_CATALOGUE: 'bad.json' }, dir);
    };
    expect(() => configFromEnv({ SHOP_CATALOGUE: 'missing.json' }, dir)).toThrow(/SHOP_CATALOGUE .*missing\.json: cannot be read \(ENOENT\)/);
    expect(refused('[{"id": ')).toThrow(/bad\.json: not JSON/);
    expect(refused([])).toThrow(/should be a JSON array of products/);
    expect(refused({ products: [tea] })).toThrow(/should be a JSON array of products/);
    expect(refused([tea, 'tea'])).toThrow(/product 1 is not an object/);
    expect(refused([{ ...tea, id: '../admin' }])).toThrow(/product 0: id should be 1 to 64 letters/);
    expect(refused([tea, tea])).toThrow(/product 1: id "tea-1" is used twice/);
    expect(refused([{ ...tea, name: ' ' }])).toThrow(/product 0 \(tea-1\): name should be a non-empty string/);
    // 100 Chinese characters are 200 as Alipay counts: the limit; one more ASCII character is over it.
    expect(configFromEnv({ SHOP_CATALOGUE: (write('long.json', [{ ...tea, name: '茶'.repeat(100) }]), 'long.json') }, dir).options.products![0]!.name).toHaveLength(100);
    expect(refused([{ ...tea, name: `${'茶'.repeat(100)}a` }])).toThrow(/name should be a non-empty string of at most 200/);
    expect(refused([{ ...tea, description: 7 }])).toThrow(/description should be a string/);
    for (const priceFen of [0, 1.5, '5800', 100_000_001]) expect(refused([{ ...tea, priceFen }])).toThrow(/priceFen should be an integer number of fen from 1 to 100000000/);
  });
});
