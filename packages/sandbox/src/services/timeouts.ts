import type { SandboxDeps } from '../deps.js';

/** Closes unpaid trades at it_b_pay, finishes escrow trades at the confirm deadline, ends refund windows; returns how many trades changed. */
export async function runTimeouts(deps: SandboxDeps): Promise<number> {
  void deps;
  throw new Error('not implemented');
}
export async function nextTimeoutAt(deps: SandboxDeps): Promise<number | undefined> {
  void deps;
  throw new Error('not implemented');
}
