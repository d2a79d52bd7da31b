import pg from 'pg';

/** The PostgreSQL server of the storage suites and the bench (env PG_URL). */
export const PG_URL = process.env.PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Runs one statement on its own connection (create/drop of test schemas and databases). No
 * vitest import here, so the bench can use it too.
 */
export async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
