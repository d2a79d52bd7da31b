import type { Selectable } from 'kysely';
import type { FaultsTable } from '../../store/schema.js';
import type { NotificationRow, Tx } from '../../store/store-writer.js';
import type { Delivery } from '../attempt.js';

/** A merchant's fault as stored (`POST /sandbox/api/faults`): its kind, how many more times it acts, its seconds. */
export type FaultSetting = Selectable<FaultsTable>;

/**
 * A fault the sandbox can inject into one merchant's deliveries. Each lives in a file of its own
 * in this folder and is listed in index.ts; the dispatcher calls its hooks at claim time (inside
 * the claim's transaction, claim.ts) and at send time (attempt.ts). Every hook is optional.
 */
export interface Fault {
  /** Its name: the API's `kind`, the `faults.kind` column, the `fault` recorded with an attempt. */
  readonly kind: string;
  /**
   * Where it acts: on deliveries (the default), through the hooks below; or `'cashier'`: on the
   * buyer's browser after a payment at the cashier, which takes it with the payment and counts it
   * down (services/faults.ts `takeCashierFault`); the dispatcher passes such a fault by.
   */
  readonly actsIn?: 'cashier';
  /** The fault takes `seconds` (stored in `faults.delay_seconds`), this default when the API's request leaves it out. */
  readonly seconds?: { readonly default: number };
  /**
   * At claim: whether it acts on this notification's attempt now (default: on every attempt).
   * Only then does it count against the setting's `count`.
   */
  actsOn?(notification: NotificationRow): boolean;
  /**
   * At claim, when it acts: instead of sending now, hold the notification back; the hook writes,
   * in the claim's transaction, what becomes of it. It may decline after reading the store
   * (resolve `false`): the attempt then goes as if the fault had not acted, and does not count.
   * Without this hook the attempt is claimed and sent, recorded with this fault's name.
   */
  holdBack?(trx: Tx, notification: NotificationRow, setting: FaultSetting, now: number): Promise<void | boolean>;
  /** At claim, when no fault acts: whether the attempt still carries this fault's name (delay: the first attempt it postponed). */
  marks?(notification: NotificationRow): boolean;
  /**
   * At claim, for the attempts claimed, whatever fault is set now (as `marks`): what the fault
   * writes besides, in the claim's transaction (reorder: the notification it held back goes after
   * its trade's next one, claimed now).
   */
  claimed?(trx: Tx, claimed: readonly NotificationRow[], now: number): Promise<void>;
  /**
   * At send, for an attempt it acts on: how the attempt goes out, given the ordinary send (which may
   * be called any number of times, with the notification's body or another) and that body.
   */
  send?(send: (body?: string) => Promise<Delivery>, body: string): Promise<Delivery>;
}
