import { sql, type Kysely, type Migration } from 'kysely';

/**
 * trades.t_b_rec_post_ms replaces t_b_rec_post_days: `t_b_rec_post` is a number of days with up
 * to two decimals (`7.5`, protocol.md §4.2; the SDK's check), which an integer column of days
 * cannot hold. Milliseconds are exact for every such value (a hundredth of a day is 864 s).
 */
export const tradeRecPostMsMigration: Migration = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>) {
    await db.schema.alterTable('trades').addColumn('t_b_rec_post_ms', 'bigint').execute();
    await db
      .updateTable('trades')
      .set({ t_b_rec_post_ms: sql`t_b_rec_post_days * 86400000` })
      .where('t_b_rec_post_days', 'is not', null)
      .execute();
    await db.schema.alterTable('trades').dropColumn('t_b_rec_post_days').execute();
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async down(db: Kysely<any>) {
    await db.schema.alterTable('trades').addColumn('t_b_rec_post_days', 'integer').execute();
    // Whole days only, as the old column held them.
    await db
      .updateTable('trades')
      .set({ t_b_rec_post_days: sql`t_b_rec_post_ms / 86400000` })
      .where('t_b_rec_post_ms', 'is not', null)
      .execute();
    await db.schema.alterTable('trades').dropColumn('t_b_rec_post_ms').execute();
  },
};
