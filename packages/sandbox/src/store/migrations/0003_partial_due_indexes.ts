import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The outbox's "what is due" lookups get partial indexes that hold only the rows they look for:
 * undelivered notifications by due time, and notifications being delivered by lock expiry. They
 * replace notifications_due (state, next_attempt_at), which held every notification ever sent.
 *
 * Why it matters on PostgreSQL: each notification changes state three times, and every change
 * leaves a dead entry in an index on state until (auto)vacuum passes, about once a minute. A bitmap
 * scan of such an index visits every dead entry on every claim, a cost that grows with every
 * delivery (bench/README.md); the claim's candidates query now reads the partial index in order (an
 * index-only scan), which marks dead entries as it passes so the next claim skips them
 * (store/outbox-sql.ts).
 */
export const partialDueIndexesMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema
      .createIndex('notifications_open_due')
      .on('notifications')
      .columns(['next_attempt_at', 'id'])
      .where(sql<boolean>`state in ('pending', 'retrying')`)
      .execute();
    await db.schema.createIndex('notifications_delivering').on('notifications').column('locked_until').where(sql<boolean>`state = 'delivering'`).execute();
    await db.schema.dropIndex('notifications_due').execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>) {
    await db.schema.createIndex('notifications_due').on('notifications').columns(['state', 'next_attempt_at']).execute();
    await db.schema.dropIndex('notifications_delivering').execute();
    await db.schema.dropIndex('notifications_open_due').execute();
  },
};
