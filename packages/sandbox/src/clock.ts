import type { Kysely } from 'kysely';
import type { Clock } from 'alipay-legacy';
import type { Database } from './store/schema.js';

/**
 * The sandbox's clock: real time plus an offset stored in the `clock` table, so it keeps moving for
 * people clicking in a browser while tests can jump ahead.
 */
export interface VirtualClock extends Clock {
  /** Real time + offset, in ms. */
  now(): number;
  /** The current offset from real time, in ms. */
  offsetMs(): number;
  /**
   * Moves the clock forward and runs everything that falls due on the way (deliveries, timeouts),
   * stopping at each due time in order, before resolving with the new now.
   */
  advance(seconds: number): Promise<number>;
  /** Re-reads the stored offset (another process may have advanced it). */
  refresh(): Promise<void>;
}

/** What the clock runs while advancing: provided by createSandbox once the dispatcher exists. */
export interface DueRunner {
  /** Runs everything due at the clock's current time (timeouts, then deliveries). */
  runDue(): Promise<number>;
  /**
   * Waits for work of this process still in flight (an attempt the background loop started);
   * resolves `true` when there was none. Time moves on only once it has ended: an attempt whose
   * end is recorded after a jump would schedule its retry from the wrong time.
   */
  settle?(): Promise<boolean>;
  /** The earliest time after `after` at which something will be due, or undefined. */
  nextDueAt(after: number): Promise<number | undefined>;
}

export interface OpenClockOptions {
  /** The real time source (tests may pin it). */
  realNow?: () => number;
}

/** Extra passes of a step for work that fell due while the step ran. */
const LATE_PASSES = 3;
/** A safety net against a runner that keeps scheduling work at the current instant. */
const MAX_STEPS = 100_000;

export async function openVirtualClock(
  db: Kysely<Database>,
  options: OpenClockOptions = {},
): Promise<VirtualClock & { setRunner(runner: DueRunner): void }> {
  const realNow = options.realNow ?? Date.now;
  const readOffset = async () => {
    const row = await db.selectFrom('clock').select('offset_ms').where('id', '=', 1).executeTakeFirst();
    return row?.offset_ms ?? 0;
  };
  let offset = await readOffset();
  let runner: DueRunner | undefined;
  // advance() calls run one after another: two overlapping advances would interleave their steps.
  let queue: Promise<unknown> = Promise.resolve();

  const setOffset = async (value: number) => {
    offset = value;
    await db.updateTable('clock').set({ offset_ms: value }).where('id', '=', 1).execute();
  };

  const clock = {
    now: () => realNow() + offset,
    offsetMs: () => offset,
    setRunner(r: DueRunner) {
      runner = r;
    },
    async refresh() {
      offset = await readOffset();
    },
    advance(seconds: number): Promise<number> {
      if (!Number.isFinite(seconds) || seconds < 0) {
        return Promise.reject(new RangeError(`advance() takes a non-negative number of seconds, got ${seconds}`));
      }
      // Everything due now, until nothing this process started is in flight.
      const runAll = async (r: DueRunner) => {
        do await r.runDue();
        while (r.settle && !(await r.settle()));
      };
      const run = async () => {
        await clock.refresh();
        // The target is fixed in virtual time; real time keeps flowing underneath, so each step
        // moves the offset so that now() lands exactly on the next due time.
        const target = clock.now() + Math.round(seconds * 1000);
        for (let step = 0; step < MAX_STEPS; step++) {
          const stepAt = clock.now();
          if (runner) {
            await runAll(runner);
            // Real time flows while it runs: what fell due meanwhile (a notification a few ms after
            // the one this step stopped for) runs now, not at the next step. A few passes at most:
            // work held by another worker stays due until that worker ends it.
            for (let pass = 0; pass < LATE_PASSES; pass++) {
              const late = await runner.nextDueAt(stepAt - 1);
              if (late === undefined || late > clock.now()) break;
              await runAll(runner);
            }
          }
          const now = clock.now();
          // Strictly after now: work due now that could not run (another worker holds it) is
          // finished by that worker, and must not make this loop spin.
          const next = runner ? await runner.nextDueAt(now) : undefined;
          if (next === undefined || next > target) break;
          await setOffset(offset + (next - now));
        }
        const now = clock.now();
        if (target > now) await setOffset(offset + (target - now));
        if (runner) await runAll(runner);
        return clock.now();
      };
      const result = queue.then(run, run);
      queue = result.catch(() => undefined);
      return result;
    },
  };
  return clock;
}
