import type { ShopDeps } from '../deps.js';
import { FIRST_PAID_RANK } from '../rules/rank-bounds.js';
import { askAlipay } from '../services/seller-actions.js';

/** The job's name in `job_runs`. */
export const RECONCILE_JOB = 'reconcile';

/** Orders are asked about for this long after the buyer went to pay, then left to the admin. */
const GIVE_UP_AFTER_MS = 2 * 24 * 3600_000;

export interface RunSummary {
  checked: number;
  updated: number;
}

export interface Reconciler {
  /** One pass: asks Alipay about every order still unpaid some minutes after the buyer went to pay. */
  runOnce(): Promise<RunSummary>;
  /** Runs a pass every `reconcileEveryMs` in the background. */
  start(): void;
  /** Stops the loop and waits for a pass in flight. */
  stop(): Promise<void>;
}

/**
 * Reconciliation, beyond what the integration rules ask (protocol.md §12): a buyer who closed the
 * page before the return, plus a notification that never came, would leave a paid order unpaid
 * here. The job asks `single_trade_query` about orders still unpaid `reconcileAfterMs` after the
 * buyer was sent to pay (and again at most that often), and applies the answer through the same
 * forward-only update as a notification. Each pass is a row of `job_runs`, shown in the admin.
 */
export function createReconciler(deps: ShopDeps): Reconciler {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  async function runOnce(): Promise<RunSummary> {
    const now = deps.clock.now();
    const after = deps.options.reconcileAfterMs;
    const run = await deps.db
      .insertInto('job_runs')
      .values({ job: RECONCILE_JOB, started_at: now, finished_at: null, checked: 0, updated: 0, error: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const due = await deps.db
      .selectFrom('orders')
      .select(['out_trade_no'])
      .where('progress_rank', '<', FIRST_PAID_RANK)
      .where('payment_service', '!=', 'cod')
      .where('pay_started_at', 'is not', null)
      .where('pay_started_at', '<=', now - after)
      .where('pay_started_at', '>=', now - GIVE_UP_AFTER_MS)
      .where((eb) => eb.or([eb('last_queried_at', 'is', null), eb('last_queried_at', '<=', now - after)]))
      .orderBy('pay_started_at')
      .limit(50)
      .execute();
    let updated = 0;
    const errors: string[] = [];
    for (const { out_trade_no } of due) {
      try {
        const result = await askAlipay(deps, out_trade_no);
        if (result.outcome === 'applied') updated++;
      } catch (error) {
        errors.push(`${out_trade_no}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    await deps.db
      .updateTable('job_runs')
      .set({ finished_at: deps.clock.now(), checked: due.length, updated, error: errors.length ? errors.join('; ').slice(0, 2000) : null })
      .where('id', '=', run.id)
      .execute();
    return { checked: due.length, updated };
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = runOnce()
        .catch((error: unknown) => console.error('[shop] reconciliation failed:', error instanceof Error ? error.message : error))
        .finally(() => {
          running = undefined;
          schedule();
        });
    }, deps.options.reconcileEveryMs);
    timer.unref();
  }

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}

/** The last runs of the job, newest first. */
export async function recentRuns(deps: Pick<ShopDeps, 'db'>, limit = 10) {
  return deps.db.selectFrom('job_runs').selectAll().where('job', '=', RECONCILE_JOB).orderBy('id', 'desc').limit(limit).execute();
}
