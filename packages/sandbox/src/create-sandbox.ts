import type { SandboxDeps, Schedule } from './deps.js';

export interface CreateSandboxOptions {
  /** A file path, ':memory:' or a postgres:// URL. Default ':memory:'. */
  db?: string;
  partner?: string;
  key?: string;
  sellerEmail?: string;
  schedule?: Schedule;
  publicUrl?: string;
  fetch?: typeof fetch;
  /** Dispatcher options (tests shorten the HTTP timeout). */
  workerId?: string;
  deliveryTimeoutMs?: number;
  /** Skip seeding (the database was seeded before). Default false: seeding is idempotent anyway. */
  seed?: boolean;
}

/** Opens the store, runs migrations, seeds, builds the clock and the dispatcher (not started). */
export async function createSandbox(options: CreateSandboxOptions = {}): Promise<{ deps: SandboxDeps; close(): Promise<void> }> {
  void options;
  throw new Error('not implemented');
}
