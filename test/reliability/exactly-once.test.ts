import { describe, expect, it } from 'vitest';
import { allAcknowledged, buyAndPay, cleanupsForSuite, inParallel, injected, orderFigures, paidCount, report, sized, Stack, settle, STORES, SETTLE_MS } from './harness.js';

/**
 * Exactly once: N orders bought in the shop and paid at the sandbox, each order's return fetched
 * while its notification is on its way, with the sandbox injecting doubled, reordered and
 * badly signed deliveries in turns. Every order must end paid, by exactly one change in its
 * history and one applied message, and never move back; what the sandbox injected is read from
 * its delivery log.
 */
const ORDERS = sized(1_000, 10_000);
const BUYERS = 8;
/** The faults take turns, each for the next `count` deliveries, a new one every ROUND orders. */
const ROUND = Math.max(20, Math.floor(ORDERS / 20));
const FAULTS: { kind: string; seconds?: number }[] = [{ kind: 'duplicate' }, { kind: 'bad_sign' }, { kind: 'reorder', seconds: 1 }, { kind: 'none' }];

describe.each(STORES)('exactly once [%s]', (store) => {
  const cleanup = cleanupsForSuite();

  it(`${ORDERS} orders paid, each once, with the return and the notification racing and faults injected`, async () => {
    const stack = await new Stack(store, cleanup).start();
    const outTradeNos: string[] = [];
    const returns: number[] = [];
    await inParallel(ORDERS, BUYERS, stack.shopUrl, async (i, buyer) => {
      if (i % ROUND === 0) {
        const fault = FAULTS[(i / ROUND) % FAULTS.length]!;
        if (fault.kind === 'none') await stack.setFault('none');
        else await stack.setFault(fault.kind, Math.ceil(ROUND / 4), fault.seconds);
      }
      const { outTradeNo, returnUrl } = await buyAndPay(stack, buyer);
      outTradeNos.push(outTradeNo);
      // The browser comes back while the dispatcher delivers the notification.
      const page = await buyer.get(returnUrl);
      returns.push(page.status);
    });
    await stack.setFault('none');
    expect(new Set(outTradeNos).size).toBe(ORDERS);
    expect(returns.every((s) => s === 200)).toBe(true);

    const acknowledged = allAcknowledged(stack, outTradeNos);
    await settle(stack, outTradeNos, async () => (await paidCount(stack)) >= ORDERS && (await acknowledged()), SETTLE_MS, 'every order paid and every notification acknowledged');
    const figures = await orderFigures(stack, outTradeNos);
    const faults = injected(await stack.notifications(outTradeNos));
    report(
      `exactly-once ${store}: ${ORDERS} orders, ${figures.paidOnce} paid once, ${figures.lost.length} lost, ${figures.doubled.length} doubled, ` +
        `${figures.movedBack.length} moved back, ${figures.refused} refused, ${figures.duplicates} duplicates ignored; injected ${JSON.stringify(faults)}`,
    );
    expect(figures.lost).toEqual([]);
    expect(figures.doubled).toEqual([]);
    expect(figures.movedBack).toEqual([]);
    expect(figures.paidOnce).toBe(ORDERS);
    // The faults did happen: each kind is in the delivery log, and the bad signs were refused.
    expect(faults.duplicate ?? 0).toBeGreaterThan(0);
    expect(faults.bad_sign ?? 0).toBeGreaterThan(0);
    expect(faults.reorder ?? 0).toBeGreaterThan(0);
    expect(figures.refused).toBeGreaterThanOrEqual(faults.bad_sign!);
  });
});
