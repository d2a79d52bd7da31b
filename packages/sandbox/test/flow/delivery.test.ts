import { parseForm, verifyMessageSign } from 'alipay-legacy/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSandbox, type Sandbox } from '../../src/create-sandbox.js';
import { claimDue } from '../../src/dispatcher/claim.js';
import { MAX_ATTEMPTS } from '../../src/dispatcher/schedule.js';
import { SEED_MERCHANT } from '../../src/seed.js';
import { listNotifications, payTrade, replayNotification, setFault, verifyNotifyId } from '../../src/services/index.js';
import type { NotificationWithAttempts, Trade } from '../../src/services/index.js';
import { forEachDialect, openTestSandbox, reopenableTestDb } from '../helpers/dialects.js';
import { downUrl, MerchantServer, type MerchantBehaviour } from '../helpers/merchant-server.js';
import { BUYER, directParams, escrowParams, open, PARTNER } from '../helpers/trades.js';

const MIN = 60;
const HOUR = 3600;

forEachDialect('notification delivery (decisions.md §5–8)', (dialect) => {
  let sandbox: Sandbox;
  let merchant: MerchantServer;
  const start = async (behaviour: MerchantBehaviour | MerchantBehaviour[], options: Parameters<typeof openTestSandbox>[1] = {}) => {
    merchant = await new MerchantServer(behaviour).start();
    sandbox = await openTestSandbox(dialect, options);
  };
  afterEach(async () => {
    await sandbox?.close();
    await merchant?.stop();
  });

  async function paidTrade(url = merchant.url): Promise<Trade> {
    const trade = await open(sandbox.deps, directParams({ notify_url: url }));
    return (await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId })).trade;
  }
  async function only(tradeNo: string): Promise<NotificationWithAttempts> {
    const list = await listNotifications(sandbox.deps, { tradeNo });
    expect(list).toHaveLength(1);
    return list[0]!;
  }

  describe('the acknowledgement rule', () => {
    it('acknowledges "success" at the first attempt and records it', async () => {
      await start('success');
      const trade = await paidTrade();
      await sandbox.deps.dispatcher.runDue();
      const n = await only(trade.tradeNo);
      expect(n.state).toBe('acknowledged');
      expect(n.deliveryAttempts).toHaveLength(1);
      expect(n.deliveryAttempts[0]).toMatchObject({ number: 1, httpStatus: 200, responseBody: 'success', error: null, warning: null, acknowledged: true, fault: null });
      expect(n.deliveryAttempts[0]!.requestBody).toBe(merchant.received[0]!.body);
      expect(n.deliveryAttempts[0]!.durationMs).toBeGreaterThanOrEqual(0);
    });

    it('acknowledges "success\\n" (Java println) with a warning in the log', async () => {
      await start('success-newline');
      const trade = await paidTrade();
      await sandbox.deps.dispatcher.runDue();
      const n = await only(trade.tradeNo);
      expect(n.state).toBe('acknowledged');
      expect(n.deliveryAttempts[0]!.warning).toMatch(/whitespace/);
    });

    it.each([
      ['another body', 'fail' as const, /not "success"/],
      ['HTTP 500', 'error-500' as const, /HTTP 500/],
      ['a redirect', 'redirect' as const, /HTTP 302/],
      ['"success" after a UTF-8 byte-order mark', 'success-bom' as const, /first bytes ef bb bf 73 75 63 63 65 73 73\).*byte-order mark/],
    ])('counts %s as a failed attempt and schedules a retry in 2 minutes', async (_name, behaviour, error) => {
      await start(behaviour);
      const trade = await paidTrade();
      await sandbox.deps.dispatcher.runDue();
      const n = await only(trade.tradeNo);
      expect(n.state).toBe('retrying');
      expect(n.deliveryAttempts[0]!.error).toMatch(error);
      expect(n.nextAttemptAt - n.deliveryAttempts[0]!.startedAt).toBe(2 * MIN * 1000);
      expect(merchant.received).toHaveLength(1);
    });

    it('reads a huge answer to its end but logs only its first 4096 characters', async () => {
      await start('huge');
      const trade = await paidTrade();
      await sandbox.deps.dispatcher.runDue();
      const n = await only(trade.tradeNo);
      expect(n.state).toBe('retrying');
      expect(n.deliveryAttempts[0]!.httpStatus).toBe(200);
      expect(n.deliveryAttempts[0]!.responseBody).toBe('x'.repeat(4096));
    });

    it('counts a merchant that hangs past the timeout as a failed attempt', async () => {
      await start('hang', { deliveryTimeoutMs: 300 });
      const trade = await paidTrade();
      await sandbox.deps.dispatcher.runDue();
      const n = await only(trade.tradeNo);
      expect(n.state).toBe('retrying');
      expect(n.deliveryAttempts[0]!.error).toMatch(/timed out after 300 ms/);
      expect(n.deliveryAttempts[0]!.durationMs).toBeGreaterThanOrEqual(290);
    });

    it('counts a merchant that is down as a failed attempt', async () => {
      await start('success');
      const trade = await paidTrade(await downUrl());
      await sandbox.deps.dispatcher.runDue();
      const n = await only(trade.tradeNo);
      expect(n.state).toBe('retrying');
      expect(n.deliveryAttempts[0]!.error).toMatch(/ECONNREFUSED/);
      expect(n.deliveryAttempts[0]!.httpStatus).toBeNull();
    });
  });

  describe('the retry schedule under the virtual clock', () => {
    it('retries after 2m, 10m, 10m, 1h, 2h, 6h, 15h, then gives up: 8 attempts in 24 h 22 min', async () => {
      await start('fail');
      const trade = await paidTrade();
      await sandbox.deps.dispatcher.runDue();
      const count = async () => (await only(trade.tradeNo)).deliveryAttempts.length;
      await sandbox.deps.clock.advance(2 * MIN - 1);
      expect(await count()).toBe(1);
      await sandbox.deps.clock.advance(1);
      expect(await count()).toBe(2);
      await sandbox.deps.clock.advance(25 * HOUR);
      const n = await only(trade.tradeNo);
      expect(n.state).toBe('given_up');
      expect(n.deliveryAttempts).toHaveLength(MAX_ATTEMPTS);
      const starts = n.deliveryAttempts.map((a) => a.startedAt - n.deliveryAttempts[0]!.startedAt);
      const expected = [0, 2, 12, 22, 82, 202, 562, 1462].map((m) => m * MIN * 1000);
      starts.forEach((s, i) => expect(Math.abs(s - expected[i]!)).toBeLessThan(1000));
      expect(merchant.received).toHaveLength(8);
      // The same message every time: same notify_id, same body (decisions.md §2).
      expect(new Set(merchant.received.map((r) => r.body)).size).toBe(1);
    });

    it('stops retrying once the merchant acknowledges', async () => {
      await start(['fail', 'fail', 'success']);
      const trade = await paidTrade();
      await sandbox.deps.clock.advance(24 * HOUR);
      const n = await only(trade.tradeNo);
      expect(n.state).toBe('acknowledged');
      expect(n.deliveryAttempts.map((a) => a.acknowledged)).toEqual([false, false, true]);
    });

    it('compresses minutes to seconds on the fast schedule', async () => {
      await start('fail', { schedule: 'fast' });
      const trade = await paidTrade();
      await sandbox.deps.dispatcher.runDue();
      await sandbox.deps.clock.advance(2);
      expect((await only(trade.tradeNo)).deliveryAttempts).toHaveLength(2);
      // Attempts 3 and 4 fall 10 s apart; attempt 5 is a minute later (slack for real time under load).
      await sandbox.deps.clock.advance(25);
      expect((await only(trade.tradeNo)).deliveryAttempts).toHaveLength(4);
    });
  });

  describe('notify_id of async notifications (decisions.md §2)', () => {
    it('answers true once per attempt within 60 s, is re-armed by the next attempt, and false for good once acknowledged', async () => {
      await start(['fail', 'fail', 'success']);
      const trade = await paidTrade();
      await sandbox.deps.dispatcher.runDue();
      const id = (await only(trade.tradeNo)).notifyId;
      expect(await verifyNotifyId(sandbox.deps, PARTNER, id)).toBe('true');
      expect(await verifyNotifyId(sandbox.deps, PARTNER, id)).toBe('false');
      await sandbox.deps.clock.advance(2 * MIN); // attempt 2 re-arms it
      await sandbox.deps.clock.advance(61); // …for 60 s only
      expect(await verifyNotifyId(sandbox.deps, PARTNER, id)).toBe('false');
      await sandbox.deps.clock.advance(10 * MIN); // attempt 3: acknowledged
      expect((await only(trade.tradeNo)).state).toBe('acknowledged');
      expect(await verifyNotifyId(sandbox.deps, PARTNER, id)).toBe('false');
      expect(new Set(merchant.received.map((r) => parseForm(r.body, 'utf-8').notify_id))).toEqual(new Set([id]));
    });

    it('is not verifiable before its first attempt', async () => {
      await start('success');
      const trade = await paidTrade();
      const id = (await only(trade.tradeNo)).notifyId;
      expect(await verifyNotifyId(sandbox.deps, PARTNER, id)).toBe('false');
    });
  });

  describe('ordering per trade', () => {
    it('sends a trade’s notifications one at a time, in order, while different trades overlap', async () => {
      await start('slow');
      const trades: string[] = [];
      for (let i = 0; i < 3; i++) {
        const t = await open(sandbox.deps, escrowParams({ notify_url: merchant.url }));
        await payTrade(sandbox.deps, t.tradeNo, { buyerId: BUYER.userId, logisticsIndex: 2 });
        trades.push(t.outTradeNo);
      }
      await sandbox.deps.dispatcher.runDue();
      expect(merchant.received).toHaveLength(9);
      for (const outTradeNo of trades) {
        const mine = merchant.received.map((r) => parseForm(r.body, 'utf-8')).filter((p) => p.out_trade_no === outTradeNo);
        expect(mine.map((p) => p.trade_status)).toEqual(['WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS']);
      }
      // Three trades were in flight together, never two notifications of one trade.
      expect(merchant.maxInFlight).toBe(3);
    });

    it('lets a later notification go once the earlier one had its first attempt, even if that failed', async () => {
      await start(['fail', 'success']);
      const t = await open(sandbox.deps, escrowParams({ notify_url: merchant.url }));
      await payTrade(sandbox.deps, t.tradeNo, { buyerId: BUYER.userId });
      await sandbox.deps.dispatcher.runDue();
      const list = await listNotifications(sandbox.deps, { tradeNo: t.tradeNo });
      expect(list.map((n) => [n.params.trade_status, n.state])).toEqual([
        ['WAIT_BUYER_PAY', 'retrying'],
        ['WAIT_SELLER_SEND_GOODS', 'acknowledged'],
      ]);
    });

    it('never sends a later notification before a postponed earlier one (delay fault)', async () => {
      await start('success');
      await setFault(sandbox.deps, PARTNER, { kind: 'delay', seconds: 30, count: 1 });
      const t = await open(sandbox.deps, escrowParams({ notify_url: merchant.url }));
      await payTrade(sandbox.deps, t.tradeNo, { buyerId: BUYER.userId });
      await sandbox.deps.dispatcher.runDue();
      expect(merchant.received).toHaveLength(0);
      await sandbox.deps.clock.advance(30);
      expect(merchant.received.map((r) => parseForm(r.body, 'utf-8').trade_status)).toEqual(['WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS']);
      const [first] = await listNotifications(sandbox.deps, { tradeNo: t.tradeNo });
      expect(first!.deliveryAttempts[0]!.fault).toBe('delay');
    });
  });

  describe('faults', () => {
    it('alters the sign of the next delivery: a merchant checking it refuses, the retry carries the genuine sign', async () => {
      // A merchant that checks the sign, as every merchant must (protocol.md §2).
      merchant = await new MerchantServer('success', {
        answer: (r) => {
          try {
            verifyMessageSign(parseForm(r.body, 'utf-8'), { signType: 'MD5', key: SEED_MERCHANT.key, charset: 'utf-8' });
            return 'success';
          } catch {
            return 'fail';
          }
        },
      }).start();
      sandbox = await openTestSandbox(dialect);
      await setFault(sandbox.deps, PARTNER, { kind: 'bad_sign', count: 1 });
      const trade = await paidTrade();
      await sandbox.deps.dispatcher.runDue();
      await sandbox.deps.clock.advance(2 * MIN);
      const n = await only(trade.tradeNo);
      expect(n.deliveryAttempts.map((a) => [a.fault, a.acknowledged, a.responseBody])).toEqual([
        ['bad_sign', false, 'fail'],
        [null, true, 'success'],
      ]);
      expect(n.deliveryAttempts[0]!.warning).toBe('sent with an altered sign by an injected fault');
      const [forged, genuine] = merchant.received.map((r) => parseForm(r.body, 'utf-8'));
      expect(forged!.sign).not.toBe(genuine!.sign);
      expect({ ...forged, sign: '' }).toEqual({ ...genuine, sign: '' });
    });

    it('drops attempts: recorded, never sent, retried on the schedule', async () => {
      await start('success');
      await setFault(sandbox.deps, PARTNER, { kind: 'drop', count: 1 });
      const trade = await paidTrade();
      await sandbox.deps.dispatcher.runDue();
      expect(merchant.received).toHaveLength(0);
      await sandbox.deps.clock.advance(2 * MIN);
      const n = await only(trade.tradeNo);
      expect(n.deliveryAttempts.map((a) => [a.fault, a.acknowledged])).toEqual([
        ['drop', false],
        [null, true],
      ]);
      expect(merchant.received).toHaveLength(1);
    });

    it('duplicates attempts: the merchant receives the same message twice', async () => {
      await start('success');
      await setFault(sandbox.deps, PARTNER, { kind: 'duplicate' });
      const trade = await paidTrade();
      await sandbox.deps.dispatcher.runDue();
      expect(merchant.received).toHaveLength(2);
      expect(merchant.received[0]!.body).toBe(merchant.received[1]!.body);
      const n = await only(trade.tradeNo);
      expect(n.deliveryAttempts[0]).toMatchObject({ fault: 'duplicate', acknowledged: true });
    });
  });

  describe('replay', () => {
    it('sends an acknowledged notification again as a new message with a fresh notify_id, re-signed', async () => {
      await start('success');
      const trade = await paidTrade();
      await sandbox.deps.dispatcher.runDue();
      const original = await only(trade.tradeNo);
      const replay = await replayNotification(sandbox.deps, original.id);
      expect(replay.replayOf).toBe(original.id);
      expect(replay.notifyId).not.toBe(original.notifyId);
      await sandbox.deps.dispatcher.runDue();
      expect(merchant.received).toHaveLength(2);
      const params = parseForm(merchant.received[1]!.body, 'utf-8');
      expect(params.trade_status).toBe('TRADE_FINISHED');
      expect(params.notify_id).toBe(replay.notifyId);
      expect(() => verifyMessageSign(params, { signType: 'MD5', key: SEED_MERCHANT.key, charset: 'utf-8' })).not.toThrow();
      // Acknowledged at once, so its notify_id, like the original's, now answers false.
      expect((await listNotifications(sandbox.deps, { tradeNo: trade.tradeNo })).map((n) => n.state)).toEqual(['acknowledged', 'acknowledged']);
      expect(await verifyNotifyId(sandbox.deps, PARTNER, replay.notifyId)).toBe('false');
    });
  });

  describe('durability (decisions.md §8)', () => {
    it('picks up a notification whose worker died mid-delivery once its claim expires, and closes the interrupted attempt', async () => {
      await start('success', { deliveryTimeoutMs: 1000 });
      const trade = await paidTrade();
      // A worker claims the row and dies before sending.
      const claimed = await claimDue(sandbox.deps.writer, { workerId: 'dead-worker', now: sandbox.deps.clock.now(), lockMs: 20_000, limit: 10 });
      expect(claimed.attempts).toHaveLength(1);
      expect(await sandbox.deps.dispatcher.runDue()).toBe(0);
      await sandbox.deps.clock.advance(21);
      const n = await only(trade.tradeNo);
      expect(n.state).toBe('acknowledged');
      expect(n.deliveryAttempts.map((a) => [a.workerId, a.acknowledged])).toEqual([
        ['dead-worker', false],
        [sandbox.deps.dispatcher.workerId, true],
      ]);
      expect(n.deliveryAttempts[0]!.error).toMatch(/interrupted/);
      expect(merchant.received).toHaveLength(1);
    });

    it.skipIf(dialect !== 'postgres')('delivers while every connection of the main pool waits (the dispatcher has connections of its own)', async () => {
      await start('success');
      const trade = await paidTrade();
      // Hold each of the main pool's 5 connections (dialects.ts) in an open transaction.
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      let holding = 0;
      const held = Array.from({ length: 5 }, () =>
        sandbox.deps.db.transaction().execute(async (trx) => {
          await trx.selectFrom('merchants').select('partner').execute();
          holding++;
          await gate;
        }),
      );
      let delivered: number | string;
      try {
        await vi.waitFor(() => expect(holding).toBe(5));
        delivered = await Promise.race([sandbox.deps.dispatcher.runDue(), new Promise<string>((r) => setTimeout(() => r('starved'), 5000))]);
        expect(merchant.received).toHaveLength(1);
      } finally {
        release();
        await Promise.all(held);
      }
      expect(delivered).toBe(1);
      expect((await only(trade.tradeNo)).state).toBe('acknowledged');
    });

    it('delivers after a restart what was committed before it', async () => {
      merchant = await new MerchantServer('success').start();
      const store = await reopenableTestDb(dialect);
      try {
        const first = await createSandbox({ opened: store.open() });
        const trade = await open(first.deps, directParams({ notify_url: merchant.url }));
        await payTrade(first.deps, trade.tradeNo, { buyerId: BUYER.userId });
        await first.close(); // stopped before the dispatcher ran
        expect(merchant.received).toHaveLength(0);
        sandbox = await createSandbox({ opened: store.open() });
        await sandbox.deps.dispatcher.runDue();
        expect(merchant.received).toHaveLength(1);
        expect(parseForm(merchant.received[0]!.body, 'utf-8').out_trade_no).toBe(trade.outTradeNo);
      } finally {
        await sandbox?.close();
        // @ts-expect-error closed above; keep afterEach from closing twice
        sandbox = undefined;
        await store.dispose();
      }
    });

    it('delivers in the background once started, woken by the payment (nudge)', async () => {
      await start('success', { pollMs: 60_000 });
      sandbox.deps.dispatcher.start();
      await paidTrade();
      const deadline = Date.now() + 5000;
      while (merchant.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(merchant.received).toHaveLength(1);
      await sandbox.deps.dispatcher.stop();
    });

    it("settle() waits for the background loop's attempt in flight, which runDue() does not", async () => {
      merchant = await new MerchantServer('success', { holdAfter: 0 }).start();
      sandbox = await openTestSandbox(dialect, { pollMs: 60_000, deliveryTimeoutMs: 2000 });
      sandbox.deps.dispatcher.start();
      const trade = await paidTrade();
      await vi.waitFor(() => expect(merchant.received).toHaveLength(1), { timeout: 5000 });
      // The merchant holds the attempt without answering until the delivery times out.
      expect(await sandbox.deps.dispatcher.runDue()).toBe(0);
      expect(await sandbox.deps.dispatcher.settle()).toBe(false);
      const n = await only(trade.tradeNo);
      expect([n.state, n.deliveryAttempts.length]).toEqual(['retrying', 1]);
      expect(n.deliveryAttempts[0]!.error).toMatch(/timed out/);
      expect(await sandbox.deps.dispatcher.settle()).toBe(true);
      await sandbox.deps.dispatcher.stop();
    });
  });
});

describe('claiming with two workers on one store', () => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await openTestSandbox('sqlite');
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it('hands a due notification to one worker only', async () => {
    const trade = await open(sandbox.deps, directParams({ notify_url: 'http://127.0.0.1:9/n' }));
    await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
    const claim = (workerId: string) => claimDue(sandbox.deps.writer, { workerId, now: sandbox.deps.clock.now(), lockMs: 30_000, limit: 10 });
    const [a, b] = await Promise.all([claim('a'), claim('b')]);
    expect(a.attempts.length + b.attempts.length).toBe(1);
  });
});
