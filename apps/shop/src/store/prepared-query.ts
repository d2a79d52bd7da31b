import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Dialect } from './open-store.js';

/** Where a value given at each run goes, in a query built once. */
class Slot {
  constructor(readonly name: string) {}
}

/** `arg('name')` stands for `args.name` of each run; typed as that value, so Kysely checks it against its column. */
export type Arg<Args> = <K extends keyof Args & string>(name: K) => Args[K];

/** Runs the query with these values on `db` (a Kysely instance or a transaction) of `dialect`. */
export type PreparedQuery<DB, Args, Row> = (db: Kysely<DB>, dialect: Dialect, args: Args) => Promise<QueryResult<Row>>;

/**
 * A query of fixed shape that Kysely builds and compiles once per dialect and then runs with new
 * values. Building and compiling a query costs more than SQLite takes to run the small statements
 * of a notification, so the statements every notification runs are prepared this way. The SQL is
 * still Kysely's, for either dialect; only the values change between runs (`undefined` is sent as
 * NULL). `build` may differ by dialect, never by the values.
 * @example
 * const markQueried = preparedQuery((db: Kysely<ShopDatabase>, arg: Arg<{ id: number; now: number }>) =>
 *   db.updateTable('orders').set({ last_queried_at: arg('now') }).where('id', '=', arg('id')),
 * );
 * await markQueried(trx, deps.dialect, { id: order.id, now: deps.clock.now() });
 */
export function preparedQuery<DB, Args extends object, Row>(
  build: (db: Kysely<DB>, arg: Arg<Args>, dialect: Dialect) => Compilable<Row>,
): PreparedQuery<DB, Args, Row> {
  const arg = ((name: string) => new Slot(name)) as unknown as Arg<Args>;
  const compiled = new Map<Dialect, { query: CompiledQuery<Row>; slots: Array<string | undefined> }>();
  return (db, dialect, args) => {
    let prepared = compiled.get(dialect);
    if (!prepared) {
      const query = build(db, arg, dialect).compile();
      prepared = { query, slots: query.parameters.map((p) => (p instanceof Slot ? p.name : undefined)) };
      compiled.set(dialect, prepared);
    }
    const { query, slots } = prepared;
    const values = args as Record<string, unknown>;
    const parameters = slots.map((name, i) => (name === undefined ? query.parameters[i] : (values[name] ?? null)));
    return db.executeQuery({ ...query, parameters });
  };
}
