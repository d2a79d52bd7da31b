import type { SandboxDeps } from '../deps.js';
import type { Fault } from './types.js';

export async function setFault(deps: SandboxDeps, partner: string, fault: Fault): Promise<void> {
  void deps; void partner; void fault;
  throw new Error('not implemented');
}
export async function getFault(deps: SandboxDeps, partner: string): Promise<Fault> {
  void deps; void partner;
  throw new Error('not implemented');
}
