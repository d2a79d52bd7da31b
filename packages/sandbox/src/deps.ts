import type { Kysely } from 'kysely';
import type { VirtualClock } from './clock.js';
import type { Dispatcher } from './dispatcher/dispatcher.js';
import type { Database } from './store/schema.js';

/** `real`: the retry gaps of decisions.md §7; `fast`: the same gaps in seconds instead of minutes. */
export type Schedule = 'real' | 'fast';

export type Dialect = 'sqlite' | 'postgres';

/** What every service and route takes. */
export interface SandboxDeps {
  db: Kysely<Database>;
  /** What the dispatcher claims and records with: on PostgreSQL connections of its own, so API traffic cannot starve deliveries. */
  outboxDb: Kysely<Database>;
  dialect: Dialect;
  /** Real time plus a stored offset; `advance()` also runs everything then due. */
  clock: VirtualClock;
  /** The notification outbox worker. Services call `nudge()` after they commit. */
  dispatcher: Dispatcher;
  schedule: Schedule;
  /** Sends deliveries instead of Node's http client when set (tests inject a recording or fake one). */
  fetch?: typeof fetch | undefined;
  /** e.g. http://127.0.0.1:7000, for links in pages and returns. */
  publicUrl: string;
}
