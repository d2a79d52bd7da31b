import type { Charset, SignType } from 'alipay-legacy';
import { newQuickLoginToken, renderReceiveAddress } from 'alipay-legacy/protocol';
import type { SandboxDeps } from '../deps.js';
import { toAddress, toBuyer } from '../store/rows.js';
import { SandboxError } from './errors.js';
import { requireMerchant } from './merchants.js';
import { issueReturnNotifyId, returnUrlWith, signReturn } from './returns.js';
import type { Tx } from './trade-store.js';
import type { Address, Merchant } from './types.js';

/** decisions.md §16 (protocol.md §12.11): the token lives 30 minutes, the login state behind it 10. */
export const TOKEN_TTL_MS = 30 * 60_000;
export const LOGIN_STATE_TTL_MS = 10 * 60_000;

async function insertToken(trx: Tx, partner: string, userId: string, now: number): Promise<{ token: string; expiresAt: number }> {
  const token = newQuickLoginToken(now);
  const expiresAt = now + TOKEN_TTL_MS;
  await trx.insertInto('tokens').values({ token, partner, user_id: userId, expires_at: expiresAt, login_until: now + LOGIN_STATE_TTL_MS, created_at: now }).execute();
  return { token, expiresAt };
}

/** A quick-login token: 40 characters, valid 30 minutes; the login state behind it 10 minutes (decisions.md §16). */
export async function issueToken(deps: SandboxDeps, input: { partner: string; userId: string }): Promise<{ token: string; expiresAt: number }> {
  await requireMerchant(deps, input.partner);
  return insertToken(deps.db, input.partner, input.userId, deps.clock.now());
}

/**
 * A payment request's token: the buyer when the token is this partner's and unexpired, with
 * whether the login state is still live (then the cashier skips the login step); undefined for an
 * unknown or expired token (the cashier asks for the password).
 */
export async function resolveToken(deps: SandboxDeps, partner: string, token: string): Promise<{ userId: string; loginLive: boolean } | undefined> {
  if (!token) return undefined;
  const row = await deps.db.selectFrom('tokens').selectAll().where('token', '=', token).where('partner', '=', partner).executeTakeFirst();
  const now = deps.clock.now();
  if (!row || now > row.expires_at) return undefined;
  return { userId: row.user_id, loginLive: now <= row.login_until };
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
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('buyers').selectAll().where('user_id', '=', input.userId).executeTakeFirst();
    if (!row) throw new SandboxError('NOT_FOUND', `no buyer ${input.userId}`);
    const buyer = toBuyer(row);
    const { token } = await insertToken(trx, input.merchant.partner, buyer.userId, now);
    const notifyId = await issueReturnNotifyId(trx, input.merchant.partner, 'login', now);
    const params = signReturn(
      { is_success: 'T', notify_id: notifyId, user_id: buyer.userId, token, real_name: buyer.realName, email: buyer.email, target_url: input.targetUrl },
      { key: input.merchant.key, signType: input.signType, charset: input.charset },
    );
    return returnUrlWith(input.returnUrl, params, input.charset);
  });
}

export interface AddressReturnInput {
  merchant: Merchant;
  returnUrl: string;
  userId: string;
  addressId: number;
  charset: Charset;
  signType: SignType;
}

/** The receive_address XML of decisions.md §17 (the SDK writes it) for a saved address. */
export function receiveAddressXml(a: Address): string {
  return renderReceiveAddress({
    address: a.address,
    fullname: a.fullname,
    prov: a.prov,
    city: a.city,
    area: a.area,
    address_code: a.addressCode,
    mobile_phone: a.mobilePhone,
    phone: a.phone,
    post: a.post,
  });
}

/** user.logistics.address.query return: an auto-submitted POST form to return_url (decisions.md §17). */
export async function buildAddressReturnForm(deps: SandboxDeps, input: AddressReturnInput): Promise<{ action: string; fields: Record<string, string> }> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('addresses').selectAll().where('id', '=', input.addressId).where('user_id', '=', input.userId).executeTakeFirst();
    if (!row) throw new SandboxError('NOT_FOUND', `buyer ${input.userId} has no address ${input.addressId}`);
    const notifyId = await issueReturnNotifyId(trx, input.merchant.partner, 'address', now);
    const fields = signReturn(
      { is_success: 'T', notify_id: notifyId, user_id: input.userId, receive_address: receiveAddressXml(toAddress(row)) },
      { key: input.merchant.key, signType: input.signType, charset: input.charset },
    );
    return { action: input.returnUrl, fields };
  });
}
