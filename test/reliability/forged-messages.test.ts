import { signedNotification, signedReturnQuery } from 'alipay-legacy/testing';
import { describe, expect, it } from 'vitest';
import { allAcknowledged, cleanupsForSuite, HttpBuyer, inParallel, PARTNER, paidCount, report, SEED_MERCHANT, settle, sized, Stack, STORES, type NotificationView, SETTLE_MS } from './harness.js';

/**
 * Forged messages at the shop (its README, "How a notification is handled"; protocol.md §12.2):
 * a bad sign, a genuine notification sent again (its notify_id used up), another amount, another
 * seller, an order the shop does not have — each answered `fail`, logged with its reason, no order
 * changed — and an older status after a newer one (a genuine replay from the sandbox), answered
 * `success`, logged as stale, the order left where it was. Every message is built with the SDK's
 * test signer; the escrow orders are paid and finished at the sandbox first.
 */
const EACH = sized(10, 50);
const SIGNER: { partner: string; key: string } = { partner: SEED_MERCHANT.partner, key: SEED_MERCHANT.key };
const WRONG_SIGNER = { partner: SEED_MERCHANT.partner, key: [...SEED_MERCHANT.key].reverse().join('') };

async function postNotify(shopUrl: string, body: string, contentType = 'application/x-www-form-urlencoded; charset=utf-8'): Promise<string> {
  const res = await fetch(`${shopUrl}/alipay/notify`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return res.text();
}

/** A trade number of the sandbox's shape that no trade has. */
const fakeTradeNo = (i: number) => `20261203${String(900_000_000_000_000_000 + i).padStart(20, '0')}`;

describe.each(STORES)('forged messages at the shop [%s]', (store) => {
  const cleanup = cleanupsForSuite();

  it(`refuses or ignores ${EACH} of each forgery, logs each, changes nothing`, async () => {
    const stack = await new Stack(store, cleanup, { shopEnv: { SHOP_PAYMENT_SERVICE: 'escrow' } }).start();
    // EACH escrow orders paid, shipped and received (TRADE_FINISHED), and 3 × EACH left unpaid.
    const paid: string[] = [];
    const unpaid: string[] = [];
    await inParallel(4 * EACH, 4, stack.shopUrl, async (i, buyer) => {
      const no = await buyer.placeOrder();
      if (i >= EACH) return void unpaid.push(no);
      const trade = await stack.api<{ trade_no: string }>('POST', '/pay', { partner: PARTNER, out_trade_no: no, buyer: 'buyer@sandbox.test' });
      await stack.api('POST', `/trades/${trade.trade_no}/ship`, {});
      await stack.api('POST', `/trades/${trade.trade_no}/confirm-receipt`, {});
      paid.push(no);
    });
    await settle(stack, paid, async () => (await paidCount(stack)) >= EACH && (await allAcknowledged(stack, paid)()), SETTLE_MS, 'the escrow orders finished');
    const genuine = await stack.notifications(paid);

    const db = stack.db();
    const snapshot = async () => ({
      orders: await db.selectFrom('orders').selectAll().orderBy('id').execute(),
      events: await db.selectFrom('order_events').selectAll().orderBy('id').execute(),
    });
    const before = await snapshot();
    const logBefore = (await db.selectFrom('notification_log').select('id').execute()).length;
    const answers: Record<string, string[]> = { sign: [], replayed: [], amount: [], seller: [], unknown: [], older: [] };
    const forged = (no: string, i: number, fields: Record<string, string> = {}, signer = SIGNER) =>
      signedNotification(signer, { out_trade_no: no, trade_no: fakeTradeNo(i), trade_status: 'TRADE_FINISHED', total_fee: '0.01', seller_id: SEED_MERCHANT.partner, ...fields }, {}).body;

    for (let i = 0; i < EACH; i++) {
      // An unpaid order "paid" with a sign made with another key, another amount, another seller.
      answers.sign!.push(await postNotify(stack.shopUrl, forged(unpaid[i]!, i, {}, WRONG_SIGNER)));
      answers.amount!.push(await postNotify(stack.shopUrl, forged(unpaid[EACH + i]!, i, { total_fee: '100.00' })));
      answers.seller!.push(await postNotify(stack.shopUrl, forged(unpaid[2 * EACH + i]!, i, { seller_id: '2088000000000001' })));
      answers.unknown!.push(await postNotify(stack.shopUrl, forged(`NO-SUCH-ORDER-${i}`, i)));
      // A genuine notification the shop acknowledged, sent again: its notify_id is used up.
      const delivered = genuine.find((n: NotificationView) => n.params.out_trade_no === paid[i] && n.params.trade_status === 'TRADE_FINISHED')!;
      answers.replayed!.push(await postNotify(stack.shopUrl, delivered.body));
    }
    // A forged return: the buyer's browser brings a return signed with another key.
    const returnPages: number[] = [];
    const buyer = new HttpBuyer(stack.shopUrl);
    for (let i = 0; i < EACH; i++) {
      const query = signedReturnQuery(WRONG_SIGNER, { out_trade_no: unpaid[i]!, trade_no: fakeTradeNo(i), trade_status: 'TRADE_FINISHED', total_fee: '0.01', seller_id: SEED_MERCHANT.partner });
      returnPages.push((await buyer.get(`/alipay/return?${query}`)).status);
    }
    // An older status after a newer one: the sandbox sends WAIT_SELLER_SEND_GOODS again, genuinely signed, with a fresh notify_id.
    const olderIds: string[] = [];
    for (let i = 0; i < EACH; i++) {
      const early = genuine.find((n) => n.params.out_trade_no === paid[i] && n.params.trade_status === 'WAIT_SELLER_SEND_GOODS')!;
      olderIds.push((await stack.api<{ notify_id: string }>('POST', `/notifications/${early.id}/replay`, {})).notify_id);
    }
    await settle(stack, paid, allAcknowledged(stack, paid), SETTLE_MS, 'the replayed older statuses acknowledged');
    const replays = (await stack.notifications(paid)).filter((n) => olderIds.includes(n.notify_id));
    answers.older = replays.map((n) => n.attempts.at(-1)!.response_body ?? '');

    const after = await snapshot();
    const log = await db.selectFrom('notification_log').selectAll().orderBy('id').offset(logBefore).limit(10 * EACH).execute();
    const reasons: Record<string, number> = {};
    for (const l of log) reasons[`${l.kind} ${l.outcome}${l.reason ? ` ${l.reason}` : ''}`] = (reasons[`${l.kind} ${l.outcome}${l.reason ? ` ${l.reason}` : ''}`] ?? 0) + 1;
    const refused = log.filter((l) => l.outcome === 'refused').length;
    const stale = log.filter((l) => l.outcome === 'stale').length;
    const changedOrders = after.orders.filter((o, i) => JSON.stringify(o) !== JSON.stringify(before.orders[i])).length;
    report(
      `forged ${store}: ${7 * EACH} forged messages (${EACH} each: bad sign, replayed notify_id, wrong amount, wrong seller, unknown order, forged return, older status), ` +
        `${refused} refused, ${stale} stale ignored, ${changedOrders} orders changed, ${after.events.length - before.events.length} order events added; logged ${JSON.stringify(reasons)}`,
    );
    for (const kind of ['sign', 'replayed', 'amount', 'seller', 'unknown'] as const) expect(answers[kind], kind).toEqual(Array(EACH).fill('fail'));
    expect(answers.older).toEqual(Array(EACH).fill('success'));
    for (const status of returnPages) expect(status).toBeLessThan(500);
    expect(reasons).toEqual({
      'notify refused sign_mismatch': EACH,
      'notify refused notify_verify_false': EACH,
      'notify refused amount_mismatch': EACH,
      'notify refused seller_mismatch': EACH,
      'notify refused unknown_order': EACH,
      'return refused sign_mismatch': EACH,
      'notify stale': EACH,
    });
    expect(changedOrders).toBe(0);
    expect(after.orders).toEqual(before.orders);
    expect(after.events).toEqual(before.events);
  });
});
