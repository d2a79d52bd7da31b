import type { SandboxDeps } from '../deps.js';
import { newWorkerId } from '../ids.js';
import { readAck } from './ack.js';
import type { Charset } from 'alipay-legacy';
import { ClaimConflict, claimDue, type ClaimedAttempt } from './claim.js';
import { postNotification } from './post.js';
import { recordOutcomes, recordOutcomesPostgres, type AttemptOutcome } from './record.js';

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
 * Builds the dispatcher. `deps` is a function because the dispatcher is itself part of the deps
 * (createSandbox wires them together).
 *
 * Deliveries run as a pipeline: up to `concurrency` attempts in flight, each slot refilled as soon
 * as an attempt ends (a merchant that hangs holds one slot, not the whole queue). Outcomes are
 * written by a small write-behind batcher: attempts that end together are recorded in one
 * transaction, and each delivery resolves only once its outcome is committed.
 */
export function createDispatcher(deps: () => SandboxDeps, options: DispatcherOptions = {}): Dispatcher {
  const workerId = options.workerId ?? newWorkerId();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pollMs = options.pollMs ?? 250;
  const concurrency = options.concurrency ?? 64;
  const batchWindowMs = options.batchWindowMs ?? 4;
  // The claim outlives the HTTP timeout with a margin, so only a dead worker's rows expire.
  const lockMs = timeoutMs + 15_000;
  // Claiming costs a transaction whatever the number of rows: under load, wait for a few free
  // slots and claim them together.
  const claimBatch = Math.max(1, Math.floor(concurrency / 8));
  let slotsWereFull = false;
  const canClaim = () => {
    const ok = concurrency - inFlight >= claimBatch || inFlight === 0;
    if (!ok) slotsWereFull = true;
    return ok;
  };
  const onError = options.onError ?? ((e: unknown) => console.error('[sandbox dispatcher]', e));

  let running = false;
  let loop: Promise<void> | undefined;
  let inFlight = 0;
  /** Attempts ended so far: a claim that began before the latest end may have missed what it unblocked. */
  let ended = 0;
  const all = new Set<Promise<void>>();

  // Wake-ups: a nudge (new work committed) or an attempt's end (a slot, or a trade's next
  // notification, became free) wakes whoever waits.
  let waiters: (() => void)[] = [];
  let signalled = false;
  function signal(): void {
    signalled = true;
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve();
  }
  function waitForSignal(ms: number): Promise<void> {
    if (signalled) {
      signalled = false;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      waiters.push(done);
    }).then(() => {
      signalled = false;
    });
  }

  // ---- write-behind recording ----
  type Pending = { claim: ClaimedAttempt; outcome: AttemptOutcome; resolve: (unblocked: boolean) => void; reject: (e: unknown) => void };
  let queue: Pending[] = [];
  let flushing = false;
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  function record(claim: ClaimedAttempt, outcome: AttemptOutcome): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      queue.push({ claim, outcome, resolve, reject });
      if (flushing) return; // the running flush takes it next
      // Other attempts still in flight will likely end within the window: write them together.
      const othersInFlight = inFlight > queue.length;
      if (othersInFlight && batchWindowMs > 0) {
        flushTimer ??= setTimeout(() => void flush(), batchWindowMs);
      } else {
        void flush();
      }
    });
  }
  async function flush(): Promise<void> {
    if (flushTimer !== undefined) clearTimeout(flushTimer);
    flushTimer = undefined;
    if (flushing) return;
    flushing = true;
    try {
      while (queue.length > 0) {
        const batch = queue;
        queue = [];
        const d = deps();
        try {
          const recordOptions = { workerId, schedule: d.schedule, now: d.clock.now() };
          const { unblocked } =
            d.dialect === 'postgres'
              ? await recordOutcomesPostgres(d.outboxDb, batch, recordOptions)
              : await d.outboxDb.transaction().execute((trx) => recordOutcomes(trx, batch, recordOptions));
          for (const p of batch) p.resolve(unblocked);
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      flushing = false;
    }
  }

  async function attempt(claim: ClaimedAttempt): Promise<AttemptOutcome> {
    const d = deps();
    const n = claim.notification;
    if (claim.fault === 'drop') {
      return { finishedAt: d.clock.now(), durationMs: 0, httpStatus: null, responseBody: null, error: 'dropped by an injected fault: never sent', warning: null, acknowledged: false };
    }
    const charset = n.charset as Charset;
    const sent = await postNotification(n.url, n.body, { charset, timeoutMs, fetch: d.fetch });
    let ack = sent.status === null ? { acknowledged: false, warning: null, error: sent.error } : readAck(sent.status, sent.body ?? '');
    let warning = ack.warning;
    if (claim.fault === 'duplicate') {
      // The same request again at once, as a flaky network or a retrying proxy would.
      const again = await postNotification(n.url, n.body, { charset, timeoutMs, fetch: d.fetch });
      const ack2 = again.status === null ? { acknowledged: false, warning: null, error: again.error } : readAck(again.status, again.body ?? '');
      warning = [warning, `sent twice by an injected fault; the second answer was ${again.status ?? again.error}`].filter(Boolean).join('; ');
      if (!ack.acknowledged && ack2.acknowledged) ack = ack2;
    }
    return {
      finishedAt: d.clock.now(),
      durationMs: sent.durationMs,
      httpStatus: sent.status,
      responseBody: sent.body,
      error: ack.acknowledged ? null : ack.error,
      warning,
      acknowledged: ack.acknowledged,
    };
  }

  function start(claim: ClaimedAttempt): Promise<void> {
    inFlight++;
    const p = (async () => {
      let unblocked = true;
      try {
        unblocked = await record(claim, await attempt(claim));
      } finally {
        inFlight--;
        ended++;
        // Wake the loop only when it has something to do: a trade's next notification became
        // claimable, or claims were held back for want of a free slot.
        if (unblocked || slotsWereFull) {
          slotsWereFull = false;
          signal();
        }
      }
    })();
    all.add(p);
    void p.then(
      () => all.delete(p),
      () => all.delete(p),
    );
    return p;
  }

  async function claim(limit: number, recover: boolean): Promise<ClaimedAttempt[]> {
    const d = deps();
    try {
      return await d.outboxDb.transaction().execute((trx) => claimDue(trx, { dialect: d.dialect, workerId, now: d.clock.now(), lockMs, limit, recover }));
    } catch (error) {
      if (error instanceof ClaimConflict) return [];
      throw error;
    }
  }

  async function runDue(): Promise<number> {
    let total = 0;
    let first = true;
    const mine = new Set<Promise<void>>();
    let failure: unknown;
    for (;;) {
      const free = concurrency - inFlight;
      const endedBefore = ended;
      const tried = canClaim();
      // Expired claims (a worker died) are looked for on the first claim of each call.
      const claimed = tried ? await claim(free, first) : [];
      first = false;
      for (const c of claimed) {
        const p = start(c).catch((e: unknown) => {
          failure ??= e;
        });
        mine.add(p);
        void p.finally(() => mine.delete(p));
      }
      total += claimed.length;
      if (mine.size === 0) {
        // Done, unless an attempt ended while we were claiming (its trade's next notification),
        // or the background loop holds every slot for now.
        if (tried && ended === endedBefore) break;
        if (!tried) await waitForSignal(pollMs);
        continue;
      }
      // Wait for a slot, for an attempt whose end lets the trade's next notification go, or for new work.
      await Promise.race([...mine, waitForSignal(pollMs)]);
    }
    if (failure !== undefined) throw failure;
    return total;
  }

  async function nextDueAt(after: number): Promise<number | undefined> {
    const d = deps();
    const row = await d.outboxDb
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

  async function run(): Promise<void> {
    let lastTick = 0;
    let lastClaim = -Infinity;
    let lastRecover = -Infinity;
    while (running) {
      // At most one claim per window: what was committed meanwhile is claimed together.
      const wait = lastClaim + batchWindowMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (!running) break;
      try {
        if (options.onTick && Date.now() - lastTick >= 1000) {
          lastTick = Date.now();
          await options.onTick();
        }
        if (canClaim()) {
          lastClaim = performance.now();
          // Expired claims (a worker died) are rare: look for them about once a second.
          const recover = lastClaim - lastRecover >= 1000;
          if (recover) lastRecover = lastClaim;
          const batch = await claim(concurrency - inFlight, recover);
          for (const c of batch) start(c).catch((e: unknown) => running && onError(e));
        }
      } catch (error) {
        if (running) onError(error);
      }
      if (!running) break;
      // A claim takes everything claimable now (a trade's next notification waits for the end of
      // the attempt before it): sleep until a nudge, an attempt's end or the poll.
      await waitForSignal(pollMs);
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
      signal();
      await loop;
      loop = undefined;
      await Promise.allSettled([...all]);
    },
    nudge() {
      signal();
    },
  };
}
