/**
 * A cursor over a table's ids that misses nothing: rows are read by `id > after`, but on
 * PostgreSQL a transaction can commit a lower id after a higher one was seen, and an attempt row
 * is written when it starts and finished later. So the ids skipped over (gaps) and the rows seen
 * unfinished are watched and read again until they show up finished, or for `keepMs` at most (a
 * rolled-back insert leaves a gap for good; a worker that died leaves an attempt unfinished).
 */
export interface IdWindow {
  /** Every id at or below this was either reported or is watched. */
  after: number;
  /** Ids to read again → when they were first watched (real ms). */
  watch: Map<number, number>;
}

/** How long an id is watched, and how many ids at most. */
export const WATCH_MS = 60_000;
const WATCH_MAX = 1000;

export function openWindow(after: number): IdWindow {
  return { after, watch: new Map() };
}

/** The ids to read again (besides everything above `after`). */
export function watchedIds(window: IdWindow): number[] {
  return [...window.watch.keys()];
}

/**
 * Moves the window over rows just read (`id > after` or watched, in id order) and returns the
 * finished rows to report, each once.
 */
export function advanceWindow<T extends { id: number }>(window: IdWindow, rows: T[], finished: (row: T) => boolean, realNow: number): T[] {
  const report: T[] = [];
  let max = window.after;
  const read = new Set<number>();
  for (const row of rows) {
    read.add(row.id);
    if (row.id > max) max = row.id;
    if (finished(row)) {
      report.push(row);
      window.watch.delete(row.id);
    } else if (!window.watch.has(row.id)) {
      window.watch.set(row.id, realNow);
    }
  }
  for (let id = Math.max(window.after + 1, max - WATCH_MAX); id < max; id++) {
    if (!read.has(id)) window.watch.set(id, realNow);
  }
  window.after = max;
  for (const [id, since] of window.watch) {
    if (realNow - since > WATCH_MS || window.watch.size > WATCH_MAX) window.watch.delete(id);
  }
  return report;
}
