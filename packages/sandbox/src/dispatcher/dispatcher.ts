import type { SandboxDeps } from '../deps.js';

/** The transactional outbox worker (decisions.md §5–8). */
export interface Dispatcher {
  /** A process-unique id recorded on every claim and attempt. */
  readonly workerId: string;
  /** Delivers everything due now (one pass, until nothing more is claimable); resolves with the number of attempts made. */
  runDue(): Promise<number>;
  /** The earliest next_attempt_at (or expired lock) among undelivered notifications. */
  nextDueAt(): Promise<number | undefined>;
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
}

export function createDispatcher(deps: () => SandboxDeps, options: DispatcherOptions = {}): Dispatcher {
  void deps;
  void options;
  throw new Error('not implemented');
}
