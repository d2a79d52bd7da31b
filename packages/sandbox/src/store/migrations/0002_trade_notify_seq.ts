import type { Kysely, Migration } from 'kysely';

/**
 * trades.notify_seq: the sequence of the trade's last notification, kept on the trade row so a
 * new notification takes the next number without a max() query (the trade row is updated in the
 * same transaction anyway).
 */
export const tradeNotifySeqMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema.alterTable('trades').addColumn('notify_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db
      .updateTable('trades')
      .set((eb) => ({
        notify_seq: eb
          .selectFrom('notifications')
          .select((e) => e.fn.coalesce(e.fn.max('notifications.sequence'), e.lit(0)).as('s'))
          .whereRef('notifications.ordering_key', '=', 'trades.trade_no'),
      }))
      .execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>) {
    await db.schema.alterTable('trades').dropColumn('notify_seq').execute();
  },
};
