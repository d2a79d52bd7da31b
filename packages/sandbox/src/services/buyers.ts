import type { SandboxDeps } from '../deps.js';
import type { Address, Buyer } from './types.js';

export async function findBuyerByLogin(deps: SandboxDeps, login: string): Promise<Buyer | undefined> {
  void deps; void login;
  throw new Error('not implemented');
}
export async function getBuyer(deps: SandboxDeps, userId: string): Promise<Buyer | undefined> {
  void deps; void userId;
  throw new Error('not implemented');
}
/** Throws SandboxError WRONG_LOGIN when the login is unknown or the password wrong. */
export async function checkLoginPassword(deps: SandboxDeps, login: string, password: string): Promise<Buyer> {
  void deps; void login; void password;
  throw new Error('not implemented');
}
/** Throws SandboxError WRONG_PAY_PASSWORD. */
export async function checkPayPassword(deps: SandboxDeps, userId: string, password: string): Promise<void> {
  void deps; void userId; void password;
  throw new Error('not implemented');
}
export async function listAddresses(deps: SandboxDeps, userId: string): Promise<Address[]> {
  void deps; void userId;
  throw new Error('not implemented');
}
export async function listBuyers(deps: SandboxDeps): Promise<Buyer[]> {
  void deps;
  throw new Error('not implemented');
}
