import { describe, expect, it } from 'vitest';
import { createOutcomeBatcher } from '../../src/dispatcher/outcome-batcher.js';
import { createWakeUp } from '../../src/dispatcher/wake-up.js';
import type { AttemptOutcome, ClaimedAttempt } from '../../src/store/store-writer.js';

const claim = (id: number) => ({ attemptId: id }) as ClaimedAttempt;
const outcome = { acknowledged: true } as AttemptOutcome;

describe('the outcome batcher', () => {
  it('writes an outcome at once when nothing else is in flight', async () => {
    const batches: number[][] = [];
    const batcher = createOutcomeBatcher({ windowMs: 60_000, inFlight: () => 1, write: async (b) => (batches.push(b.map((i) => i.claim.attemptId)), { unblocked: false }) });
    expect(await batcher.record(claim(1), outcome)).toBe(false);
    expect(batches).toEqual([[1]]);
  });

  it('writes outcomes of attempts ending together in one batch, and those ending during a write in the next', async () => {
    const batches: number[][] = [];
    let inFlight = 3;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const batcher = createOutcomeBatcher({
      windowMs: 1,
      inFlight: () => inFlight,
      async write(b) {
        batches.push(b.map((i) => i.claim.attemptId));
        if (batches.length === 1) await held;
        return { unblocked: batches.length === 1 };
      },
    });
    const first = [batcher.record(claim(1), outcome), batcher.record(claim(2), outcome)];
    await expect.poll(() => batches.length).toBe(1);
    inFlight = 1;
    const later = batcher.record(claim(3), outcome);
    release();
    expect(await Promise.all([...first, later])).toEqual([true, true, false]);
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('fails every outcome of a batch whose write failed, and writes the next batch', async () => {
    let calls = 0;
    const batcher = createOutcomeBatcher({
      windowMs: 0,
      inFlight: () => 1,
      async write() {
        if (++calls === 1) throw new Error('disk full');
        return { unblocked: true };
      },
    });
    await expect(batcher.record(claim(1), outcome)).rejects.toThrow('disk full');
    expect(await batcher.record(claim(2), outcome)).toBe(true);
  });
});

describe('the wake-up', () => {
  /** Whether `p` settles before the event loop's next turn (a timer would take longer). */
  const settlesNow = (p: Promise<void>) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setImmediate(() => r(false)))]);

  it('wakes a waiter at once, keeps a signal given while nobody waits for the next wait, and else waits', async () => {
    const wakeUp = createWakeUp();
    const waiting = wakeUp.wait(60_000);
    wakeUp.signal();
    expect(await settlesNow(waiting)).toBe(true);
    wakeUp.signal();
    expect(await settlesNow(wakeUp.wait(60_000))).toBe(true);
    const idle = wakeUp.wait(60_000);
    expect(await settlesNow(idle)).toBe(false);
    wakeUp.signal();
    await idle;
  });
});
