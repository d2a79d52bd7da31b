import type { AttemptActivity, TradeActivity } from '../activity/activity.js';
import type { SandboxDeps } from '../deps.js';
import { activityCursor, readActivity } from './activity.js';
import { nextTimeoutAt } from './timeouts.js';

export interface ClockAdvance {
  from: number;
  to: number;
  /** What ran on the way, in order: trade changes (timeouts) and delivery attempts. */
  ran: Array<TradeActivity | AttemptActivity>;
  /** When something falls due next (a delivery or a timeout), if anything waits. */
  nextDueAt: number | undefined;
}

/**
 * Moves the sandbox's clock forward, running everything that falls due on the way (the clock's own
 * advance), and reports what ran: what the store recorded meanwhile.
 */
export async function advanceClock(deps: SandboxDeps, seconds: number): Promise<ClockAdvance> {
  const cursor = await activityCursor(deps);
  const from = deps.clock.now();
  const to = await deps.clock.advance(seconds);
  const ran: ClockAdvance['ran'] = [];
  // A few batches at most: on a busy sandbox, what others do meanwhile would never end.
  for (let i = 0; i < 20; i++) {
    const batch = await readActivity(deps, cursor);
    if (batch.length === 0) break;
    ran.push(...batch);
  }
  return { from, to, ran, nextDueAt: await nextDueAt(deps) };
}

/** When something falls due next after now: a delivery (or a retry) or a trade timeout. */
export async function nextDueAt(deps: SandboxDeps): Promise<number | undefined> {
  const now = deps.clock.now();
  const [timeout, delivery] = await Promise.all([nextTimeoutAt(deps, now), deps.dispatcher.nextDueAt(now)]);
  if (timeout === undefined) return delivery;
  return delivery === undefined ? timeout : Math.min(timeout, delivery);
}
