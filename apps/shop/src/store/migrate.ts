import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { initialMigration } from './migrations/0001-initial.js';
import type { Dialect } from './open-store.js';
import type { ShopDatabase } from './schema.js';

/** Every migration, in order: names sort in the order they run. */
function migrations(dialect: Dialect): Record<string, Migration> {
  return { '0001-initial': initialMigration(dialect) };
}

class StaticProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.dialect);
  }
}

/** Brings the schema up to date; throws the failing migration's error. Returns the names applied. */
export async function migrateToLatest(db: Kysely<ShopDatabase>, dialect: Dialect): Promise<string[]> {
  let migrationTableSchema: string | undefined;
  if (dialect === 'postgres') {
    // Name the schema: Kysely would otherwise find its tables in any schema of the database.
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    migrationTableSchema = rows[0]?.schema;
  }
  const migrator = new Migrator({ db, provider: new StaticProvider(dialect), ...(migrationTableSchema ? { migrationTableSchema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(`migration failed: ${String(error)}`);
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
