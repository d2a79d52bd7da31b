import type { SandboxDeps } from '../deps.js';
import type { KeyPair, Merchant, MerchantSettingsPatch } from './types.js';

export async function getMerchant(deps: SandboxDeps, partner: string): Promise<Merchant | undefined> {
  void deps; void partner;
  throw new Error('not implemented');
}

export async function listMerchants(deps: SandboxDeps): Promise<Merchant[]> {
  void deps;
  throw new Error('not implemented');
}

export async function updateMerchantSettings(deps: SandboxDeps, partner: string, patch: MerchantSettingsPatch): Promise<Merchant> {
  void deps; void partner; void patch;
  throw new Error('not implemented');
}

/** The sandbox's own "Alipay" RSA key pair: signs RSA returns and notifications. */
export function getAlipayKeys(): KeyPair {
  throw new Error('not implemented');
}
