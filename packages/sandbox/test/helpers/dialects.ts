import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { createSandbox, type CreateSandboxOptions, type Sandbox } from '../../src/create-sandbox.js';
import type { Dialect } from '../../src/deps.js';
import { openDb, type OpenedDb } from '../../src/store/open-db.js';
import { adminQuery, PG_URL } from './pg-admin.js';

/**
 * Every storage and flow suite runs on each dialect listed in env DIALECTS (default `sqlite`;
 * `DIALECTS=postgres` or `sqlite,postgres`), as kysely's own test setup does. PostgreSQL is
 * reached at env PG_URL (default postgres://postgres@127.0.0.1:5432/test); each test database is
 * a fresh schema, dropped afterwards, so parallel test files never collide.
 */
export const DIALECTS: Dialect[] = (process.env.DIALECTS ?? 'sqlite')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is Dialect => {
    if (s === '') return false;
    if (s !== 'sqlite' && s !== 'postgres') throw new Error(`DIALECTS: unknown dialect "${s}" (use sqlite, postgres)`);
    return true;
  });

export { adminQuery, PG_URL };

/** Runs a describe block once per dialect in DIALECTS, named `name [dialect]`. */
export function forEachDialect(name: string, fn: (dialect: Dialect) => void): void {
  for (const dialect of DIALECTS) describe(`${name} [${dialect}]`, () => fn(dialect));
}

/** A fresh, empty, isolated database of the dialect; closing it drops it. */
export async function openTestDb(dialect: Dialect): Promise<OpenedDb> {
  if (dialect === 'sqlite') return openDb(':memory:');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create schema ${schema}`);
  const opened = openDb(PG_URL, { searchPath: schema, poolSize: 5 });
  return {
    ...opened,
    async close() {
      await opened.close();
      await adminQuery(`drop schema if exists ${schema} cascade`);
    },
  };
}

/**
 * A database that can be opened, closed and opened again (a sandbox restart): a temp file for
 * SQLite, a fresh schema for PostgreSQL. `dispose()` removes it.
 */
export async function reopenableTestDb(dialect: Dialect): Promise<{ open(): OpenedDb; dispose(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-'));
    const file = join(dir, 'sandbox.db');
    return { open: () => openDb(file), dispose: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create schema ${schema}`);
  return { open: () => openDb(PG_URL, { searchPath: schema, poolSize: 5 }), dispose: () => adminQuery(`drop schema if exists ${schema} cascade`) };
}

/** A migrated, seeded sandbox on a fresh database of the dialect (dispatcher not started). */
export async function openTestSandbox(dialect: Dialect, options: Omit<CreateSandboxOptions, 'db' | 'opened'> = {}): Promise<Sandbox> {
  return createSandbox({ ...options, opened: await openTestDb(dialect) });
}
