import type { Kysely } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ShopStore } from '../../src/store/open-store.js';
import { preparedQuery, type Arg } from '../../src/store/prepared-query.js';
import type { ShopDatabase } from '../../src/store/schema.js';
import { forEachDialect, openTestStore } from '../helpers/dialects.js';

forEachDialect('prepared queries', (dialect) => {
  let store: ShopStore;
  beforeEach(async () => {
    store = await openTestStore(dialect);
  });
  afterEach(async () => {
    await store?.close();
  });

  it('builds the query once and runs it with each run’s values, constants kept, undefined as NULL', async () => {
    let builds = 0;
    const insertSetting = preparedQuery((db: Kysely<ShopDatabase>, arg: Arg<{ name: string; value: string }>) => {
      builds++;
      return db.insertInto('settings').values({ name: arg('name'), value: arg('value') });
    });
    const insertRun = preparedQuery((db: Kysely<ShopDatabase>, arg: Arg<{ at: number; error?: string | null }>) =>
      db.insertInto('job_runs').values({ job: 'reconcile', started_at: arg('at'), finished_at: arg('at'), checked: 3, updated: 0, error: arg('error') }),
    );
    await insertSetting(store.db, dialect, { name: 'a', value: '1' });
    await store.db.transaction().execute((trx) => insertSetting(trx, dialect, { name: 'b', value: '2' }));
    await insertRun(store.db, dialect, { at: 1000 });
    await insertRun(store.db, dialect, { at: 2000, error: 'boom' });
    expect(builds).toBe(1);
    expect(await store.db.selectFrom('settings').selectAll().orderBy('name').execute()).toEqual([
      { name: 'a', value: '1' },
      { name: 'b', value: '2' },
    ]);
    const runs = await store.db.selectFrom('job_runs').select(['job', 'started_at', 'finished_at', 'checked', 'error']).orderBy('id').execute();
    expect(runs).toEqual([
      { job: 'reconcile', started_at: 1000, finished_at: 1000, checked: 3, error: null },
      { job: 'reconcile', started_at: 2000, finished_at: 2000, checked: 3, error: 'boom' },
    ]);
  });

  it('reports the rows an update changed, so a guard can tell applied from lost', async () => {
    const rename = preparedQuery((db: Kysely<ShopDatabase>, arg: Arg<{ name: string; from: string; to: string }>) =>
      db.updateTable('settings').set({ value: arg('to') }).where('name', '=', arg('name')).where('value', '=', arg('from')),
    );
    await store.db.insertInto('settings').values({ name: 'k', value: 'old' }).execute();
    expect(Number((await rename(store.db, dialect, { name: 'k', from: 'old', to: 'new' })).numAffectedRows)).toBe(1);
    expect(Number((await rename(store.db, dialect, { name: 'k', from: 'old', to: 'newer' })).numAffectedRows)).toBe(0);
    expect((await store.db.selectFrom('settings').select('value').where('name', '=', 'k').executeTakeFirstOrThrow()).value).toBe('new');
  });
});
