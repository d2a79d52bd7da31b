import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from '../deps.js';
import { initialMigration } from './migrations/0001_initial.js';
import { tradeNotifySeqMigration } from './migrations/0002_trade_notify_seq.js';
import { partialDueIndexesMigration } from './migrations/0003_partial_due_indexes.js';
import { tradeRecPostMsMigration } from './migrations/0004_trade_rec_post_ms.js';
import { notificationHeldByMigration } from './migrations/0005_notification_held_by.js';
import type { Database } from './schema.js';

/** Every migration, in order. Names sort in the order they run. */
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': initialMigration(dialect),
    '0002_trade_notify_seq': tradeNotifySeqMigration,
    '0003_partial_due_indexes': partialDueIndexesMigration,
    '0004_trade_rec_post_ms': tradeRecPostMsMigration,
    '0005_notification_held_by': notificationHeldByMigration,
  };
}

/** A static provider: migrations are code, not files found at run time (works the same from source or a bundle). */
class StaticProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.dialect);
  }
}

/**
 * Brings the schema up to date; throws with the failing migration's error. (On PostgreSQL the
 * Migrator sees only the sandbox's own schema: scoped-introspector.ts.)
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  // On PostgreSQL, name the schema explicitly: Kysely's check for its own tables otherwise finds
  // them in any schema of the database (another sandbox's, or a parallel test's).
  let migrationTableSchema: string | undefined;
  if (dialect === 'postgres') {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    migrationTableSchema = rows[0]?.schema;
  }
  const migrator = new Migrator({ db, provider: new StaticProvider(dialect), ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(`migration failed: ${String(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
