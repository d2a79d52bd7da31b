import { afterEach, beforeEach, expect, it } from 'vitest';
import { openVirtualClock } from '../../src/clock.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { OpenedDb } from '../../src/store/open-db.js';
import { forEachDialect, openTestDb } from '../helpers/dialects.js';

forEachDialect('the virtual clock', (dialect) => {
  let store: OpenedDb;
  let real = 1_000_000;
  beforeEach(async () => {
    store = await openTestDb(dialect);
    await migrateToLatest(store.db, store.dialect);
    real = 1_000_000;
  });
  afterEach(async () => {
    await store.close();
  });

  it('is real time plus the stored offset, and keeps moving with real time', async () => {
    const clock = await openVirtualClock(store.db, { realNow: () => real });
    expect(clock.now()).toBe(1_000_000);
    await clock.advance(90);
    expect(clock.now()).toBe(1_090_000);
    real += 5;
    expect(clock.now()).toBe(1_090_005);
  });

  it('stores the offset: another clock on the same database sees it after refresh', async () => {
    const a = await openVirtualClock(store.db, { realNow: () => real });
    const b = await openVirtualClock(store.db, { realNow: () => real });
    await a.advance(3600);
    expect(b.now()).toBe(real);
    await b.refresh();
    expect(b.now()).toBe(real + 3_600_000);
  });

  it('stops at every due time on the way, in order, and runs what is due there', async () => {
    const clock = await openVirtualClock(store.db, { realNow: () => real });
    const due = [real + 10_000, real + 20_000, real + 500_000];
    const ranAt: number[] = [];
    clock.setRunner({
      async runDue() {
        let n = 0;
        while (due.length > 0 && due[0]! <= clock.now()) {
          ranAt.push(clock.now());
          due.shift();
          n++;
        }
        return n;
      },
      async nextDueAt(after) {
        return due.find((t) => t > after);
      },
    });
    const start = real;
    const now = await clock.advance(60);
    expect(ranAt).toEqual([start + 10_000, start + 20_000]);
    expect(now).toBe(start + 60_000);
    expect(due).toEqual([start + 500_000]);
  });

  it('moves on only once the work in flight (an attempt of the background loop) has ended, and runs what its end made due', async () => {
    const clock = await openVirtualClock(store.db, { realNow: () => real });
    const start = real;
    // An attempt in flight when the advance begins: its retry is due 2 minutes after it ends.
    let inFlight = true;
    const due: number[] = [];
    const ranAt: number[] = [];
    const settledAt: number[] = [];
    clock.setRunner({
      async runDue() {
        let n = 0;
        while (due.length > 0 && due[0]! <= clock.now()) {
          ranAt.push(clock.now());
          due.shift();
          n++;
        }
        return n;
      },
      async settle() {
        settledAt.push(clock.now());
        if (!inFlight) return true;
        inFlight = false;
        due.push(clock.now() + 120_000);
        return false;
      },
      async nextDueAt(after) {
        return due.find((t) => t > after);
      },
    });
    await clock.advance(600);
    // The attempt ended before time moved, so its retry ran at its own time, 2 minutes on.
    expect(settledAt[0]).toBe(start);
    expect(ranAt).toEqual([start + 120_000]);
    expect(clock.now()).toBe(start + 600_000);
  });

  it('runs at once what fell due while a step ran (real time flows underneath), not at the next step', async () => {
    const clock = await openVirtualClock(store.db, { realNow: () => real });
    const start = real;
    // Two notifications due 2 ms apart; running the first takes 5 ms of real time.
    const due = [start + 10_000, start + 10_002, start + 400_000];
    const ranAt: number[] = [];
    clock.setRunner({
      async runDue() {
        const now = clock.now();
        let n = 0;
        while (due.length > 0 && due[0]! <= now) {
          ranAt.push(now);
          due.shift();
          n++;
        }
        real += 5;
        return n;
      },
      async nextDueAt(after) {
        return due.find((t) => t > after);
      },
    });
    await clock.advance(600);
    expect(ranAt.slice(0, 2)).toEqual([start + 10_000, start + 10_005]);
  });

  it('serializes overlapping advances', async () => {
    const clock = await openVirtualClock(store.db, { realNow: () => real });
    await Promise.all([clock.advance(10), clock.advance(10)]);
    expect(clock.now()).toBe(real + 20_000);
  });

  it('refuses to go backwards', async () => {
    const clock = await openVirtualClock(store.db);
    await expect(clock.advance(-1)).rejects.toThrow(RangeError);
  });
});
