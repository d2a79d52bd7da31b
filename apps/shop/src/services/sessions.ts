import { tokenExpiresAt, type AuthReturnMessage } from 'alipay-legacy';
import type { ShopDeps } from '../deps.js';
import type { Customer, Session } from './rows.js';

/** The session row of a cookie id, or undefined when nothing was kept for it yet. */
export async function findSession(deps: ShopDeps, sid: string): Promise<Session | undefined> {
  return deps.db.selectFrom('sessions').selectAll().where('id', '=', sid).executeTakeFirst();
}

/** Creates the session row if needed and sets the given fields. */
async function upsertSession(deps: ShopDeps, sid: string, fields: Partial<Pick<Session, 'user_id' | 'is_admin' | 'login_back'>>): Promise<void> {
  const existing = await findSession(deps, sid);
  if (existing) {
    await deps.db.updateTable('sessions').set(fields).where('id', '=', sid).execute();
    return;
  }
  await deps.db
    .insertInto('sessions')
    .values({ id: sid, user_id: null, is_admin: 0, login_back: null, created_at: deps.clock.now(), ...fields })
    .onConflict((oc) => oc.column('id').doUpdateSet(fields))
    .execute();
}

/** Remembers where quick login should bring the buyer back to (protocol.md §12.10, both flows). */
export async function rememberLoginBack(deps: ShopDeps, sid: string, back: string): Promise<void> {
  await upsertSession(deps, sid, { login_back: back });
}

/**
 * Logs the buyer in from a verified quick-login return: the customer is keyed by `user_id`, never
 * the email (protocol.md §12.10); the token is kept for the address query and payments; the buyer does
 * not become a shop member (no password, no extra step). Returns where to send the browser.
 */
export async function loginFromAlipay(deps: ShopDeps, sid: string, message: AuthReturnMessage): Promise<{ back: string | null }> {
  const now = deps.clock.now();
  const viaEtao = message.target_url ? 1 : 0;
  await deps.db.transaction().execute(async (trx) => {
    const fields = {
      real_name: message.real_name ?? null,
      email: message.email ?? null,
      token: message.token,
      token_expires_at: tokenExpiresAt(now),
      via_etao: viaEtao,
      updated_at: now,
    };
    await trx
      .insertInto('customers')
      .values({ user_id: message.user_id, alipay_address: null, created_at: now, ...fields })
      .onConflict((oc) => oc.column('user_id').doUpdateSet(fields))
      .execute();
  });
  const session = await findSession(deps, sid);
  await upsertSession(deps, sid, { user_id: message.user_id, login_back: null });
  return { back: session?.login_back ?? null };
}

/** Logs the buyer out (the cart stays with the browser). */
export async function logout(deps: ShopDeps, sid: string): Promise<void> {
  await deps.db.updateTable('sessions').set({ user_id: null }).where('id', '=', sid).execute();
}

/** Marks the session as the seller admin's. */
export async function setAdmin(deps: ShopDeps, sid: string, isAdmin: boolean): Promise<void> {
  await upsertSession(deps, sid, { is_admin: isAdmin ? 1 : 0 });
}

/** The customer of a user id. */
export async function findCustomer(deps: ShopDeps, userId: string): Promise<Customer | undefined> {
  return deps.db.selectFrom('customers').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** The customer's token while it is valid (the SDK's TOKEN_VALIDITY_MS), else undefined. */
export function liveToken(deps: Pick<ShopDeps, 'clock'>, customer: Customer | undefined | null): string | undefined {
  if (!customer?.token || customer.token_expires_at === null) return undefined;
  return customer.token_expires_at > deps.clock.now() ? customer.token : undefined;
}

/**
 * Moves a session to a new id (after a login, so an id planted before it is worth nothing): its
 * row, its cart and its orders follow, in one transaction.
 */
export async function rotateSession(deps: ShopDeps, oldSid: string, newSid: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('sessions').set({ id: newSid }).where('id', '=', oldSid).execute();
    await trx.updateTable('cart_items').set({ session_id: newSid }).where('session_id', '=', oldSid).execute();
    await trx.updateTable('orders').set({ session_id: newSid }).where('session_id', '=', oldSid).execute();
  });
}
