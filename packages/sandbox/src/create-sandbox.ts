import { openVirtualClock } from './clock.js';
import type { SandboxDeps, Schedule } from './deps.js';
import { createDispatcher, type Dispatcher } from './dispatcher/dispatcher.js';
import { seed } from './seed.js';
import { nextTimeoutAt, runTimeouts } from './services/timeouts.js';
import { migrateToLatest } from './store/migrate.js';
import { openDb, type OpenedDb } from './store/open-db.js';

export interface CreateSandboxOptions {
  /** A file path, ':memory:' or a postgres:// URL. Default ':memory:'. */
  db?: string;
  /** An already opened store (tests open one per dialect); `db` is then ignored. */
  opened?: OpenedDb;
  partner?: string;
  key?: string;
  sellerEmail?: string;
  schedule?: Schedule;
  publicUrl?: string;
  /** Deliveries go out with this instead of Node's http client (tests inject a recording or fake one). */
  fetch?: typeof fetch;
  /** Dispatcher options (tests shorten the HTTP timeout). */
  workerId?: string;
  deliveryTimeoutMs?: number;
  /** Attempts in flight at once per sandbox process (default 64). */
  deliveryConcurrency?: number;
  pollMs?: number;
  /** Skip seeding (default: seed; seeding is idempotent anyway). */
  seed?: boolean;
}

export interface Sandbox {
  deps: SandboxDeps;
  /** Stops the dispatcher and closes the store. */
  close(): Promise<void>;
}

/**
 * Opens the store, runs migrations, seeds deterministically, and builds the clock and the
 * dispatcher (not started: call `deps.dispatcher.start()` to deliver in the background, or drive it
 * with `runDue()` / `clock.advance()` in tests).
 */
export async function createSandbox(options: CreateSandboxOptions = {}): Promise<Sandbox> {
  const opened = options.opened ?? openDb(options.db ?? ':memory:');
  try {
    await migrateToLatest(opened.db, opened.dialect);
    if (options.seed !== false) {
      await seed(opened.db, {
        ...(options.partner ? { partner: options.partner } : {}),
        ...(options.key ? { key: options.key } : {}),
        ...(options.sellerEmail ? { sellerEmail: options.sellerEmail } : {}),
      });
    }
    const clock = await openVirtualClock(opened.db);
    // eslint-disable-next-line prefer-const
    let deps: SandboxDeps;
    const dispatcher: Dispatcher = createDispatcher(() => deps, {
      ...(options.workerId ? { workerId: options.workerId } : {}),
      ...(options.deliveryTimeoutMs ? { timeoutMs: options.deliveryTimeoutMs } : {}),
      ...(options.pollMs ? { pollMs: options.pollMs } : {}),
      ...(options.deliveryConcurrency ? { concurrency: options.deliveryConcurrency } : {}),
      onTick: async () => {
        await clock.refresh();
        await runTimeouts(deps);
      },
    });
    deps = {
      db: opened.db,
      writer: opened.writer,
      clock,
      dispatcher,
      schedule: options.schedule ?? 'real',
      fetch: options.fetch,
      publicUrl: options.publicUrl ?? 'http://127.0.0.1:7000',
    };
    clock.setRunner({
      runDue: async () => (await runTimeouts(deps)) + (await dispatcher.runDue()),
      settle: () => dispatcher.settle(),
      nextDueAt: async (after) => {
        const [a, b] = await Promise.all([nextTimeoutAt(deps, after), dispatcher.nextDueAt(after)]);
        return a === undefined ? b : b === undefined ? a : Math.min(a, b);
      },
    });
    return {
      deps,
      async close() {
        await dispatcher.stop();
        await opened.close();
      },
    };
  } catch (error) {
    await opened.close();
    throw error;
  }
}
