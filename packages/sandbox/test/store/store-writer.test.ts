import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Sandbox } from '../../src/create-sandbox.js';
import { newNotification } from '../../src/notifications/enqueue.js';
import { SEED_MERCHANT } from '../../src/seed.js';
import { loadTrade } from '../../src/services/trade-store.js';
import type { Trade } from '../../src/services/types.js';
import { NOTIFY_ID_ARM_MS } from '../../src/store/outbox-sql.js';
import type { ChooseToSend, ClaimedAttempt, NewNotification, RecordedOutcome, StoreWriter, Tx } from '../../src/store/store-writer.js';
import { forEachDialect, openTestSandbox } from '../helpers/dialects.js';
import { directParams, open, PARTNER } from '../helpers/trades.js';

/** The store writer's contract: the same meaning on every dialect (store-writer.ts). */
forEachDialect('store writer', (dialect) => {
  let sandbox: Sandbox;
  let writer: StoreWriter;
  let db: Tx;
  let now: number;
  beforeEach(async () => {
    sandbox = await openTestSandbox(dialect);
    writer = sandbox.deps.writer;
    db = sandbox.deps.db;
    now = sandbox.deps.clock.now();
  });
  afterEach(async () => {
    await sandbox.close();
  });

  let keys = 0;
  const orderingKey = () => `K${Date.now()}-${++keys}`;
  const notification = (trx: Tx, key: string, sequence: number, at = now): Promise<NewNotification> =>
    newNotification(trx, {
      partner: PARTNER,
      key: SEED_MERCHANT.key,
      url: 'http://127.0.0.1:9/notify',
      notifyType: 'trade_status_sync',
      charset: 'utf-8',
      signType: 'MD5',
      tradeNo: key,
      sequence,
      now: at,
      build: (notifyId) => ({ notify_id: notifyId, notify_type: 'trade_status_sync', out_trade_no: key }),
    });
  /** Writes notifications of one ordering key, numbered 1, 2, …; resolves with their ids. */
  const enqueue = async (key: string, count = 1, at = now): Promise<number[]> =>
    (
      await writer.transaction(async (tx) => {
        const ids: number[] = [];
        for (let sequence = 1; sequence <= count; sequence++) ids.push((await tx.enqueue(await notification(tx.db, key, sequence, at))).id);
        return ids;
      })
    ).value;
  const sendAll: ChooseToSend = async (_trx, rows) => rows.map((row) => ({ row, fault: null }));
  const claim = (options: { workerId?: string; at?: number; limit?: number; recover?: boolean; choose?: ChooseToSend } = {}) =>
    writer.claimDue({ workerId: options.workerId ?? 'w1', now: options.at ?? now, lockMs: 30_000, limit: options.limit ?? 10, recover: options.recover ?? true }, options.choose ?? sendAll);
  const row = (id: number) => db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const notifyIdRow = async (id: number) => db.selectFrom('notify_ids').selectAll().where('notify_id', '=', (await row(id)).notify_id).executeTakeFirstOrThrow();
  const attemptsOf = (id: number) => db.selectFrom('delivery_attempts').selectAll().where('notification_id', '=', id).orderBy('id').execute();
  const outcome = (claimed: ClaimedAttempt, acknowledged: boolean, next: RecordedOutcome['next']): RecordedOutcome => ({
    claim: claimed,
    outcome: { finishedAt: now + 5, durationMs: 5, httpStatus: 200, responseBody: acknowledged ? 'success' : 'fail', error: acknowledged ? null : 'the body was "fail"', warning: null, acknowledged },
    next,
  });
  const eventOf = (trade: Trade, kind: string) => ({ trade_no: trade.tradeNo, at: now, actor: 'buyer' as const, kind, from_status: trade.tradeStatus, to_status: trade.tradeStatus, refund_status: null, detail: '{}' });
  const count = async (table: 'trade_events' | 'notifications', tradeNo: string) =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('trade_no', '=', tradeNo).executeTakeFirstOrThrow()).n);

  for (const oneStatement of [false, true]) {
    it(`updates a trade with its event and notification, and says a notification was written${oneStatement ? ' (one-statement transaction)' : ''}`, async () => {
      const trade = await open(sandbox.deps, directParams());
      const changed = { ...trade, subject: 'changed', version: trade.version + 1, notifySeq: trade.notifySeq + 1 };
      const committed = await writer.transaction(
        async (tx) => tx.applyTradeChange({ kind: 'update', trade: changed, event: eventOf(trade, 'edited'), notification: await notification(tx.db, trade.tradeNo, changed.notifySeq) }),
        { oneStatement },
      );
      expect(committed).toEqual({ value: { changed: true }, notified: true });
      expect((await loadTrade(db, trade.tradeNo))?.subject).toBe('changed');
      expect(await count('trade_events', trade.tradeNo)).toBe(2);
      const [n] = await db.selectFrom('notifications').selectAll().where('trade_no', '=', trade.tradeNo).execute();
      expect(n).toMatchObject({ state: 'pending', attempts: 0, sequence: changed.notifySeq, next_attempt_at: now });
      // Stored unarmed: its first attempt arms it (decisions.md §2).
      expect(await notifyIdRow(n!.id)).toMatchObject({ kind: 'async', notification_id: n!.id, armed_until: null, acknowledged: 0 });
    });
  }

  it('writes nothing and reports no change when the trade changed since it was read (version guard)', async () => {
    const trade = await open(sandbox.deps, directParams());
    const stale = { ...trade, subject: 'stale', version: trade.version, notifySeq: trade.notifySeq + 1 };
    const committed = await writer.transaction(async (tx) =>
      tx.applyTradeChange({ kind: 'update', trade: stale, event: eventOf(trade, 'edited'), notification: await notification(tx.db, trade.tradeNo, stale.notifySeq) }),
    );
    expect(committed).toEqual({ value: { changed: false }, notified: false });
    expect((await loadTrade(db, trade.tradeNo))?.subject).not.toBe('stale');
    expect(await count('trade_events', trade.tradeNo)).toBe(1);
    expect(await count('notifications', trade.tradeNo)).toBe(0);
  });

  it('inserts no second trade for a partner’s out_trade_no, nor its event', async () => {
    const trade = await open(sandbox.deps, directParams());
    const again = { ...trade, tradeNo: `${trade.tradeNo.slice(0, -4)}9999` };
    const committed = await writer.transaction(async (tx) => tx.applyTradeChange({ kind: 'insert', trade: again, event: eventOf(again, 'created') }), { oneStatement: true });
    expect(committed).toEqual({ value: { changed: false }, notified: false });
    expect(await loadTrade(db, again.tradeNo)).toBeUndefined();
    expect(await count('trade_events', again.tradeNo)).toBe(0);
  });

  it('says no notification was written when a transaction wrote none, and rolls back everything when it throws', async () => {
    const trade = await open(sandbox.deps, directParams());
    const changed = { ...trade, subject: 'no notify_url', version: trade.version + 1 };
    expect(await writer.transaction(async (tx) => tx.applyTradeChange({ kind: 'update', trade: changed, event: eventOf(trade, 'edited') }))).toEqual({
      value: { changed: true },
      notified: false,
    });
    const key = orderingKey();
    await expect(
      writer.transaction(async (tx) => {
        await tx.enqueue(await notification(tx.db, key, 1));
        await tx.applyTradeChange({ kind: 'update', trade: { ...changed, subject: 'rolled back', version: changed.version + 1 }, event: eventOf(changed, 'edited') });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await db.selectFrom('notifications').select('id').where('ordering_key', '=', key).execute()).toEqual([]);
    expect((await loadTrade(db, trade.tradeNo))?.subject).toBe('no notify_url');
  });

  it('claims due notifications oldest first, one per ordering key: attempt recorded, notify_id armed, row locked', async () => {
    const [a1, a2] = await enqueue(orderingKey(), 2, now - 2000);
    const [b1] = await enqueue(orderingKey(), 1, now - 1000);
    const [later] = await enqueue(orderingKey(), 1, now + 60_000);
    const claimed = await claim({ choose: async (_trx, rows) => rows.map((r) => ({ row: r, fault: r.id === b1 ? 'duplicate' : null })) });
    expect(claimed.map((c) => c.notification.id)).toEqual([a1, b1]);
    expect(claimed[1]).toMatchObject({ number: 1, startedAt: now, fault: 'duplicate', notification: { state: 'delivering', attempts: 1, locked_by: 'w1', locked_until: now + 30_000 } });
    for (const c of claimed) {
      expect(await row(c.notification.id)).toMatchObject({ state: 'delivering', attempts: 1, locked_by: 'w1', locked_until: now + 30_000 });
      expect(await attemptsOf(c.notification.id)).toEqual([
        expect.objectContaining({ id: c.attemptId, number: 1, worker_id: 'w1', started_at: now, finished_at: null, fault: c.fault, request_body: c.notification.body }),
      ]);
      expect(await notifyIdRow(c.notification.id)).toMatchObject({ armed_until: now + NOTIFY_ID_ARM_MS, used: 0 });
    }
    for (const id of [a2!, later!]) expect(await row(id)).toMatchObject({ state: 'pending', attempts: 0 });
  });

  it('claims what `choose` picks only, and no more than the limit', async () => {
    const ids = [...(await enqueue(orderingKey())), ...(await enqueue(orderingKey())), ...(await enqueue(orderingKey()))];
    expect((await claim({ limit: 2, choose: async (_trx, rows) => rows.slice(1).map((r) => ({ row: r, fault: null })) })).map((c) => c.notification.id)).toEqual([ids[1]]);
    expect(await row(ids[0]!)).toMatchObject({ state: 'pending' });
    expect((await claim()).map((c) => c.notification.id)).toEqual([ids[0], ids[2]]);
  });

  it('never claims a row another worker holds, nor the next notification of its key', async () => {
    const [first] = await enqueue(orderingKey(), 2);
    expect((await claim({ workerId: 'w1' })).map((c) => c.notification.id)).toEqual([first]);
    expect(await claim({ workerId: 'w2' })).toEqual([]);
  });

  it('takes over a row whose lock expired (a worker died) when asked to recover, closing the interrupted attempt', async () => {
    const [id] = await enqueue(orderingKey());
    await claim({ workerId: 'dead' });
    const expired = now + 30_001;
    expect(await claim({ workerId: 'w2', at: expired, recover: false })).toEqual([]);
    const taken = await claim({ workerId: 'w2', at: expired });
    expect(taken.map((c) => [c.notification.id, c.number])).toEqual([[id, 2]]);
    expect((await attemptsOf(id!)).map((a) => [a.worker_id, a.number, a.finished_at, a.error?.startsWith('interrupted') ?? false])).toEqual([
      ['dead', 1, expired, true],
      ['w2', 2, null, false],
    ]);
  });

  it('hands each due notification to one of two workers claiming at once', async () => {
    const ids = [...(await enqueue(orderingKey())), ...(await enqueue(orderingKey())), ...(await enqueue(orderingKey()))];
    const [a, b] = await Promise.all([claim({ workerId: 'a' }), claim({ workerId: 'b' })]);
    const claimed = [...a, ...b].map((c) => c.notification.id);
    expect(new Set(claimed).size).toBe(claimed.length);
    for (const c of [...a, ...b]) expect(await attemptsOf(c.notification.id)).toHaveLength(1);
    // Whatever one worker left is there for the next claim.
    const rest = await claim({ workerId: 'c' });
    expect([...claimed, ...rest.map((c) => c.notification.id)].sort()).toEqual([...ids].sort());
  });

  it('records outcomes: acknowledged for good, retrying at the given time, given up; says when a trade’s next notification is due', async () => {
    const [acked, next] = await enqueue(orderingKey(), 2);
    const [retried] = await enqueue(orderingKey());
    const [lost] = await enqueue(orderingKey());
    const claimed = await claim();
    const by = (id: number) => claimed.find((c) => c.notification.id === id)!;
    const result = await writer.recordOutcomes(
      [
        outcome(by(acked!), true, { state: 'acknowledged', nextAttemptAt: now }),
        outcome(by(retried!), false, { state: 'retrying', nextAttemptAt: now + 120_000 }),
        outcome(by(lost!), false, { state: 'given_up', nextAttemptAt: now }),
      ],
      { workerId: 'w1', now: now + 5 },
    );
    expect(result).toEqual({ unblocked: true }); // `next` waited for `acked`
    expect(await row(acked!)).toMatchObject({ state: 'acknowledged', acknowledged_at: now + 5, locked_by: null, locked_until: null, last_error: null });
    expect(await notifyIdRow(acked!)).toMatchObject({ acknowledged: 1 });
    expect(await row(retried!)).toMatchObject({ state: 'retrying', next_attempt_at: now + 120_000, locked_by: null, locked_until: null, last_error: 'the body was "fail"' });
    expect(await row(lost!)).toMatchObject({ state: 'given_up', locked_by: null });
    expect((await attemptsOf(acked!))[0]).toMatchObject({ finished_at: now + 5, duration_ms: 5, http_status: 200, response_body: 'success', acknowledged: 1, error: null });
    expect((await attemptsOf(retried!))[0]).toMatchObject({ response_body: 'fail', acknowledged: 0, error: 'the body was "fail"' });
    expect((await claim({ at: now + 5 })).map((c) => c.notification.id)).toEqual([next]);
  });

  it('says nothing is unblocked when no notification of those trades is due, counting one retrying at once', async () => {
    const [one] = await enqueue(orderingKey());
    const [two] = await enqueue(orderingKey());
    const claimed = await claim();
    expect(await writer.recordOutcomes([outcome(claimed.find((c) => c.notification.id === one)!, false, { state: 'retrying', nextAttemptAt: now + 60_000 })], { workerId: 'w1', now })).toEqual({
      unblocked: false,
    });
    expect(await writer.recordOutcomes([outcome(claimed.find((c) => c.notification.id === two)!, false, { state: 'retrying', nextAttemptAt: now })], { workerId: 'w1', now })).toEqual({
      unblocked: true,
    });
  });

  it('leaves a notification alone when the claim recorded is no longer the worker’s (its lock was taken over)', async () => {
    const [id] = await enqueue(orderingKey());
    const [stalled] = await claim({ workerId: 'slow' });
    const [owner] = await claim({ workerId: 'new', at: now + 30_001 });
    await writer.recordOutcomes([outcome(stalled!, true, { state: 'acknowledged', nextAttemptAt: now })], { workerId: 'slow', now: now + 30_002 });
    expect(await row(id!)).toMatchObject({ state: 'delivering', locked_by: 'new', attempts: 2 });
    await writer.recordOutcomes([outcome(owner!, true, { state: 'acknowledged', nextAttemptAt: now })], { workerId: 'new', now: now + 30_002 });
    expect(await row(id!)).toMatchObject({ state: 'acknowledged', locked_by: null });
  });
});
