import { randomBytes } from 'node:crypto';
import type { SandboxDeps } from '../deps.js';
import { activityCursor, readActivity, type ActivityCursor } from '../services/activity.js';
import type { Activity, RequestActivity } from './activity.js';

export type ActivityListener = (activity: Activity, seq: number) => void;

/**
 * The sandbox's activity as it happens, for the terminal, `listen` and the live dashboard: the
 * gateway requests this process answers (published by the app), and the trade changes and
 * delivery attempts the store records (read every `pollMs` while anyone listens, so the
 * dispatcher needs no hook and other processes on the same PostgreSQL show too).
 */
export interface ActivityFeed {
  /** Random per feed: sequence numbers of another feed (a sandbox restarted) mean nothing here. */
  readonly id: string;
  /**
   * Calls `listener` with every item from now on, each with a sequence number (increasing, per
   * feed). Resolves once the feed knows where "now" is in the store, so nothing that happens
   * after is missed; the function it resolves with stops the calls.
   */
  subscribe(listener: ActivityListener): Promise<() => void>;
  /** Whether anyone listens (reporting costs nothing otherwise). */
  listening(): boolean;
  /** Reports an item seen in process (a gateway request), and looks at the store soon after. */
  publish(activity: RequestActivity): void;
  /** Items still held (the last few hundred) with a sequence number above `seq`, for a stream that reconnects. */
  since(seq: number): Array<{ seq: number; activity: Activity }>;
  /** Reads the store once more now (after the dispatcher stopped: the last attempts). */
  flush(): Promise<void>;
  /** Stops reading the store; listeners get nothing more. */
  close(): void;
}

export interface ActivityFeedOptions {
  /** How often the store is read while anyone listens (default 200 ms). */
  pollMs?: number;
  /** Where a failed read is reported (default console.error, once per kind of failure). */
  onError?: (error: unknown) => void;
}

const HELD = 500;

export function createActivityFeed(deps: SandboxDeps, options: ActivityFeedOptions = {}): ActivityFeed {
  const pollMs = options.pollMs ?? 200;
  const reported = new Set<string>();
  const onError =
    options.onError ??
    ((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (reported.has(message)) return;
      reported.add(message);
      console.error('[sandbox activity]', error);
    });
  const listeners = new Set<ActivityListener>();
  const held: Array<{ seq: number; activity: Activity }> = [];
  let seq = 0;
  let cursor: ActivityCursor | undefined;
  let starting: Promise<void> | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let reading: Promise<void> | undefined;
  let readAgain = false;
  let closed = false;

  function emit(activity: Activity): void {
    seq++;
    held.push({ seq, activity });
    if (held.length > HELD) held.splice(0, held.length - HELD);
    for (const listener of listeners) {
      try {
        listener(activity, seq);
      } catch (error) {
        onError(error);
      }
    }
  }

  function schedule(delayMs: number): void {
    if (closed || listeners.size === 0 || cursor === undefined) return;
    if (reading) {
      if (delayMs === 0) readAgain = true;
      return;
    }
    if (timer !== undefined) {
      if (delayMs > 0) return;
      clearTimeout(timer);
    }
    timer = setTimeout(() => {
      timer = undefined;
      void read();
    }, delayMs);
    timer.unref?.();
  }

  async function read(): Promise<void> {
    const from = cursor;
    if (!from) return;
    reading = (async () => {
      try {
        for (const activity of await readActivity(deps, from)) if (cursor === from) emit(activity);
      } catch (error) {
        if (!closed) onError(error);
      }
    })();
    await reading;
    reading = undefined;
    const again = readAgain;
    readAgain = false;
    schedule(again ? 0 : pollMs);
  }

  return {
    id: randomBytes(6).toString('hex'),
    async subscribe(listener) {
      if (closed) throw new Error('the activity feed is closed');
      if (cursor === undefined) {
        starting ??= activityCursor(deps).then((c) => {
          cursor = c;
          starting = undefined;
        });
        await starting;
      }
      listeners.add(listener);
      schedule(pollMs);
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        // Nobody listens: stop reading; the next listener starts from its own "now".
        if (timer !== undefined) clearTimeout(timer);
        timer = undefined;
        cursor = undefined;
      };
    },
    listening() {
      return listeners.size > 0;
    },
    publish(activity) {
      if (closed || listeners.size === 0) return;
      emit(activity);
      schedule(0);
    },
    async flush() {
      while (reading) await reading;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      await read();
    },
    since(after) {
      return held.filter((h) => h.seq > after);
    },
    close() {
      closed = true;
      listeners.clear();
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      cursor = undefined;
    },
  };
}
