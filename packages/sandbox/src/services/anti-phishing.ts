import type { SandboxDeps } from '../deps.js';

/** query_timestamp: a key valid 30 s and once (decisions.md §18). */
export async function issueAntiPhishingKey(deps: SandboxDeps, partner: string): Promise<{ key: string; expiresAt: number }> {
  void deps; void partner;
  throw new Error('not implemented');
}
/** Throws GatewayError ILLEGAL_ANTI_PHISHING_KEY (unknown, other partner, used) or ANTI_PHISHING_KEY_TIMEOUT. */
export async function consumeAntiPhishingKey(deps: SandboxDeps, partner: string, key: string | undefined): Promise<void> {
  void deps; void partner; void key;
  throw new Error('not implemented');
}
