import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { SEED_BUYERS } from '../../src/seed.js';
import { forEachDialect } from '../helpers/dialects.js';
import { PARTNER, directPayParams, gatewayPath, signRequest } from '../helpers/gateway-client.js';
import { api, createTestDatabase, startSandboxProcess, waitFor, type SandboxProcess } from '../helpers/processes.js';
import { MerchantServer } from '../helpers/merchant-server.js';

/**
 * decisions.md §8: every notification and every attempt is stored before and after it is sent, so
 * a sandbox killed with SIGKILL in the middle of deliveries resumes after a restart on the same
 * store and loses none. The real CLI runs as a child process; a loopback merchant answers the
 * first notifications `success` after 200 ms and holds the later ones without an answer, so the
 * kill finds some acknowledged, some in flight and (usually) some not yet sent.
 */
const TRADES = 60;
const ANSWERED_BEFORE_KILL = 10;

interface NotificationView {
  id: number;
  trade_no: string;
  notify_id: string;
  state: string;
  attempt_count: number;
  body: string;
  params: Record<string, string>;
  attempts: { number: number; worker_id: string; error: string | null; acknowledged: boolean; request_body: string }[];
}

forEachDialect('a sandbox killed with SIGKILL mid-delivery', (dialect) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('resumes after a restart on the same store: every notification acknowledged, same notify_id, attempts recorded, repeats only for interrupted attempts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbox-sigkill-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    let db = join(dir, 'sandbox.db');
    if (dialect === 'postgres') {
      const created = await createTestDatabase();
      cleanups.push(() => created.drop());
      db = created.url;
    }
    const merchant = await new MerchantServer('success', { holdMs: 200, holdAfter: ANSWERED_BEFORE_KILL }).start();
    cleanups.push(() => merchant.stop());

    let first: SandboxProcess | undefined = await startSandboxProcess({ db, cwd: dir });
    cleanups.push(() => first?.kill());

    // Open and pay the trades, four at a time; deliveries start as soon as each payment commits.
    const outTradeNos: string[] = [];
    const buyer = SEED_BUYERS[0]!.login;
    const payOne = async () => {
      const params = directPayParams({ notify_url: merchant.url, total_fee: '0.01' });
      const open = await fetch(`${first!.url}${gatewayPath(signRequest(params))}`, { redirect: 'manual' });
      expect(open.status, first!.output()).toBe(303);
      await api(first!.url, 'POST', '/pay', { partner: PARTNER, out_trade_no: params.out_trade_no, buyer });
      outTradeNos.push(params.out_trade_no!);
    };
    for (let i = 0; i < TRADES; i += 4) await Promise.all([payOne(), payOne(), payOne(), payOne()]);

    // Kill once the first answers are recorded and later notifications are held in flight.
    await waitFor(() => merchant.answered >= ANSWERED_BEFORE_KILL && merchant.inFlight > 0, 30_000, 'answered and held deliveries');
    await new Promise((r) => setTimeout(r, 300)); // the first process records its acknowledgements
    await first.kill();
    first = undefined;
    merchant.holdAfter = Infinity; // the restarted sandbox finds a merchant that answers again

    const second = await startSandboxProcess({ db, cwd: dir });
    cleanups.push(() => second.stop());
    // The dead process's claims hold until their lock expires (timeout + margin, 30 s of sandbox
    // time): move the clock past it instead of waiting.
    await api(second.url, 'POST', '/clock/advance', { seconds: 31 });
    const list = () => api<NotificationView[]>(second.url, 'GET', `/notifications?partner=${PARTNER}`);
    await waitFor(async () => (await list()).filter((n) => n.state === 'acknowledged').length === TRADES, 30_000, 'every notification acknowledged');

    const notifications = await list();
    // No notification lost, none invented: one per paid trade.
    expect(notifications.map((n) => n.params.out_trade_no).sort()).toEqual([...outTradeNos].sort());
    let interrupted = 0;
    const counts = merchant.counts();
    for (const n of notifications) {
      // Every attempt recorded, numbered 1…k; the last acknowledged; the earlier ones interrupted by the kill.
      expect(n.attempts.map((a) => a.number)).toEqual(Array.from({ length: n.attempt_count }, (_, i) => i + 1));
      expect(n.attempts.at(-1)!.acknowledged).toBe(true);
      const cut = n.attempts.slice(0, -1);
      for (const a of cut) expect(a.error).toMatch(/interrupted/);
      interrupted += cut.length;
      // Every attempt sent the same stored body: the same notify_id and sign (decisions.md §2).
      for (const a of n.attempts) expect(a.request_body).toBe(n.body);
      // At least once at the merchant; more only when an attempt was cut by the kill.
      const arrived = counts.get(n.notify_id) ?? 0;
      expect(arrived, `notification ${n.id}`).toBeGreaterThanOrEqual(1);
      expect(arrived, `notification ${n.id}`).toBeLessThanOrEqual(n.attempt_count);
      const receipts = merchant.received.filter((r) => r.notifyId === n.notify_id);
      for (const r of receipts) {
        expect(r.body).toBe(n.body);
        expect(r.outTradeNo).toBe(n.params.out_trade_no);
      }
    }
    // The kill did land mid-delivery; the first process's acknowledgements survived it (their
    // notifications were not sent again), and the restarted one delivered the rest.
    expect(interrupted).toBeGreaterThan(0);
    const pid = (workerId: string) => workerId.split('-')[1];
    const pids = [...new Set(notifications.flatMap((n) => n.attempts.map((a) => pid(a.worker_id))))];
    expect(pids).toHaveLength(2);
    const firstPid = pid(notifications.flatMap((n) => n.attempts).find((a) => a.acknowledged && merchant.received.slice(0, ANSWERED_BEFORE_KILL).some((r) => r.body === a.request_body))!.worker_id);
    const ackedByFirst = notifications.filter((n) => n.attempts.length === 1 && pid(n.attempts[0]!.worker_id) === firstPid);
    expect(ackedByFirst.length).toBeGreaterThanOrEqual(1);
    for (const n of ackedByFirst) expect(counts.get(n.notify_id)).toBe(1);
    // The merchant saw duplicates only of interrupted attempts.
    const repeated = [...counts.values()].filter((c) => c > 1).length;
    expect(repeated).toBeLessThanOrEqual(interrupted);
  }, 120_000);
});
