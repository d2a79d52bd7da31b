import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/store/migrate.js';
import { openStore } from '../../src/store/open-store.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shop-checkpoint-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

it('copies commits into the SQLite file from its own thread, and stops with the store', async () => {
  const file = join(dir, 'shop.db');
  const store = openStore(file);
  await migrateToLatest(store.db, store.dialect);
  const before = statSync(file).size;
  // A few dozen pages, far below the log size at which the committing connection checkpoints by
  // itself: in WAL mode the file grows only when a checkpoint copies them, so only the thread can.
  for (let i = 0; i < 40; i++) await store.db.insertInto('settings').values({ name: `k${i}`, value: 'x'.repeat(2000) }).execute();
  const deadline = Date.now() + 10_000;
  while (statSync(file).size <= before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(statSync(file).size).toBeGreaterThan(before);
  await store.close();
  const reopened = openStore(file);
  expect(await reopened.db.selectFrom('settings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 40 });
  await reopened.close();
});
