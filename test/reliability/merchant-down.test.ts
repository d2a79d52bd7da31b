import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, RETRY_GAPS_MS } from '../../packages/sandbox/src/dispatcher/schedule.js';
import {
  advanceClock,
  beijingMs,
  cleanupsForSuite,
  HttpBuyer,
  orderFigures,
  PARTNER,
  paidCount,
  report,
  SETTLE_MS,
  sized,
  Stack,
  STORES,
  waitFor,
  type NotificationView,
} from './harness.js';

/**
 * The merchant down: the shop is stopped after its orders went to the gateway, the buyers pay, and
 * the sandbox's virtual clock runs on the real retry schedule (decisions §7). Down for 5 hours, every
 * notification is delivered at its next scheduled attempt once the shop is back. Down for 26 hours,
 * every notification is given up after its last attempt; the shop's reconciliation still finds the
 * orders paid, and "recover since" sends them again: the shop answers success, nothing doubles.
 */
const ORDERS = sized(20, 100);
const HOUR = 3_600;

/** When attempt n (1-based) is due, counted from the first attempt. */
const dueAfterFirst = (n: number) => RETRY_GAPS_MS.slice(0, n - 1).reduce((a, b) => a + b, 0);

/** Places the orders in the running shop (each opened at the gateway), stops the shop, then pays them at the sandbox. */
async function ordersPaidWhileDown(stack: Stack): Promise<string[]> {
  const buyer = new HttpBuyer(stack.shopUrl);
  const outTradeNos: string[] = [];
  for (let i = 0; i < ORDERS; i++) outTradeNos.push(await buyer.placeOrder());
  await stack.shops[0]!.stop();
  for (const no of outTradeNos) await stack.api('POST', '/pay', { partner: PARTNER, out_trade_no: no, buyer: 'buyer@sandbox.test' });
  // Each notification's first attempt is made at once, and fails.
  await waitFor(async () => (await stack.notifications(outTradeNos)).every((n) => n.attempt_count >= 1 && n.state === 'retrying'), 30_000, 'every first attempt failed');
  return outTradeNos;
}

function attemptTimes(n: NotificationView): number[] {
  return n.attempts.map((a) => beijingMs(a.started_at));
}

describe.each(STORES)('the merchant down [%s]', (store) => {
  const cleanup = cleanupsForSuite();

  it('down for 5 simulated hours: every notification delivered at its scheduled attempt once the shop is back', async () => {
    const stack = await new Stack(store, cleanup, { sandboxArgs: ['--schedule', 'real'] }).start();
    const outTradeNos = await ordersPaidWhileDown(stack);
    await advanceClock(stack, 5 * HOUR);
    const during = await stack.notifications(outTradeNos);
    // Within 5 hours: the attempts due at 0, 2, 12, 22, 82 and 202 minutes, all failed.
    const attemptsIn5h = RETRY_GAPS_MS.filter((_, i) => dueAfterFirst(i + 2) <= 5 * HOUR * 1000).length + 1;
    for (const n of during) {
      expect(n.state).toBe('retrying');
      expect(n.attempt_count).toBe(attemptsIn5h);
    }
    await stack.startShop();
    // To the next scheduled attempt, and not a second further.
    const next = attemptsIn5h + 1;
    const first = Math.min(...during.map((n) => attemptTimes(n)[0]!));
    const now = beijingMs((await stack.api<{ time: string }>('GET', '/clock')).time);
    await advanceClock(stack, Math.ceil((first + dueAfterFirst(next) - now) / 1000) + 1);
    const after = await stack.notifications(outTradeNos);
    let onTime = 0;
    for (const n of after) {
      expect(n.state, JSON.stringify(n)).toBe('acknowledged');
      expect(n.attempt_count).toBe(next);
      const times = attemptTimes(n);
      // Each attempt at its place in the schedule (the API's times are to the second).
      times.forEach((t, i) => expect(Math.abs(t - times[0]! - dueAfterFirst(i + 1))).toBeLessThanOrEqual(1_000));
      expect(n.attempts.slice(0, -1).every((a) => !a.acknowledged && a.error !== null)).toBe(true);
      if (n.attempts.at(-1)!.acknowledged) onTime++;
    }
    await waitFor(async () => (await paidCount(stack)) >= ORDERS, 10_000, 'every order paid');
    const figures = await orderFigures(stack, outTradeNos);
    report(
      `merchant-down-5h ${store}: ${ORDERS} orders, ${onTime} delivered at attempt ${next}, ${figures.paidOnce} paid once, ` +
        `${figures.lost.length} lost, ${figures.doubled.length} doubled, ${figures.refused} refused`,
    );
    expect(figures.lost).toEqual([]);
    expect(figures.doubled).toEqual([]);
    expect(figures.paidOnce).toBe(ORDERS);
  });

  it('down for 26 simulated hours: given up after the last attempt, paid through reconciliation, recovered without doubling', async () => {
    const stack = await new Stack(store, cleanup, { sandboxArgs: ['--schedule', 'real'] }).start();
    const since = (await stack.api<{ now: number }>('GET', '/clock')).now;
    const outTradeNos = await ordersPaidWhileDown(stack);
    await advanceClock(stack, 26 * HOUR);
    const down = await stack.notifications(outTradeNos);
    expect(down).toHaveLength(ORDERS);
    for (const n of down) {
      expect(n.state).toBe('given_up');
      expect(n.attempt_count).toBe(MAX_ATTEMPTS);
    }
    // Back, with its reconciliation asking Alipay about unpaid orders at once.
    await stack.startShop(0, { SHOP_RECONCILE_AFTER_SECONDS: '0', SHOP_RECONCILE_EVERY_SECONDS: '1' });
    await waitFor(async () => (await paidCount(stack)) >= ORDERS, SETTLE_MS, 'every order paid through reconciliation');
    const byQuery = await stack.db().selectFrom('order_events').select('order_id').where('kind', '=', 'trade_status').where('source', '=', 'query').execute();
    expect(byQuery).toHaveLength(ORDERS);

    const recovered = await stack.api<{ count: number; more: boolean }>('POST', '/notifications/recover', { since, partner: PARTNER });
    expect(recovered.count).toBe(ORDERS);
    const again = await stack.api<{ count: number }>('POST', '/notifications/recover', { since, partner: PARTNER });
    expect(again.count).toBe(0);
    await waitFor(
      async () => (await stack.notifications(outTradeNos)).filter((n) => n.replay_of !== null && n.state === 'acknowledged').length === ORDERS,
      SETTLE_MS,
      'every recovered notification acknowledged',
    );
    const replays = (await stack.notifications(outTradeNos)).filter((n) => n.replay_of !== null);
    expect(replays).toHaveLength(ORDERS);
    for (const r of replays) expect(r.attempts.at(-1)!.response_body).toBe('success');
    const logged = await stack
      .db()
      .selectFrom('notification_log')
      .select(['notify_id', 'outcome', 'verified'])
      .where('notify_id', 'in', replays.map((r) => r.notify_id))
      .execute();
    expect(logged.filter((l) => l.verified === 1 && l.outcome === 'duplicate')).toHaveLength(ORDERS);
    const figures = await orderFigures(stack, outTradeNos);
    report(
      `merchant-down-26h ${store}: ${ORDERS} orders, ${down.length} given up after attempt ${MAX_ATTEMPTS}, ${byQuery.length} paid by reconciliation, ` +
        `${replays.length} recovered and acknowledged, ${figures.paidOnce} paid once, ${figures.lost.length} lost, ${figures.doubled.length} doubled`,
    );
    expect(figures.lost).toEqual([]);
    expect(figures.doubled).toEqual([]);
    expect(figures.paidOnce).toBe(ORDERS);
  });
});
