import type { Kysely } from 'kysely';
import type { VirtualClock } from './clock.js';
import type { Dispatcher } from './dispatcher/dispatcher.js';
import type { Database } from './store/schema.js';
import type { StoreWriter } from './store/store-writer.js';

/** `real`: the retry gaps of decisions.md §7; `fast`: the same gaps in seconds instead of minutes. */
export type Schedule = 'real' | 'fast';

export type Dialect = 'sqlite' | 'postgres';

/** What every service and route takes. */
export interface SandboxDeps {
  db: Kysely<Database>;
  /**
   * The hot-path writes (trade changes, the outbox's claims and outcomes), one implementation per
   * dialect chosen by openDb; on PostgreSQL the outbox's have connections of their own, so API
   * traffic cannot starve deliveries.
   */
  writer: StoreWriter;
  /** Real time plus a stored offset; `advance()` also runs everything then due. */
  clock: VirtualClock;
  /** The notification outbox worker, nudged after a commit that wrote a notification. */
  dispatcher: Dispatcher;
  schedule: Schedule;
  /** Sends deliveries instead of Node's http client when set (tests inject a recording or fake one). */
  fetch?: typeof fetch | undefined;
  /** e.g. http://127.0.0.1:7000, for links in pages and returns. */
  publicUrl: string;
}
