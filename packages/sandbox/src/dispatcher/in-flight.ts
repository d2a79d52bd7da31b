import type { ClaimedAttempt } from '../store/store-writer.js';
import type { WakeUp } from './wake-up.js';

/**
 * The attempts in flight: up to `concurrency` at once, each slot refilled as soon as an attempt
 * ends (a merchant that hangs holds one slot, not the whole queue).
 */
export interface InFlight {
  /** Attempts started and not yet recorded. */
  readonly count: number;
  /** Attempts ended so far: a claim that began before the latest end may have missed what it unblocked. */
  readonly ended: number;
  /** Slots free now. */
  free(): number;
  /**
   * Whether a claim is worth its transaction now: a few slots free together, or none in use.
   * When not, the next attempt to end wakes the loop.
   */
  canClaim(): boolean;
  /** Starts a claimed attempt: sent, then recorded; resolves once recorded. */
  start(claim: ClaimedAttempt): Promise<void>;
  /** Resolves once every attempt started so far has settled. */
  settled(): Promise<void>;
}

export interface InFlightOptions {
  concurrency: number;
  /** Sends and records one attempt; resolves with whether its end let another notification of its trade go. */
  deliver(claim: ClaimedAttempt): Promise<boolean>;
  wakeUp: WakeUp;
}

export function createInFlight(options: InFlightOptions): InFlight {
  const { concurrency, wakeUp } = options;
  // Claiming costs a transaction whatever the number of rows: under load, wait for a few free
  // slots and claim them together.
  const claimBatch = Math.max(1, Math.floor(concurrency / 8));
  let count = 0;
  let ended = 0;
  let slotsWereFull = false;
  const all = new Set<Promise<void>>();

  return {
    get count() {
      return count;
    },
    get ended() {
      return ended;
    },
    free: () => concurrency - count,
    canClaim() {
      const ok = concurrency - count >= claimBatch || count === 0;
      if (!ok) slotsWereFull = true;
      return ok;
    },
    start(claim) {
      count++;
      const p = (async () => {
        let unblocked = true;
        try {
          unblocked = await options.deliver(claim);
        } finally {
          count--;
          ended++;
          // Wake the loop only when it has something to do: a trade's next notification became
          // claimable, or claims were held back for want of a free slot.
          if (unblocked || slotsWereFull) {
            slotsWereFull = false;
            wakeUp.signal();
          }
        }
      })();
      all.add(p);
      void p.then(
        () => all.delete(p),
        () => all.delete(p),
      );
      return p;
    },
    async settled() {
      await Promise.allSettled([...all]);
    },
  };
}
