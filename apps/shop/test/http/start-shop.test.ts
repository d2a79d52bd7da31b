import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { startShop } from '../../src/start-shop.js';

it('startShop opens an SQLite file under DATA_DIR, serves, and stops cleanly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shop-start-'));
  try {
    const shop = await startShop({ env: { DATA_DIR: dir, SHOP_PORT: '0' }, reconcile: true });
    expect(shop.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(shop.defaultAdminPassword).toBe(true);
    const page = await fetch(`${shop.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('测试商品（一分钱）');
    expect(shop.deps.alipay.config.notifyUrl).toBe(`${shop.url}/alipay/notify`);
    await shop.stop();
    await expect(fetch(`${shop.url}/`)).rejects.toThrow();
    // Started again on the same file: the migrations have nothing left to do.
    const again = await startShop({ env: { DATA_DIR: dir, SHOP_PORT: '0' }, reconcile: false });
    expect((await fetch(`${again.url}/pay`)).status).toBe(200);
    await again.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
