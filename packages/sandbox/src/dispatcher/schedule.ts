import type { Schedule } from '../deps.js';
import type { AttemptOutcome, ClaimedAttempt, NextState } from '../store/store-writer.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * decisions.md §7: the first attempt at once, then after 2m, 10m, 10m, 1h, 2h, 6h, 15h: 8
 * attempts within 24 h 22 min, then given up.
 */
export const RETRY_GAPS_MS: readonly number[] = [2 * MINUTE, 10 * MINUTE, 10 * MINUTE, HOUR, 2 * HOUR, 6 * HOUR, 15 * HOUR];

/** Attempts before a notification is given up. */
export const MAX_ATTEMPTS = RETRY_GAPS_MS.length + 1;

/**
 * The wait after failed attempt number `attempt` (1-based), or undefined when it was the last.
 * `fast` compresses the schedule 60×: minutes become seconds (2 s, 10 s, 10 s, 1 min, 2 min, 6 min, 15 min).
 */
export function retryDelayMs(attempt: number, schedule: Schedule): number | undefined {
  const gap = RETRY_GAPS_MS[attempt - 1];
  if (gap === undefined) return undefined;
  return schedule === 'fast' ? gap / 60 : gap;
}

/** The state a notification takes after an attempt (decisions.md §7): acknowledged, retrying at the attempt's start + the next gap, or given up after the last. */
export function nextState(claim: ClaimedAttempt, outcome: AttemptOutcome, schedule: Schedule): NextState {
  if (outcome.acknowledged) return { state: 'acknowledged', nextAttemptAt: claim.notification.next_attempt_at };
  const delay = retryDelayMs(claim.number, schedule);
  if (delay === undefined) return { state: 'given_up', nextAttemptAt: claim.notification.next_attempt_at };
  return { state: 'retrying', nextAttemptAt: claim.startedAt + delay };
}
