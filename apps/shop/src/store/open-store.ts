import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { ShopDatabase } from './schema.js';
import { startCheckpointer, WAL_BACKSTOP_PAGES, type Checkpointer } from './checkpointer.js';
import { ScopedPostgresIntrospector } from './scoped-introspector.js';

export type Dialect = 'sqlite' | 'postgres';

/** An opened store: the Kysely instance, its dialect, and how to close it. */
export interface ShopStore {
  db: Kysely<ShopDatabase>;
  dialect: Dialect;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** PostgreSQL only: the schema to work in (tests use a fresh one each). */
  searchPath?: string;
  poolSize?: number;
}

/** True when the location is a PostgreSQL URL. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * Opens the store: a `postgres://…` URL gives PostgreSQL, anything else is an SQLite file (or
 * `:memory:`). The one place the dialect is chosen.
 */
export function openStore(location: string, options: OpenStoreOptions = {}): ShopStore {
  if (isPostgresUrl(location)) {
    const pool = new pg.Pool({
      connectionString: location,
      max: options.poolSize ?? 10,
      // bigint columns hold ms times and fen, far below 2^53: read them as numbers.
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
      ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
    });
    const base = new PostgresDialect({ pool });
    const db = new Kysely<ShopDatabase>({
      dialect: {
        createAdapter: () => base.createAdapter(),
        createDriver: () => base.createDriver(),
        createQueryCompiler: () => base.createQueryCompiler(),
        createIntrospector: (k) => new ScopedPostgresIntrospector(k),
      },
    });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const sqlite = new Database(location);
  let checkpointer: Checkpointer | undefined;
  if (location !== ':memory:' && location !== '') {
    // WAL with synchronous=NORMAL: a commit is written to the log before COMMIT returns, so it
    // survives the shop's process being killed at any point (what "success only after the commit"
    // needs); an OS crash or a power cut could lose the last commits, never corrupt the file. The
    // disk is waited for only at checkpoints, which run on a thread of their own (checkpointer.ts).
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma(`wal_autocheckpoint = ${WAL_BACKSTOP_PAGES}`);
    checkpointer = startCheckpointer(location);
  }
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<ShopDatabase>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    dialect: 'sqlite',
    async close() {
      await checkpointer?.stop();
      await db.destroy();
    },
  };
}

/**
 * Kysely's SQLite driver prepares every query anew, which costs more than running the small
 * queries of a notification. The same SQL text always gives the same statement, so keep them.
 * Kysely uses nothing of the database but `prepare` and `close`.
 */
function withStatementCache(sqlite: Database.Database): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    prepare(source) {
      let stmt = cache.get(source);
      if (!stmt) {
        stmt = sqlite.prepare(source);
        // Statements with IN lists of varying length never repeat: do not let them pile up.
        if (cache.size < 1000) cache.set(source, stmt);
      }
      return stmt;
    },
    close: () => sqlite.close(),
  };
}
