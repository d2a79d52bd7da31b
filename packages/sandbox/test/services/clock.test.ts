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
