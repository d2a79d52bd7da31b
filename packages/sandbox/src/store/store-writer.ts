import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Dialect } from '../deps.js';
import type { Trade } from '../services/types.js';
import type { Database, NotificationsTable, TradeEventsTable } from './schema.js';

/** A transaction (or the database) to run queries on. */
export type Tx = Kysely<Database>;

export type NotificationRow = Selectable<NotificationsTable>;

/**
 * The store's writes on the hot path, one implementation per dialect (sqlite-writer.ts,
 * postgres-writer.ts), chosen once by openDb and carried in the deps. What the writes mean is the
 * same on every dialect (test/store/store-writer.test.ts runs one suite over each); how many
 * statements they take is each dialect's business.
 */
export interface StoreWriter {
  /** A label for logs and benches; nothing branches on it. */
  readonly dialect: Dialect;
  /**
   * Runs `fn` in one transaction and resolves, after the commit, with its value and whether a
   * notification was written (after commit, nudge the dispatcher). `oneStatement`: the
   * caller promises that `fn` makes at most one write; a dialect whose statements are atomic by
   * themselves may then skip BEGIN and COMMIT.
   */
  transaction<T>(fn: (tx: WriteTx) => Promise<T>, options?: { oneStatement?: boolean }): Promise<Committed<T>>;
  /**
   * Claims due notifications for `options.workerId` in one transaction on the dispatcher's own
   * connections: due rows (pending/retrying with next_attempt_at <= now, or delivering with an
   * expired lock when `recover`), oldest first, at most one per ordering key and never a later
   * notification's first attempt before an earlier one's; `choose` then says, inside the same
   * transaction, which of them go out now and with which fault (dispatcher/faults). Each claimed
   * row is locked until `now + lockMs`, its attempt recorded and its notify_id armed for 60 s
   * (decisions.md §2) before the commit. Never claims a row another worker holds: a row taken
   * meanwhile leaves this call with nothing (the caller simply claims again).
   */
  claimDue(options: ClaimOptions, choose: ChooseToSend): Promise<ClaimedAttempt[]>;
  /**
   * Records attempts' outcomes and their notifications' next states in one transaction
   * (decisions.md §7–8). Each notification update is guarded by this worker's claim, so a worker
   * whose lock was taken over after a stall does not overwrite the new owner's state. `unblocked`:
   * another notification of the same ordering keys is due now (one waiting for its turn).
   */
  recordOutcomes(items: readonly RecordedOutcome[], options: { workerId: string; now: number }): Promise<{ unblocked: boolean }>;
}

/** The writes of one transaction. */
export interface WriteTx {
  /** Reads, and the writes off the hot path, in this transaction. */
  readonly db: Tx;
  /**
   * A trade's insert (no row written when the partner's out_trade_no is taken) or update (guarded
   * by the version it was read at: none written when it changed meanwhile), with its event and its
   * notification, the latter two written only when the trade was. Resolves with whether it was.
   */
  applyTradeChange(change: TradeChange): Promise<{ changed: boolean }>;
  /** Writes a notification into the outbox (decisions.md §8: it commits with its cause); resolves with its id. */
  enqueue(notification: NewNotification): Promise<{ id: number }>;
}

export interface Committed<T> {
  value: T;
  /** A notification was written: nudge the dispatcher. */
  notified: boolean;
}

export interface TradeChange {
  kind: 'insert' | 'update';
  /** The trade as it is to be stored (an update is guarded by `version - 1`). */
  trade: Trade;
  event: Insertable<TradeEventsTable>;
  notification?: NewNotification;
}

/** A notification ready to store (notifications/enqueue.ts builds it: signed, encoded, numbered). */
export interface NewNotification {
  values: Insertable<NotificationsTable>;
  notifyId: string;
  partner: string;
  now: number;
}

export interface ClaimOptions {
  workerId: string;
  now: number;
  /** How long the claim holds (virtual ms); a worker that dies leaves the row to be re-claimed after it. */
  lockMs: number;
  limit: number;
  /** Also take rows whose claim expired (a worker died mid-delivery). Default true; the dispatcher's loop asks about once a second. */
  recover?: boolean;
}

/** Which of the rows picked for a claim go out now, and with which fault; the others are left (or postponed by `choose`, in the claim's transaction). */
export type ChooseToSend = (trx: Tx, rows: NotificationRow[], now: number) => Promise<ToSend[]>;

export interface ToSend {
  row: NotificationRow;
  /** The fault injected into this attempt, recorded with it. */
  fault: string | null;
}

/** One attempt this worker now owns: recorded (attempt row, armed notify_id) before anything is sent. */
export interface ClaimedAttempt {
  notification: NotificationRow;
  attemptId: number;
  /** 1-based attempt number. */
  number: number;
  /** Virtual time of the claim: the attempt's start, from which the next gap is counted. */
  startedAt: number;
  /** The fault injected into this attempt, if any. */
  fault: string | null;
}

export interface AttemptOutcome {
  finishedAt: number;
  durationMs: number;
  httpStatus: number | null;
  responseBody: string | null;
  error: string | null;
  warning: string | null;
  acknowledged: boolean;
}

/** The state a notification takes after an attempt (dispatcher/schedule.ts decides it). */
export interface NextState {
  state: 'acknowledged' | 'retrying' | 'given_up';
  nextAttemptAt: number;
}

export interface RecordedOutcome {
  claim: ClaimedAttempt;
  outcome: AttemptOutcome;
  next: NextState;
}
