import type { SandboxDeps } from '../deps.js';
import { newWorkerId } from '../ids.js';
import { makeAttempt } from './attempt.js';
import { claimDue, nextDueAt } from './claim.js';
import { createInFlight } from './in-flight.js';
import { runDue, startBackgroundLoop, type BackgroundLoop, type LoopParts } from './loop.js';
import { createOutcomeBatcher } from './outcome-batcher.js';
import { nextState } from './schedule.js';
import { createWakeUp } from './wake-up.js';

/** The transactional outbox worker (decisions.md §5–8). */
export interface Dispatcher {
  /** A process-unique id recorded on every claim and attempt. */
  readonly workerId: string;
  /**
   * Delivers everything due now: claims, sends and records until nothing more is claimable and
   * nothing it started is in flight (a trade's next notification becomes claimable once the
   * previous one's attempt is recorded). Resolves with the number of attempts made.
   */
  runDue(): Promise<number>;
  /** The earliest next_attempt_at (or lock expiry) after `after` among undelivered notifications. */
  nextDueAt(after: number): Promise<number | undefined>;
  /**
   * Waits for the attempts this process has in flight (the background loop's too, which runDue()
   * does not wait for); resolves `true` when there were none.
   */
  settle(): Promise<boolean>;
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
  /** Attempts in flight at once (default 64). */
  concurrency?: number;
  /**
   * The background loop claims at most once per this many ms, and an attempt that ends while
   * others are in flight waits up to this long for them before its outcome is written, so that
   * notifications committed close together share one claim transaction and one outcome
   * transaction (default 4; 0 claims and records at once). runDue() never waits for it.
   */
  batchWindowMs?: number;
  /** Run by the loop about once a second besides deliveries (timeouts, clock refresh). */
  onTick?: () => Promise<unknown>;
  /** Where loop errors go (default console.error). */
  onError?: (error: unknown) => void;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * Builds the dispatcher from its parts: the wake-up (wake-up.ts), the claim (claim.ts, with the
 * faults that act at claim time), the attempts in flight (in-flight.ts), one attempt
 * (attempt.ts, with the faults that act at send time), the write-behind outcome batcher
 * (outcome-batcher.ts) and the two ways of driving them (loop.ts). `deps` is a function because
 * the dispatcher is itself part of the deps (createSandbox wires them together).
 */
export function createDispatcher(deps: () => SandboxDeps, options: DispatcherOptions = {}): Dispatcher {
  const workerId = options.workerId ?? newWorkerId();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pollMs = options.pollMs ?? 250;
  const concurrency = options.concurrency ?? 64;
  const batchWindowMs = options.batchWindowMs ?? 4;
  // The claim outlives the HTTP timeout with a margin, so only a dead worker's rows expire.
  const lockMs = timeoutMs + 15_000;
  const onError = options.onError ?? ((e: unknown) => console.error('[sandbox dispatcher]', e));

  const wakeUp = createWakeUp();
  const outcomes = createOutcomeBatcher({
    windowMs: batchWindowMs,
    inFlight: () => inFlight.count,
    write(batch) {
      const d = deps();
      const items = batch.map(({ claim, outcome }) => ({ claim, outcome, next: nextState(claim, outcome, d.schedule) }));
      return d.writer.recordOutcomes(items, { workerId, now: d.clock.now() });
    },
  });
  const inFlight = createInFlight({
    concurrency,
    wakeUp,
    async deliver(claim) {
      const d = deps();
      const outcome = await makeAttempt(claim, { timeoutMs, fetch: d.fetch, now: () => d.clock.now() });
      return outcomes.record(claim, outcome);
    },
  });
  const parts: LoopParts = {
    inFlight,
    wakeUp,
    pollMs,
    claim(limit, recover) {
      const d = deps();
      return claimDue(d.writer, { workerId, now: d.clock.now(), lockMs, limit, recover });
    },
  };

  let loop: BackgroundLoop | undefined;
  return {
    workerId,
    runDue: () => runDue(parts),
    nextDueAt: (after) => nextDueAt(deps().db, after),
    async settle() {
      if (inFlight.count === 0) return true;
      await inFlight.settled();
      return false;
    },
    start() {
      loop ??= startBackgroundLoop({ ...parts, batchWindowMs, onTick: options.onTick, onError });
    },
    async stop() {
      const running = loop;
      loop = undefined;
      await running?.stop();
      await inFlight.settled();
    },
    nudge() {
      wakeUp.signal();
    },
  };
}
