import { parseMessage, type TradeStatusSyncMessage } from 'alipay-legacy';
import { SEED_MERCHANT } from 'alipay-legacy-sandbox';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ShopDeps } from '../../src/deps.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { ShopStore } from '../../src/store/open-store.js';
import { applyVerifiedMessage, logRefusal } from '../../src/services/message-intake.js';
import { placeDirectPayment } from '../../src/services/orders.js';
import { forEachDialect, openTestStore } from '../helpers/dialects.js';
import { testShopDeps } from '../helpers/servers.js';

forEachDialect('the shop store', (dialect) => {
  let store: ShopStore;
  let deps: ShopDeps;
  beforeEach(async () => {
    store = await openTestStore(dialect);
    deps = testShopDeps(store, 'http://127.0.0.1:9/gateway.do', 'http://shop.test');
  });
  afterEach(async () => {
    await store?.close();
  });

  const message = (outTradeNo: string, status: string, notifyId: string): TradeStatusSyncMessage =>
    parseMessage(
      { notify_type: 'trade_status_sync', notify_id: notifyId, notify_time: '2026-12-02 10:00:00', out_trade_no: outTradeNo, trade_no: '2026120200001', trade_status: status, total_fee: '0.01', seller_id: SEED_MERCHANT.partner },
      { via: 'notify' },
    ) as TradeStatusSyncMessage;

  it('migrates once: running the migrations again changes nothing', async () => {
    expect(await migrateToLatest(store.db, store.dialect)).toEqual([]);
  });

  it('keeps out_trade_no unique', async () => {
    const order = await placeDirectPayment(deps, { sid: 'x'.repeat(32), userId: null }, { subject: '测试', amount: '0.01', note: '' });
    await expect(store.db.insertInto('orders').values({ ...order, id: undefined } as never).execute()).rejects.toThrow();
  });

  it('applies one of many concurrent deliveries of the same payment, and logs each', async () => {
    const order = await placeDirectPayment(deps, { sid: 'x'.repeat(32), userId: null }, { subject: '测试', amount: '0.01', note: '' });
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => applyVerifiedMessage(deps, { channel: 'notify', raw: `n=${i}` }, message(order.out_trade_no, 'TRADE_FINISHED', `id${i}`))),
    );
    expect(results.filter((r) => r.outcome === 'applied')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'duplicate')).toHaveLength(7);
    const log = await store.db.selectFrom('notification_log').selectAll().execute();
    expect(log).toHaveLength(8);
    const events = await store.db.selectFrom('order_events').selectAll().where('kind', '=', 'trade_status').execute();
    expect(events).toHaveLength(1);
  });

  it('rolls back the log with the order: a message for no order is refused and leaves nothing behind', async () => {
    await expect(applyVerifiedMessage(deps, { channel: 'notify', raw: 'a=1' }, message('S-NONE', 'TRADE_FINISHED', 'idx'))).rejects.toThrow(/no order/);
    expect(await store.db.selectFrom('notification_log').selectAll().execute()).toEqual([]);
    await logRefusal(deps, { channel: 'notify', raw: 'a=1&token=secret-token-value' }, new Error('boom'));
    const [entry] = await store.db.selectFrom('notification_log').selectAll().execute();
    expect([entry!.outcome, entry!.reason, entry!.raw]).toEqual(['refused', 'internal_error', 'a=1&token=secret-t…']);
  });
});
