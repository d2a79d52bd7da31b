import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Dialect } from '../deps.js';
import { createPostgresWriter } from './postgres-writer.js';
import type { Database as Schema } from './schema.js';
import { ScopedPostgresIntrospector } from './scoped-introspector.js';
import { createSqliteWriter } from './sqlite-writer.js';
import type { StoreWriter } from './store-writer.js';

/** An opened store: the Kysely instance, the dialect's hot-path writer, and how to close it. */
export interface OpenedDb {
  db: Kysely<Schema>;
  /** The hot-path writes (trade changes, the outbox), this dialect's way (store-writer.ts). */
  writer: StoreWriter;
  /** For the migrations' dialect-specific DDL. */
  dialect: Dialect;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  /** PostgreSQL only: the schema to work in (tests use a fresh one per file). */
  searchPath?: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
}

/** True when the location is a PostgreSQL URL. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * Opens the store: a `postgres://…` URL gives PostgreSQL through a `pg` Pool, anything else is a
 * SQLite file path (or `:memory:`) through better-sqlite3. The only place the dialect is chosen
 * (Kysely is the one query layer over both): the rest of the sandbox reads and writes through
 * Kysely, and the hot-path writes whose SQL differs through the writer picked here.
 */
export function openDb(location: string, options: OpenDbOptions = {}): OpenedDb {
  if (isPostgresUrl(location)) {
    const db = postgresKysely(location, options.poolSize ?? 10, options.searchPath);
    // The outbox worker's own two connections (a claim and an outcome batch can run at once): a
    // burst of API traffic waiting on a hot row (one buyer paying many orders) holds every
    // connection of the main pool, and deliveries must not wait behind it.
    const outboxDb = postgresKysely(location, 2, options.searchPath);
    return {
      db,
      writer: createPostgresWriter(db, outboxDb),
      dialect: 'postgres',
      close: async () => {
        await Promise.all([db.destroy(), outboxDb.destroy()]);
      },
    };
  }
  const sqlite = new Database(location);
  if (location !== ':memory:' && location !== '') {
    lockForThisProcess(sqlite, location);
    // synchronous = OFF: a commit is in the OS's hands when COMMIT returns, so a killed sandbox
    // (even SIGKILL) loses nothing (test/hardening); only a machine crash could lose the last
    // commits, which a test sandbox may. It halves the cost of a commit (≈ 0.11 → 0.055 ms here),
    // which every trade pays several times (bench/README.md).
    sqlite.pragma('synchronous = OFF');
  }
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  // One connection: better-sqlite3 is synchronous and SQLite has one writer anyway.
  return { db, writer: createSqliteWriter(db), dialect: 'sqlite', close: () => db.destroy() };
}

/**
 * A SQLite store belongs to one process: a second sandbox on the same file would deliver the same
 * notifications twice and each would cache what the other changes. The file is held with SQLite's
 * exclusive locking mode (taken here, released by the operating system when the process ends, even
 * on SIGKILL), in WAL journal mode, which with exclusive locking needs no shared-memory index.
 */
function lockForThisProcess(sqlite: Database.Database, location: string): void {
  sqlite.pragma('locking_mode = EXCLUSIVE');
  // Refuse at once rather than wait for the other process to end.
  sqlite.pragma('busy_timeout = 0');
  try {
    sqlite.pragma('journal_mode = WAL');
    sqlite.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (err) {
    sqlite.close();
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new Error(
        `${location} is in use by another process (a sandbox already running on it?): a SQLite store belongs to one ` +
          'process. Stop the other one, give this one its own --db, or share a PostgreSQL database between sandboxes.',
        { cause: err },
      );
    }
    throw err;
  }
}

/** A Kysely over its own `pg` pool of `max` connections, with the session settings every connection gets. */
function postgresKysely(location: string, max: number, searchPath: string | undefined): Kysely<Schema> {
  const pool = new pg.Pool({
    connectionString: location,
    max,
    // int8 (bigint) arrives as a string by default; every bigint here (ms times, fen) is far
    // below 2^53, so read it as a number (schema.ts).
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
    // synchronous_commit=off: COMMIT returns before PostgreSQL flushes its WAL to disk. A sandbox
    // killed at any point loses nothing (the server has every commit); only a crash of the
    // PostgreSQL server itself could lose the last few ms of commits, never corrupt them — the
    // same bargain as SQLite's synchronous=OFF in openDb, worth ≈ 10 % of throughput (bench/README.md).
    options: ['-c synchronous_commit=off', searchPath ? `-c search_path=${searchPath}` : ''].join(' ').trim(),
  });
  pool.on('connect', (client) => useNamedStatements(client));
  const base = new PostgresDialect({ pool });
  return new Kysely<Schema>({
    dialect: {
      createAdapter: () => base.createAdapter(),
      createDriver: () => base.createDriver(),
      createQueryCompiler: () => base.createQueryCompiler(),
      createIntrospector: (k) => new ScopedPostgresIntrospector(k),
    },
  });
}

/**
 * Kysely's SQLite driver prepares every query anew; preparing costs more than running the small
 * queries the sandbox makes. The same SQL text always gives the same statement, so keep them.
 */
function withStatementCache(sqlite: Database.Database): Database.Database {
  const cache = new Map<string, Database.Statement>();
  const prepare = sqlite.prepare.bind(sqlite);
  return new Proxy(sqlite, {
    get(target, prop, receiver) {
      if (prop === 'prepare') {
        return (source: string) => {
          let stmt = cache.get(source);
          if (!stmt) {
            stmt = prepare(source);
            // Statements with IN lists of varying length never repeat: do not let them pile up.
            if (cache.size < 2000) cache.set(source, stmt);
          }
          return stmt;
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * PostgreSQL parses and plans an unnamed statement on every call; the sandbox sends the same few
 * dozen statements over and over, so each connection gets them as named prepared statements
 * (parsed once per connection). Only plain DML is named: DDL and transaction commands go as they are.
 */
function useNamedStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof text === 'string' && Array.isArray(values) && PREPARABLE.test(text)) {
      return query({ name: statementName(text), text, values }, callback);
    }
    return callback === undefined ? query(text, values) : query(text, values, callback);
  };
}

const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;
const names = new Map<string, string>();

function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = 's' + createHash('sha1').update(text).digest('hex').slice(0, 20);
    if (names.size < 5000) names.set(text, name);
  }
  return name;
}
