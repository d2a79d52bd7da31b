import type { Kysely, Migration } from 'kysely';

/**
 * notifications.held_by: the fault that took a notification out of its trade's order (`reorder`,
 * dispatcher/faults/reorder.ts), kept after it lets the notification go, so that its attempt
 * carries the fault's name and the trade is held back once.
 */
export const notificationHeldByMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema.alterTable('notifications').addColumn('held_by', 'text').execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>) {
    await db.schema.alterTable('notifications').dropColumn('held_by').execute();
  },
};
