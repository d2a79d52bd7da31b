import type { AttemptOutcome, ClaimedAttempt } from '../store/store-writer.js';

export interface OutcomeBatcher {
  /** Queues an attempt's outcome; resolves once it is committed, with whether that let another notification of its trade go. */
  record(claim: ClaimedAttempt, outcome: AttemptOutcome): Promise<boolean>;
}

export interface OutcomeBatcherOptions {
  /** Writes a batch of outcomes in one transaction. */
  write(batch: { claim: ClaimedAttempt; outcome: AttemptOutcome }[]): Promise<{ unblocked: boolean }>;
  /** Attempts in flight now, the queued ones included. */
  inFlight(): number;
  /** How long an outcome may wait for the others in flight (0: write at once). */
  windowMs: number;
}

/**
 * Write-behind recording of attempts' outcomes: attempts that end together are recorded in one
 * transaction. An outcome is written at once when nothing else is in flight, else after at most
 * `windowMs` (the others will likely have ended by then); outcomes that arrive while a batch is
 * being written go in the next one.
 */
export function createOutcomeBatcher(options: OutcomeBatcherOptions): OutcomeBatcher {
  type Pending = { claim: ClaimedAttempt; outcome: AttemptOutcome; resolve: (unblocked: boolean) => void; reject: (e: unknown) => void };
  let queue: Pending[] = [];
  let flushing = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  async function flush(): Promise<void> {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (flushing) return;
    flushing = true;
    try {
      while (queue.length > 0) {
        const batch = queue;
        queue = [];
        try {
          const { unblocked } = await options.write(batch);
          for (const p of batch) p.resolve(unblocked);
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      flushing = false;
    }
  }

  return {
    record(claim, outcome) {
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ claim, outcome, resolve, reject });
        if (flushing) return; // the running flush takes it next
        const othersInFlight = options.inFlight() > queue.length;
        if (othersInFlight && options.windowMs > 0) {
          timer ??= setTimeout(() => void flush(), options.windowMs);
        } else {
          void flush();
        }
      });
    },
  };
}
