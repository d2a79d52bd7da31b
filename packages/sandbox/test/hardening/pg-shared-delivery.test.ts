import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { SEED_BUYERS } from '../../src/seed.js';
import { DIALECTS } from '../helpers/dialects.js';
import { PARTNER, escrowParams, gatewayPath, signRequest } from '../helpers/gateway-client.js';
import { api, createTestDatabase, startSandboxProcess, waitFor, type SandboxProcess } from '../helpers/processes.js';
import { MerchantServer } from '../helpers/merchant-server.js';

/**
 * Several sandbox processes on one PostgreSQL database share the deliveries without
 * sending an attempt twice (claims with FOR UPDATE SKIP LOCKED). Two real CLI processes, one fresh
 * database; the merchant refuses each notification's first arrival and acknowledges its second, so
 * every notification takes exactly two attempts (the retry 2 s later on the fast schedule) and any
 * attempt sent twice would show up as a third arrival, a retry too early, or a duplicate attempt row.
 */
const TRADES = 30;
/** Escrow with DIRECT logistics: confirm, pay and the automatic shipment notify three statuses. */
const STATUSES = ['WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS'];

describe.runIf(DIALECTS.includes('postgres'))('two sandbox processes on one PostgreSQL database', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('deliver every notification between them, each attempt once, in order per trade', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-shared-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const merchant = await new MerchantServer('success', { holdMs: 30, answer: (r) => (r.nth === 1 ? 'fail' : 'success') }).start();
    cleanups.push(() => merchant.stop());

    // One process first, so the migrations and the seed run once; then the second on the same store.
    const processes: SandboxProcess[] = [];
    for (const name of ['a', 'b']) {
      mkdirSync(join(dir, name));
      const p = await startSandboxProcess({ db: database.url, cwd: join(dir, name) });
      processes.push(p);
      cleanups.push(() => p.stop());
    }

    // Half the trades paid through each process (each nudges its own dispatcher).
    const buyer = SEED_BUYERS[0]!.login;
    const paid: string[] = [];
    await Promise.all(
      Array.from({ length: TRADES }, async (_, i) => {
        const sandbox = processes[i % 2]!;
        const params = escrowParams({ notify_url: merchant.url, logistics_type: 'DIRECT', logistics_fee: '0.00', logistics_payment: 'SELLER_PAY' });
        const open = await fetch(`${sandbox.url}${gatewayPath(signRequest(params))}`, { redirect: 'manual' });
        expect(open.status, sandbox.output()).toBe(303);
        const result = await api<{ trade_status: string }>(sandbox.url, 'POST', '/pay', { partner: PARTNER, out_trade_no: params.out_trade_no, buyer, logistics: 0 });
        expect(result.trade_status).toBe('WAIT_BUYER_CONFIRM_GOODS');
        paid.push(params.out_trade_no!);
      }),
    );

    const expected = TRADES * STATUSES.length;
    await waitFor(() => merchant.received.length >= expected * 2, 60_000, `${expected * 2} arrivals`);
    // Anything sent twice would arrive in the next moments.
    await new Promise((r) => setTimeout(r, 1_000));
    await Promise.all(processes.map((p) => p.stop()));

    // The merchant: each notify_id exactly twice, the second (the retry) at least the 2 s gap later.
    expect(merchant.received).toHaveLength(expected * 2);
    const byId = new Map<string, number[]>();
    for (const r of merchant.received) byId.set(r.notifyId, [...(byId.get(r.notifyId) ?? []), r.at]);
    expect(byId.size).toBe(expected);
    for (const [id, times] of byId) {
      expect(times, id).toHaveLength(2);
      expect(times[1]! - times[0]!, id).toBeGreaterThanOrEqual(1_500);
    }
    // Per trade: never two notifications held at once, and the first arrivals in the order of the changes.
    expect(merchant.maxInFlightPerTrade).toBe(1);
    for (const outTradeNo of paid) {
      const firsts = merchant.received.filter((r) => r.outTradeNo === outTradeNo && r.nth === 1);
      expect(firsts.map((r) => new URLSearchParams(r.body).get('trade_status'))).toEqual(STATUSES);
    }

    // The store: two attempt rows per notification, numbered 1 and 2, no (notification, number)
    // twice, the second acknowledged, and both processes' workers among the senders.
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const duplicates = await client.query('select notification_id, number, count(*) from delivery_attempts group by notification_id, number having count(*) > 1');
      expect(duplicates.rows).toEqual([]);
      const states = await client.query<{ state: string; attempts: number; n: string }>('select state, attempts, count(*) as n from notifications group by state, attempts');
      expect(states.rows.map((r) => ({ ...r, n: Number(r.n) }))).toEqual([{ state: 'acknowledged', attempts: 2, n: expected }]);
      const attempts = await client.query<{ number: number; acknowledged: number; n: string }>(
        'select number, acknowledged, count(*) as n from delivery_attempts group by number, acknowledged order by number',
      );
      expect(attempts.rows.map((r) => ({ ...r, n: Number(r.n) }))).toEqual([
        { number: 1, acknowledged: 0, n: expected },
        { number: 2, acknowledged: 1, n: expected },
      ]);
      const workers = await client.query<{ pid: string; n: string }>("select split_part(worker_id, '-', 2) as pid, count(*) as n from delivery_attempts group by 1");
      expect(workers.rows).toHaveLength(2);
      for (const w of workers.rows) expect(Number(w.n)).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  }, 120_000);
});
