import type { Charset, SignType } from 'alipay-legacy';
import { encodeForm, newReturnNotifyId, signMessage } from 'alipay-legacy/protocol';
import type { SandboxDeps } from '../deps.js';
import { ALIPAY_RSA_PRIVATE_KEY } from '../seed-keys.js';
import { tradeReturnParams } from '../notifications/trade-params.js';
import type { Tx } from './trade-store.js';
import { loadMerchant } from './trade-store.js';
import type { Merchant, Trade } from './types.js';

/** decisions.md §1: a return's notify_id answers `true` once within 60 s of the redirect. */
export const RETURN_NOTIFY_ID_TTL_MS = 60_000;

/** Issues a fresh return notify_id (kind 'return', 'login' or 'address'), armed for 60 s. */
export async function issueReturnNotifyId(trx: Tx, partner: string, kind: 'return' | 'login' | 'address', now: number): Promise<string> {
  const notifyId = newReturnNotifyId();
  await trx
    .insertInto('notify_ids')
    .values({ notify_id: notifyId, partner, kind, notification_id: null, armed_until: now + RETURN_NOTIFY_ID_TTL_MS, used: 0, acknowledged: 0, created_at: now })
    .execute();
  return notifyId;
}

/** `return_url?` + the signed parameters, encoded in the charset (decisions.md §22: no empty values). */
export function returnUrlWith(returnUrl: string, params: Record<string, string>, charset: Charset): string {
  return returnUrl + (returnUrl.includes('?') ? '&' : '?') + encodeForm(params, charset);
}

/**
 * Signs what the sandbox sends back through the browser with the SDK's `signMessage`: MD5 with the
 * merchant's key, RSA with the sandbox's "Alipay" private key (protocol.md §2.3).
 */
export function signReturn(params: Record<string, string | undefined>, options: { key: string; signType: SignType; charset: Charset }): Record<string, string> {
  return signMessage(params, { ...options, privateKey: ALIPAY_RSA_PRIVATE_KEY });
}

/** The signed return URL for the trade's current state with a fresh notify_id (decisions.md §1); undefined without return_url. */
export async function buildReturnUrl(deps: SandboxDeps, trade: Trade): Promise<string | undefined> {
  if (!trade.returnUrl) return undefined;
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => returnUrlIn(trx, await loadMerchant(deps, trx, trade.partner), trade, now));
}

/** buildReturnUrl inside the caller's transaction (payTrade issues the return with the payment). */
export async function returnUrlIn(trx: Tx, merchant: Merchant, trade: Trade, now: number): Promise<string | undefined> {
  const returnUrl = trade.returnUrl;
  if (!returnUrl) return undefined;
  const notifyId = await issueReturnNotifyId(trx, trade.partner, 'return', now);
  const params = signReturn(tradeReturnParams(trade, { notifyId, notifyTime: now }), { key: merchant.key, signType: trade.signType, charset: trade.charset });
  return returnUrlWith(returnUrl, params, trade.charset);
}
