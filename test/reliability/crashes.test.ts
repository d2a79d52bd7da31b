import { describe, expect, it } from 'vitest';
import {
  advanceClock,
  allAcknowledged,
  cleanupsForSuite,
  inParallel,
  orderFigures,
  PARTNER,
  paidCount,
  report,
  settle,
  SETTLE_MS,
  sized,
  Stack,
  STORES,
  waitFor,
} from './harness.js';

/**
 * Crashes: the sandbox's server process killed with SIGKILL in the middle of a burst of payments,
 * and separately the shop killed with SIGKILL while it handles the notifications. Each is started
 * again on the same store and port; then every order must be paid at the sandbox, every
 * notification acknowledged and every order counted once in the shop.
 */
const ORDERS = sized(200, 1_000);
const PAYERS = 8;
/** Past the claim lock of attempts the dead sandbox had in flight (delivery timeout and margin). */
const CLAIM_EXPIRY_SECONDS = 31;

async function placeOrders(stack: Stack): Promise<string[]> {
  const outTradeNos: string[] = [];
  await inParallel(ORDERS, PAYERS, stack.shopUrl, async (_i, buyer) => {
    outTradeNos.push(await buyer.placeOrder());
  });
  return outTradeNos;
}

/** Pays the orders not paid yet at the sandbox (a payment cut by a kill may or may not have committed: the trade says). */
async function payTheRest(stack: Stack, outTradeNos: string[]): Promise<number> {
  let paidNow = 0;
  await inParallel(outTradeNos.length, PAYERS, stack.shopUrl, async (i) => {
    const no = outTradeNos[i]!;
    const [trade] = await stack.api<{ trade_status: string }[]>('GET', `/trades?partner=${PARTNER}&out_trade_no=${no}`);
    if (trade?.trade_status === 'WAIT_BUYER_PAY') {
      await stack.api('POST', '/pay', { partner: PARTNER, out_trade_no: no, buyer: 'buyer@sandbox.test' });
      paidNow++;
    }
  });
  return paidNow;
}

describe.each(STORES)('crashes [%s]', (store) => {
  const cleanup = cleanupsForSuite();

  it(`the sandbox killed with SIGKILL during a burst of ${ORDERS} payments`, async () => {
    const stack = await new Stack(store, cleanup).start();
    const outTradeNos = await placeOrders(stack);
    let answered = 0;
    let cut = 0;
    let killing: Promise<void> | undefined;
    await inParallel(ORDERS, PAYERS, stack.shopUrl, async (i) => {
      if (killing) return;
      try {
        await stack.api('POST', '/pay', { partner: PARTNER, out_trade_no: outTradeNos[i], buyer: 'buyer@sandbox.test' });
        answered++;
      } catch {
        cut++;
      }
      if (answered >= ORDERS / 2) killing ??= stack.sandbox.kill();
    });
    await killing;
    expect(answered).toBeGreaterThanOrEqual(ORDERS / 2);
    expect(answered).toBeLessThan(ORDERS);
    // The kill cut payments in flight (the other payers' requests).
    expect(cut).toBeGreaterThan(0);

    await stack.startSandbox();
    await advanceClock(stack, CLAIM_EXPIRY_SECONDS);
    const paidAfter = await payTheRest(stack, outTradeNos);
    await settle(stack, outTradeNos, async () => (await paidCount(stack)) >= ORDERS && (await allAcknowledged(stack, outTradeNos)()), SETTLE_MS, 'every order paid, every notification acknowledged');
    const figures = await orderFigures(stack, outTradeNos);
    const notifications = await stack.notifications(outTradeNos);
    const interrupted = notifications.flatMap((n) => n.attempts).filter((a) => a.error?.includes('interrupted')).length;
    report(
      `crash-sandbox ${store}: ${ORDERS} orders, ${answered} paid before the kill, ${cut} payments cut, ${paidAfter} paid after the restart, ` +
        `${interrupted} attempts interrupted, ${notifications.length} notifications acknowledged, ${figures.paidOnce} paid once, ${figures.lost.length} lost, ${figures.doubled.length} doubled`,
    );
    // One notification per trade, none lost and none invented by the restart.
    expect(notifications).toHaveLength(ORDERS);
    expect(figures.lost).toEqual([]);
    expect(figures.doubled).toEqual([]);
    expect(figures.paidOnce).toBe(ORDERS);
  });

  it(`the shop killed with SIGKILL while it handles ${ORDERS} notifications`, async () => {
    const stack = await new Stack(store, cleanup).start();
    const outTradeNos = await placeOrders(stack);
    const db = stack.db();
    let killedAt = -1;
    const watching = waitFor(async () => (await paidCount(stack)) >= ORDERS / 4, SETTLE_MS, 'a quarter of the orders paid').then(async () => {
      await stack.shops[0]!.kill();
      killedAt = await paidCount(stack);
    });
    await inParallel(ORDERS, PAYERS, stack.shopUrl, async (i) => {
      await stack.api('POST', '/pay', { partner: PARTNER, out_trade_no: outTradeNos[i], buyer: 'buyer@sandbox.test' });
    });
    await watching;
    expect(killedAt).toBeLessThan(ORDERS);

    await stack.startShop();
    // The deliveries that failed while the shop was down are retried on the fast schedule; move the clock to them.
    await advanceClock(stack, 60);
    await settle(stack, outTradeNos, async () => (await paidCount(stack)) >= ORDERS && (await allAcknowledged(stack, outTradeNos)()), SETTLE_MS, 'every order paid, every notification acknowledged');
    const figures = await orderFigures(stack, outTradeNos);
    const notifications = await stack.notifications(outTradeNos);
    const failed = notifications.flatMap((n) => n.attempts).filter((a) => !a.acknowledged).length;
    const applied = await db.selectFrom('notification_log').select('out_trade_no').where('outcome', '=', 'applied').execute();
    report(
      `crash-shop ${store}: ${ORDERS} orders, ${killedAt} paid when killed, ${failed} attempts failed, ${notifications.length} notifications acknowledged, ` +
        `${figures.paidOnce} paid once, ${figures.lost.length} lost, ${figures.doubled.length} doubled`,
    );
    expect(notifications).toHaveLength(ORDERS);
    // The kill came while deliveries were under way: some failed and were sent again.
    expect(failed).toBeGreaterThan(0);
    expect(applied).toHaveLength(ORDERS);
    expect(figures.lost).toEqual([]);
    expect(figures.doubled).toEqual([]);
    expect(figures.paidOnce).toBe(ORDERS);
  });
});
