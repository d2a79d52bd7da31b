import type { Kysely } from 'kysely';
import type { Clock } from 'alipay-legacy';
import type { Database } from './store/schema.js';

/**
 * The sandbox's clock: real time plus an offset stored in the `clock` table, so it keeps moving for
 * people clicking in a browser while tests can jump ahead (DESIGN.md, STYLE.md §6).
 */
export interface VirtualClock extends Clock {
  /** Real time + offset, in ms. */
  now(): number;
  /** The current offset from real time, in ms. */
  offsetMs(): number;
  /**
   * Moves the clock forward and runs everything that falls due on the way (deliveries, timeouts),
   * step by step, before resolving with the new now.
   */
  advance(seconds: number): Promise<number>;
  /** Re-reads the stored offset (another process may have advanced it). */
  refresh(): Promise<void>;
}

/** What the clock runs while advancing: provided by createSandbox once the dispatcher exists. */
export interface DueRunner {
  /** Runs everything due at the clock's current time (timeouts, then deliveries). */
  runDue(): Promise<number>;
  /** The earliest time something will be due, or undefined when nothing is scheduled. */
  nextDueAt(): Promise<number | undefined>;
}

export async function openVirtualClock(db: Kysely<Database>, options: { realNow?: () => number } = {}): Promise<VirtualClock & { setRunner(runner: DueRunner): void }> {
  void db;
  void options;
  throw new Error('not implemented');
}
