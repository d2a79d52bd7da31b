import type { Charset, SignType } from 'alipay-legacy';
import type { SandboxDeps } from '../deps.js';
import type { Merchant } from './types.js';

/** A quick-login token: 40 characters, valid 30 minutes; the login state behind it 10 minutes (decisions.md §16). */
export async function issueToken(deps: SandboxDeps, input: { partner: string; userId: string }): Promise<{ token: string; expiresAt: number }> {
  void deps; void input;
  throw new Error('not implemented');
}
export async function resolveToken(deps: SandboxDeps, partner: string, token: string): Promise<{ userId: string; loginLive: boolean } | undefined> {
  void deps; void partner; void token;
  throw new Error('not implemented');
}

export interface AuthReturnInput {
  merchant: Merchant;
  returnUrl: string;
  userId: string;
  charset: Charset;
  signType: SignType;
  targetUrl?: string;
}
/** alipay.auth.authorize return (GET): is_success, notify_id, user_id, token, real_name, email[, target_url] (decisions.md §16). */
export async function buildAuthReturnUrl(deps: SandboxDeps, input: AuthReturnInput): Promise<string> {
  void deps; void input;
  throw new Error('not implemented');
}

export interface AddressReturnInput {
  merchant: Merchant;
  returnUrl: string;
  userId: string;
  addressId: number;
  charset: Charset;
  signType: SignType;
}
/** user.logistics.address.query return: an auto-submitted POST form (decisions.md §17). */
export async function buildAddressReturnForm(deps: SandboxDeps, input: AddressReturnInput): Promise<{ action: string; fields: Record<string, string> }> {
  void deps; void input;
  throw new Error('not implemented');
}
