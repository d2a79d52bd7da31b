import type { SandboxDeps } from '../deps.js';
import type { Trade } from './types.js';

/** The signed return URL for the trade's current state with a fresh notify_id (decisions.md §1); undefined without return_url. */
export async function buildReturnUrl(deps: SandboxDeps, trade: Trade): Promise<string | undefined> {
  void deps; void trade;
  throw new Error('not implemented');
}
