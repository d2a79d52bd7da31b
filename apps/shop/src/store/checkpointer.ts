import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** A checkpoint runs this often; one with nothing to copy costs next to nothing. */
const EVERY_MS = 100;

/** The checkpointing thread of an SQLite store. */
export interface Checkpointer {
  /** Ends the thread after the checkpoint it may be running, and closes its connection. */
  stop(): Promise<void>;
}

/**
 * Copies committed pages from the write-ahead log into the database file on a thread of its own,
 * with a connection of its own. Under synchronous=NORMAL a checkpoint is where SQLite waits for the
 * disk (it syncs the log, copies, then syncs the database file); run by the connection that
 * commits, as SQLite does by default, that wait would hold up every request the shop is serving
 * for as long as the disk takes. A PASSIVE checkpoint never blocks the writer. The committing
 * connection still checkpoints by itself past a large log (`WAL_BACKSTOP_PAGES`), which bounds the
 * log when commits never pause long enough for this thread to catch up.
 */
export function startCheckpointer(file: string): Checkpointer {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.driver);
    const db = new Database(workerData.file);
    db.pragma('busy_timeout = 0');
    const timer = setInterval(() => {
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch (error) {
        // Busy: the committing connection is checkpointing by itself; try again next time.
        if (!String(error.code).startsWith('SQLITE_BUSY')) parentPort.postMessage({ error: error.message });
      }
    }, workerData.everyMs);
    parentPort.on('message', () => {
      clearInterval(timer);
      db.close();
      parentPort.close();
    });
  `;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(code, { eval: true, workerData: { file, driver, everyMs: EVERY_MS } });
  worker.on('message', (message: { error: string }) => console.error('[shop] the SQLite checkpoint failed:', message.error));
  worker.on('error', (error) => console.error('[shop] the SQLite checkpointer stopped:', error.message));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // It never keeps the process alive on its own.
  worker.unref();
  return {
    stop() {
      // Waited for, it must keep the process alive until it is done.
      worker.ref();
      worker.postMessage('stop');
      return exited;
    },
  };
}

/** Past this many pages in the log the committing connection checkpoints by itself. */
export const WAL_BACKSTOP_PAGES = 10_000;
