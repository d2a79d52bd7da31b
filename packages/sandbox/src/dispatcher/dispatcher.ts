import type { SandboxDeps } from '../deps.js';
import { newWorkerId } from '../ids.js';
import { readAck } from './ack.js';
import { claimDue, type ClaimedAttempt } from './claim.js';
import { postNotification } from './post.js';
import { recordOutcome, type AttemptOutcome } from './record.js';

/** The transactional outbox worker (decisions.md §5–8). */
export interface Dispatcher {
  /** A process-unique id recorded on every claim and attempt. */
  readonly workerId: string;
  /**
   * Delivers everything due now: claims, sends and records, pass after pass until nothing more is
   * claimable (a trade's next notification becomes claimable once the previous one's attempt is
   * done). Resolves with the number of attempts made.
   */
  runDue(): Promise<number>;
  /** The earliest next_attempt_at (or lock expiry) after `after` among undelivered notifications. */
  nextDueAt(after: number): Promise<number | undefined>;
  /** Starts the polling loop (every ~250 ms, and at once after nudge()). */
  start(): void;
  /** Stops the loop and waits for attempts in flight. */
  stop(): Promise<void>;
  /** Wakes the loop now (services call it after commit). */
  nudge(): void;
}

export interface DispatcherOptions {
  workerId?: string;
  /** Per-attempt HTTP timeout in ms (decisions.md §5: 15 s). */
  timeoutMs?: number;
  pollMs?: number;
  /** Maximum rows claimed per pass. */
  batchSize?: number;
  /** Run by the loop about once a second besides deliveries (timeouts, clock refresh). */
  onTick?: () => Promise<unknown>;
  /** Where loop errors go (default console.error). */
  onError?: (error: unknown) => void;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * Builds the dispatcher. `deps` is a function because the dispatcher is itself part of the deps
 * (createSandbox wires them together).
 */
export function createDispatcher(deps: () => SandboxDeps, options: DispatcherOptions = {}): Dispatcher {
  const workerId = options.workerId ?? newWorkerId();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pollMs = options.pollMs ?? 250;
  const batchSize = options.batchSize ?? 64;
  // The claim outlives the HTTP timeout with a margin, so only a dead worker's rows expire.
  const lockMs = timeoutMs + 15_000;
  const onError = options.onError ?? ((e: unknown) => console.error('[sandbox dispatcher]', e));

  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let nudged = false;

  async function deliver(claim: ClaimedAttempt): Promise<void> {
    const d = deps();
    const n = claim.notification;
    let outcome: AttemptOutcome;
    if (claim.fault === 'drop') {
      outcome = { finishedAt: d.clock.now(), durationMs: 0, httpStatus: null, responseBody: null, error: 'dropped by an injected fault: never sent', warning: null, acknowledged: false };
    } else {
      const charset = n.charset as 'utf-8' | 'gbk' | 'gb2312';
      const sent = await postNotification(d.fetch, n.url, n.body, { charset, timeoutMs });
      let ack = sent.status === null ? { acknowledged: false, warning: null, error: sent.error } : readAck(sent.status, sent.body ?? '');
      let warning = ack.warning;
      if (claim.fault === 'duplicate') {
        // The same request again at once, as a flaky network or a retrying proxy would.
        const again = await postNotification(d.fetch, n.url, n.body, { charset, timeoutMs });
        const ack2 = again.status === null ? { acknowledged: false, warning: null, error: again.error } : readAck(again.status, again.body ?? '');
        warning = [warning, `sent twice by an injected fault; the second answer was ${again.status ?? again.error}`].filter(Boolean).join('; ');
        if (!ack.acknowledged && ack2.acknowledged) ack = ack2;
      }
      outcome = {
        finishedAt: d.clock.now(),
        durationMs: sent.durationMs,
        httpStatus: sent.status,
        responseBody: sent.body,
        error: ack.acknowledged ? null : ack.error,
        warning,
        acknowledged: ack.acknowledged,
      };
    }
    await d.db.transaction().execute((trx) => recordOutcome(trx, claim, outcome, { workerId, schedule: d.schedule }));
  }

  async function runDue(): Promise<number> {
    const d = deps();
    let total = 0;
    for (;;) {
      const claimed = await d.db.transaction().execute((trx) =>
        claimDue(trx, { dialect: d.dialect, workerId, now: d.clock.now(), lockMs, limit: batchSize }),
      );
      if (claimed.length === 0) break;
      await Promise.all(claimed.map(deliver));
      total += claimed.length;
    }
    return total;
  }

  async function nextDueAt(after: number): Promise<number | undefined> {
    const d = deps();
    const row = await d.db
      .selectFrom('notifications')
      .select((eb) => [
        eb.fn.min(eb.case().when('state', 'in', ['pending', 'retrying']).then(eb.ref('next_attempt_at')).else(eb.ref('locked_until')).end()).as('at'),
      ])
      .where('state', 'in', ['pending', 'retrying', 'delivering'])
      .where((eb) =>
        eb.or([
          eb.and([eb('state', 'in', ['pending', 'retrying']), eb('next_attempt_at', '>', after)]),
          eb.and([eb('state', '=', 'delivering'), eb('locked_until', '>', after)]),
        ]),
      )
      .executeTakeFirst();
    return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
  }

  function sleep(ms: number): Promise<void> {
    if (nudged) {
      nudged = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function run(): Promise<void> {
    let lastTick = 0;
    while (running) {
      let worked = 0;
      try {
        if (options.onTick && Date.now() - lastTick >= 1000) {
          lastTick = Date.now();
          await options.onTick();
        }
        worked = await runDue();
      } catch (error) {
        if (running) onError(error);
      }
      if (running && worked === 0) await sleep(pollMs);
    }
  }

  return {
    workerId,
    runDue,
    nextDueAt,
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
      loop = undefined;
    },
    nudge() {
      if (wake) wake();
      else nudged = true;
    },
  };
}
