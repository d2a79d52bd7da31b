import { CompiledQuery, sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { compileDueCandidates } from '../../src/store/outbox-sql.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { OpenedDb } from '../../src/store/open-db.js';
import { seed, SEED_BUYERS, SEED_MERCHANT } from '../../src/seed.js';
import { forEachDialect, openTestDb } from '../helpers/dialects.js';

forEachDialect('storage', (dialect) => {
  let store: OpenedDb;
  beforeEach(async () => {
    store = await openTestDb(dialect);
    await migrateToLatest(store.db, store.dialect);
  });
  afterEach(async () => {
    await store.close();
  });

  it('runs the migrations once: a second run applies nothing', async () => {
    expect(await migrateToLatest(store.db, store.dialect)).toEqual([]);
  });

  it('creates every table of the design', async () => {
    // PostgreSQL lists every schema's tables (parallel test files each have one): keep ours.
    const mine = dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(store.db)).rows[0]!.s : undefined;
    const tables = (await store.db.introspection.getTables())
      .filter((t) => mine === undefined || t.schema === mine)
      .map((t) => t.name)
      .filter((n) => !n.startsWith('kysely_'));
    expect(tables.sort()).toEqual(
      [
        'addresses',
        'anti_phishing_keys',
        'buyers',
        'clock',
        'delivery_attempts',
        'faults',
        'merchants',
        'notifications',
        'notify_ids',
        'refund_batches',
        'refunds',
        'trade_events',
        'trades',
        'tokens',
      ].sort(),
    );
  });

  it.skipIf(dialect !== 'sqlite')("claims read the partial index of undelivered notifications (migration 0003), the expired-claim pass also the in-delivery one", async () => {
    const plan = async (recover: boolean) => {
      const { sql: text, parameters } = compileDueCandidates(store.db, { recover, lockRows: false });
      expect(parameters.length).toBeGreaterThan(0);
      const rows = await store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${text}`, [...parameters]));
      return rows.rows.map((r) => r.detail).join('\n');
    };
    const due = await plan(false);
    expect(due).toMatch(/USING INDEX notifications_open_due/);
    expect(due).not.toMatch(/SCAN d\b/);
    const recover = await plan(true);
    expect(recover).toMatch(/notifications_open_due/);
    expect(recover).toMatch(/notifications_delivering/);
  });

  it('reads bigint columns back as numbers (ms times and fen beyond 2^31)', async () => {
    await seed(store.db, { now: 1_700_000_000_123 });
    const row = await store.db.selectFrom('merchants').select(['created_at']).executeTakeFirstOrThrow();
    expect(row.created_at).toBe(1_700_000_000_123);
    await store.db.updateTable('buyers').set({ balance_fen: 9_007_199_254_740 }).where('user_id', '=', SEED_BUYERS[0]!.userId).execute();
    const buyer = await store.db.selectFrom('buyers').select('balance_fen').where('user_id', '=', SEED_BUYERS[0]!.userId).executeTakeFirstOrThrow();
    expect(buyer.balance_fen).toBe(9_007_199_254_740);
  });

  it('seeds the merchant, the buyers and their addresses', async () => {
    await seed(store.db);
    const merchant = await store.db.selectFrom('merchants').selectAll().executeTakeFirstOrThrow();
    expect(merchant.partner).toMatch(/^2088\d{12}$/);
    expect(merchant.md5_key).toMatch(/^[0-9a-z]{32}$/);
    expect(merchant.seller_id).toBe(merchant.partner);
    expect(merchant.anti_phishing).toBe(0);
    expect(merchant.ip_check).toBe(0);
    expect(merchant.advanced_instant).toBe(0);
    expect(merchant.rsa_public_key).toContain('BEGIN PUBLIC KEY');
    const buyers = await store.db.selectFrom('buyers').selectAll().orderBy('position').execute();
    expect(buyers[0]).toMatchObject({ login: 'buyer@sandbox.test', balance_fen: 10_000_000 });
    expect(buyers.some((b) => b.balance_fen <= 100)).toBe(true);
    const first = await store.db.selectFrom('addresses').selectAll().where('user_id', '=', buyers[0]!.user_id).orderBy('position').executeTakeFirstOrThrow();
    expect([first.prov, first.area]).toEqual(['上海', '浦东新区']);
    expect(buyers[0]!.login_password_hash).not.toContain('111111');
  });

  it('seeds idempotently: a second run changes nothing', async () => {
    await seed(store.db, { now: 1000 });
    const dump = async () => ({
      merchants: await store.db.selectFrom('merchants').selectAll().execute(),
      buyers: await store.db.selectFrom('buyers').selectAll().orderBy('user_id').execute(),
      addresses: await store.db.selectFrom('addresses').selectAll().orderBy('id').execute(),
    });
    const before = await dump();
    await seed(store.db, { now: 2000 });
    expect(await dump()).toEqual(before);
  });

  it('seeds deterministically: two fresh databases hold the same rows', async () => {
    await seed(store.db, { now: 1000 });
    const other = await openTestDb(dialect);
    try {
      await migrateToLatest(other.db, other.dialect);
      await seed(other.db, { now: 1000 });
      const strip = (rows: { id: number }[]) => rows.map(({ id: _id, ...rest }) => rest);
      expect(await other.db.selectFrom('buyers').selectAll().orderBy('user_id').execute()).toEqual(
        await store.db.selectFrom('buyers').selectAll().orderBy('user_id').execute(),
      );
      expect(strip(await other.db.selectFrom('addresses').selectAll().orderBy('user_id').orderBy('position').execute())).toEqual(
        strip(await store.db.selectFrom('addresses').selectAll().orderBy('user_id').orderBy('position').execute()),
      );
    } finally {
      await other.close();
    }
  });

  it('replaces the merchant identity with --partner/--key/--seller-email', async () => {
    await seed(store.db, { partner: '2088000000000042', key: 'k'.repeat(32), sellerEmail: 'me@shop.test' });
    const m = await store.db.selectFrom('merchants').selectAll().where('partner', '=', '2088000000000042').executeTakeFirstOrThrow();
    expect([m.md5_key, m.seller_email, m.seller_id]).toEqual(['k'.repeat(32), 'me@shop.test', '2088000000000042']);
    expect(await store.db.selectFrom('merchants').select('partner').where('partner', '=', SEED_MERCHANT.partner).executeTakeFirst()).toBeUndefined();
  });

  it('refuses a second trade with the same partner and out_trade_no', async () => {
    await seed(store.db);
    const trade = (tradeNo: string) => ({
      trade_no: tradeNo,
      partner: SEED_MERCHANT.partner,
      out_trade_no: 'dup',
      service: 'create_direct_pay_by_user' as const,
      charset: 'utf-8' as const,
      sign_type: 'MD5' as const,
      request_params: '{}',
      subject: 's',
      body: null,
      payment_type: '1',
      price_fen: 1,
      quantity: 1,
      total_fee_fen: 1,
      discount_fen: 0,
      total_fee_adjust: 0,
      logistics_options: '[]',
      seller_id: SEED_MERCHANT.partner,
      seller_email: SEED_MERCHANT.sellerEmail,
      trade_status: 'WAIT_BUYER_PAY' as const,
      gmt_create: 1,
      refunded_fen: 0,
      version: 1,
      updated_at: 1,
    });
    await store.db.insertInto('trades').values(trade('1')).execute();
    await expect(store.db.insertInto('trades').values(trade('2')).execute()).rejects.toThrow();
  });

  it('keeps one clock row with a zero offset after migration', async () => {
    expect(await store.db.selectFrom('clock').selectAll().execute()).toEqual([{ id: 1, offset_ms: 0 }]);
  });
});
