import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';
import { migrateToLatest } from '../../src/store/migrate.js';
import { openStore, type Dialect, type ShopStore } from '../../src/store/open-store.js';

/**
 * Storage and flow suites run once per dialect in env DIALECTS (default `sqlite`;
 * `DIALECTS=postgres` or `sqlite,postgres`). PostgreSQL is at env PG_URL (default
 * postgres://postgres@127.0.0.1:5432/test); each test store is a fresh schema, dropped afterwards.
 */
export const DIALECTS: Dialect[] = (process.env.DIALECTS ?? 'sqlite')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is Dialect => {
    if (s === '') return false;
    if (s !== 'sqlite' && s !== 'postgres') throw new Error(`DIALECTS: unknown dialect "${s}" (use sqlite, postgres)`);
    return true;
  });

export const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function forEachDialect(name: string, fn: (dialect: Dialect) => void): void {
  for (const dialect of DIALECTS) describe(`${name} [${dialect}]`, () => fn(dialect));
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated store of the dialect; closing it drops it. */
export async function openTestStore(dialect: Dialect): Promise<ShopStore> {
  let store: ShopStore;
  if (dialect === 'sqlite') {
    store = openStore(':memory:');
  } else {
    const schema = `shop_${randomBytes(6).toString('hex')}`;
    await adminQuery(`create schema ${schema}`);
    const opened = openStore(PG_URL, { searchPath: schema, poolSize: 5 });
    store = {
      ...opened,
      async close() {
        await opened.close();
        await adminQuery(`drop schema if exists ${schema} cascade`);
      },
    };
  }
  await migrateToLatest(store.db, store.dialect);
  return store;
}
