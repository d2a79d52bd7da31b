import type { SandboxDeps } from '../deps.js';

/** notify_verify (decisions.md §1–3): 'true' once per arming, 'false' otherwise, 'invalid' for missing parameters. */
export async function verifyNotifyId(deps: SandboxDeps, partner: string | undefined, notifyId: string | undefined): Promise<'true' | 'false' | 'invalid'> {
  void deps; void partner; void notifyId;
  throw new Error('not implemented');
}
