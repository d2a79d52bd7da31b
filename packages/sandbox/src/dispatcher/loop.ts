import type { Claim } from './claim.js';
import type { InFlight } from './in-flight.js';
import type { WakeUp } from './wake-up.js';

/** What the two ways of driving deliveries share. */
export interface LoopParts {
  inFlight: InFlight;
  wakeUp: WakeUp;
  /** Claims up to `limit` due attempts; `recover`: also those whose worker died (their lock expired). */
  claim(limit: number, recover: boolean): Promise<Claim>;
  /** The longest wait between looks at the store. */
  pollMs: number;
}

/**
 * One pass: claims, sends and records until nothing more is claimable and nothing it started is
 * in flight (a trade's next notification becomes claimable once the previous one's attempt is
 * recorded). Resolves with the number of attempts made; rejects with the first attempt's failure
 * to record, once the others have ended.
 */
export async function runDue(parts: LoopParts): Promise<number> {
  const { inFlight, wakeUp, pollMs } = parts;
  let total = 0;
  let first = true;
  const mine = new Set<Promise<void>>();
  let failure: unknown;
  for (;;) {
    const free = inFlight.free();
    const endedBefore = inFlight.ended;
    const tried = inFlight.canClaim();
    // Expired claims (a worker died) are looked for on the first claim of each call.
    const { attempts: claimed, heldBack } = tried ? await parts.claim(free, first) : { attempts: [], heldBack: false };
    first = false;
    for (const c of claimed) {
      const p = inFlight.start(c).catch((e: unknown) => {
        failure ??= e;
      });
      mine.add(p);
      void p.finally(() => mine.delete(p));
    }
    total += claimed.length;
    if (mine.size === 0) {
      // Done, unless an attempt ended while we were claiming (its trade's next notification), a
      // fault held a notification back (what it let pass), or the background loop holds every slot for now.
      if (tried && !heldBack && inFlight.ended === endedBefore) break;
      if (!tried) await wakeUp.wait(pollMs);
      continue;
    }
    // Wait for a slot, for an attempt whose end lets the trade's next notification go, or for new work.
    await Promise.race([...mine, wakeUp.wait(pollMs)]);
  }
  if (failure !== undefined) throw failure;
  return total;
}

export interface BackgroundLoop {
  /** Stops claiming; resolves once the loop has returned (attempts in flight are the caller's to wait for). */
  stop(): Promise<void>;
}

export interface BackgroundLoopOptions extends LoopParts {
  /** At most one claim per this many ms: what was committed meanwhile is claimed together. */
  batchWindowMs: number;
  /** Run about once a second besides deliveries (timeouts, clock refresh). */
  onTick?: (() => Promise<unknown>) | undefined;
  onError: (error: unknown) => void;
}

/** The background loop: claims whenever woken (a nudge, an attempt's end) or every `pollMs`. */
export function startBackgroundLoop(options: BackgroundLoopOptions): BackgroundLoop {
  const { inFlight, wakeUp, batchWindowMs, onTick, onError } = options;
  let running = true;

  async function run(): Promise<void> {
    let lastTick = 0;
    let lastClaim = -Infinity;
    let lastRecover = -Infinity;
    while (running) {
      const wait = lastClaim + batchWindowMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (!running) break;
      try {
        if (onTick && Date.now() - lastTick >= 1000) {
          lastTick = Date.now();
          await onTick();
        }
        if (inFlight.canClaim()) {
          lastClaim = performance.now();
          // Expired claims (a worker died) are rare: look for them about once a second.
          const recover = lastClaim - lastRecover >= 1000;
          if (recover) lastRecover = lastClaim;
          const batch = await options.claim(inFlight.free(), recover);
          for (const c of batch.attempts) inFlight.start(c).catch((e: unknown) => running && onError(e));
          // A notification held back may have let its trade's next one pass: claim again at once.
          if (batch.heldBack) wakeUp.signal();
        }
      } catch (error) {
        if (running) onError(error);
      }
      if (!running) break;
      // A claim takes everything claimable now (a trade's next notification waits for the end of
      // the attempt before it): sleep until a nudge, an attempt's end or the poll.
      await wakeUp.wait(options.pollMs);
    }
  }

  const done = run();
  return {
    async stop() {
      running = false;
      wakeUp.signal();
      await done;
    },
  };
}
