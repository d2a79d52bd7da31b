import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { allAcknowledged, buyAndPay, cleanupsForSuite, inParallel, injected, orderFigures, paidCount, report, settle, sized, Stack, STORES, SETTLE_MS } from './harness.js';

/**
 * Two sandbox processes and two shop processes on one PostgreSQL server (the sandboxes share one
 * database, the shops another). Orders are placed through both shops and paid through both
 * sandboxes; each return is taken to the other shop than the one its notification goes to, and
 * some deliveries are doubled. No attempt may be sent twice (each (notification, number) once in the
 * delivery log, both sandboxes among the senders) and no order updated twice.
 */
const ORDERS = sized(500, 5_000);
const BUYERS = 8;

describe.runIf(STORES.includes('postgres'))('two sandboxes and two shops on one PostgreSQL', () => {
  const cleanup = cleanupsForSuite();

  it(`${ORDERS} payments shared between the processes, each attempt sent once, each order updated once`, async () => {
    const stack = await new Stack('postgres', cleanup, { sandboxes: 2, shops: 2 }).start();
    await stack.setFault('duplicate', Math.ceil(ORDERS / 10));
    const outTradeNos: string[] = [];
    await inParallel(ORDERS, BUYERS, (w) => stack.shopUrlOf(w % 2), async (i, buyer) => {
      const { outTradeNo, returnUrl } = await buyAndPay(stack, buyer, i % 2);
      outTradeNos.push(outTradeNo);
      // The same browser's return, served by the other shop process on the same database.
      const other = new URL(returnUrl);
      other.port = new URL(stack.shopUrlOf(buyer.base === stack.shopUrlOf(0) ? 1 : 0)).port;
      const page = await fetch(other, { redirect: 'manual' });
      expect(page.status).toBe(200);
    });
    await settle(stack, outTradeNos, async () => (await paidCount(stack)) >= ORDERS && (await allAcknowledged(stack, outTradeNos)()), SETTLE_MS, 'every order paid, every notification acknowledged');

    const client = new pg.Client({ connectionString: stack.sandboxDb });
    await client.connect();
    cleanup(() => client.end());
    const twice = await client.query('select notification_id, number, count(*) from delivery_attempts group by notification_id, number having count(*) > 1');
    const senders = await client.query<{ pid: string; n: string }>("select split_part(worker_id, '-', 2) as pid, count(*) as n from delivery_attempts group by 1");
    const attempts = await client.query<{ n: string }>('select count(*) as n from delivery_attempts');
    const figures = await orderFigures(stack, outTradeNos);
    const faults = injected(await stack.notifications(outTradeNos));
    const byShop = await stack.db().selectFrom('notification_log').select(['outcome']).where('kind', '=', 'notify').execute();
    report(
      `shared-postgres postgres: ${ORDERS} orders, ${attempts.rows[0]!.n} attempts by ${senders.rows.length} sandboxes ` +
        `(${senders.rows.map((r) => r.n).join(' + ')}), ${twice.rows.length} attempts sent twice, ${byShop.length} notifications logged by the two shops, ` +
        `${figures.paidOnce} paid once, ${figures.lost.length} lost, ${figures.doubled.length} doubled, ${figures.refused} refused; injected ${JSON.stringify(faults)}`,
    );
    expect(twice.rows).toEqual([]);
    expect(senders.rows).toHaveLength(2);
    expect(figures.lost).toEqual([]);
    expect(figures.doubled).toEqual([]);
    expect(figures.paidOnce).toBe(ORDERS);
  });
});
