import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signedNotification } from 'alipay-legacy/testing';
import { SEED_MERCHANT } from 'alipay-legacy-sandbox';
import { afterEach, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { HttpBuyer } from '../helpers/http-buyer.js';
import { SEED_SIGNER } from '../helpers/servers.js';
import { startShopProcess } from '../helpers/shop-process.js';

/**
 * `success` only after the commit, through a crash: the shop runs as a process of its own on an
 * SQLite file (commits in the write-ahead log, checkpoints on their own thread) and is killed with
 * SIGKILL while notifications pour in. Every notification it answered `success` must be in the
 * file afterwards, applied and logged, and no order may be changed without its log entry.
 */
const ORDERS = 120;
const KILL_AFTER = 40;
const IN_FLIGHT = 8;

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A gateway that says every notify_id is genuine: the shop's notify_verify passes. */
async function trustingGateway(): Promise<string> {
  const server = createServer((_req, res) => res.end('true'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/gateway.do`;
}

it('keeps every notification it answered success for when killed with SIGKILL mid-stream', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shop-sigkill-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const shop = await startShopProcess({ DATA_DIR: dir, SHOP_PORT: '0', ALIPAY_GATEWAY: await trustingGateway(), SHOP_RECONCILE_EVERY_SECONDS: '3600' });
  cleanups.push(() => shop.kill());

  // Orders placed on the direct-payment page, as a buyer would.
  const buyer = new HttpBuyer(shop.url);
  const orders: string[] = [];
  for (let i = 0; i < ORDERS; i++) {
    const sent = await buyer.post('/pay', { subject: '测试商品', amount: '0.01', note: '' });
    orders.push(new URL(sent.location!).searchParams.get('out_trade_no')!);
  }
  const bodies = orders.map(
    (no, i) => signedNotification(SEED_SIGNER, { out_trade_no: no, trade_no: `2026120200001${String(i).padStart(15, '0')}`, trade_status: 'TRADE_FINISHED', total_fee: '0.01', seller_id: SEED_MERCHANT.partner }).body,
  );

  // Notifications, a few in flight at a time; the kill comes as soon as KILL_AFTER were acknowledged.
  const acknowledged: string[] = [];
  let next = 0;
  let killing: Promise<void> | undefined;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < ORDERS && !killing) {
        const i = next++;
        const answer = await fetch(`${shop.url}/alipay/notify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: bodies[i] }).then(
          (res) => res.text(),
          () => 'no answer',
        );
        if (answer === 'success') acknowledged.push(orders[i]!);
        if (acknowledged.length >= KILL_AFTER) killing ??= shop.kill();
      }
    }),
  );
  await killing;
  expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER);
  expect(acknowledged.length).toBeLessThan(ORDERS);

  const store = openStore(join(dir, 'shop.db'));
  cleanups.push(() => store.close());
  const paid = await store.db.selectFrom('orders').select('out_trade_no').where('trade_status', '=', 'TRADE_FINISHED').execute();
  const applied = await store.db.selectFrom('notification_log').select('out_trade_no').where('outcome', '=', 'applied').execute();
  const paidNos = paid.map((o) => o.out_trade_no).sort();
  expect(paidNos).toEqual(expect.arrayContaining(acknowledged));
  expect(applied.map((l) => l.out_trade_no).sort()).toEqual(paidNos);
});
