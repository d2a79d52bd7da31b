import { parseForm } from 'alipay-legacy/protocol';
import { afterEach, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/create-sandbox.js';
import { listNotifications, payTrade } from '../../src/services/index.js';
import { forEachDialect, reopenableTestDb } from '../helpers/dialects.js';
import { MerchantServer } from '../helpers/merchant-server.js';
import { BUYER, escrowParams, open } from '../helpers/trades.js';

forEachDialect('two sandboxes sharing one store', (dialect) => {
  const sandboxes: Sandbox[] = [];
  let merchant: MerchantServer;
  let dispose: (() => Promise<void>) | undefined;
  afterEach(async () => {
    for (const s of sandboxes.splice(0)) await s.close();
    await merchant?.stop();
    await dispose?.();
  });

  // SQLite is one writer per file: sharing a file between live sandboxes is not supported (and
  // two connections in one process would block each other's synchronous driver).
  it.runIf(dialect === 'postgres')('share the deliveries: every attempt made once, one at a time per trade, in order', async () => {
    merchant = await new MerchantServer('slow').start();
    const store = await reopenableTestDb(dialect);
    dispose = store.dispose;
    const a = await createSandbox({ opened: store.open(), workerId: 'worker-a', pollMs: 10, deliveryConcurrency: 2 });
    const b = await createSandbox({ opened: store.open(), workerId: 'worker-b', pollMs: 10, deliveryConcurrency: 2 });
    sandboxes.push(a, b);
    const trades: string[] = [];
    for (let i = 0; i < 12; i++) {
      const t = await open(a.deps, escrowParams({ notify_url: merchant.url }));
      await payTrade(a.deps, t.tradeNo, { buyerId: BUYER.userId, logisticsIndex: 2 });
      trades.push(t.outTradeNo);
    }
    a.deps.dispatcher.start();
    b.deps.dispatcher.start();
    const deadline = Date.now() + 15_000;
    while (merchant.received.length < 36 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await Promise.all([a.deps.dispatcher.stop(), b.deps.dispatcher.stop()]);
    expect(merchant.received).toHaveLength(36);
    expect(merchant.maxInFlightPerTrade).toBe(1);
    for (const outTradeNo of trades) {
      const mine = merchant.received.map((r) => parseForm(r.body, 'utf-8')).filter((p) => p.out_trade_no === outTradeNo);
      expect(mine.map((p) => p.trade_status)).toEqual(['WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS']);
    }
    const all = await listNotifications(a.deps, { limit: 1000 });
    expect(all.every((n) => n.state === 'acknowledged' && n.deliveryAttempts.length === 1)).toBe(true);
    // Both workers took part (two slots each for twelve trades; SKIP LOCKED shares the queue).
    expect(new Set(all.map((n) => n.deliveryAttempts[0]!.workerId))).toEqual(new Set(['worker-a', 'worker-b']));
  });
});
