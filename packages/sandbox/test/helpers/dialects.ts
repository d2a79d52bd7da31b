import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe } from 'vitest';
import { createSandbox, type CreateSandboxOptions, type Sandbox } from '../../src/create-sandbox.js';
import type { Dialect } from '../../src/deps.js';
import { openDb, type OpenedDb } from '../../src/store/open-db.js';

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

export const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Runs a describe block once per dialect in DIALECTS, named `name [dialect]`. */
export function forEachDialect(name: string, fn: (dialect: Dialect) => void): void {
  for (const dialect of DIALECTS) describe(`${name} [${dialect}]`, () => fn(dialect));
}

/** A fresh, empty, isolated database of the dialect; closing it drops it. */
export async function openTestDb(dialect: Dialect): Promise<OpenedDb> {
  if (dialect === 'sqlite') return openDb(':memory:');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
  } finally {
    await admin.end();
  }
  const opened = openDb(PG_URL, { searchPath: schema, poolSize: 5 });
  return {
    ...opened,
    async close() {
      await opened.close();
      const dropper = new pg.Client({ connectionString: PG_URL });
      await dropper.connect();
      try {
        await dropper.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await dropper.end();
      }
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

/** Runs one statement on its own connection (create/drop of test schemas and databases). */
export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A migrated, seeded sandbox on a fresh database of the dialect (dispatcher not started). */
export async function openTestSandbox(dialect: Dialect, options: Omit<CreateSandboxOptions, 'db' | 'opened'> = {}): Promise<Sandbox> {
  return createSandbox({ ...options, opened: await openTestDb(dialect) });
}
