import { GatewayError } from 'alipay-legacy';
import { loadPublicKey } from 'alipay-legacy/protocol';
import { SERVED_SERVICES, isServedService } from '../service-catalogue.js';
import type { SandboxDeps } from '../deps.js';
import { ALIPAY_RSA_PRIVATE_KEY, ALIPAY_RSA_PUBLIC_KEY } from '../seed-keys.js';
import { flag, toMerchant } from '../store/rows.js';
import type { MerchantsTable } from '../store/schema.js';
import { SandboxError } from './errors.js';
import { cachedMerchant, forgetMerchant } from './merchant-cache.js';
import type { KeyPair, Merchant, MerchantSettingsPatch } from './types.js';

/** The merchant (cached for a second: merchant-cache.ts). */
export async function getMerchant(deps: SandboxDeps, partner: string): Promise<Merchant | undefined> {
  return cachedMerchant(deps, partner);
}

/**
 * The refusal for a partner id that names no merchant, wherever it is named (the gateway, the
 * pages, the API): ILLEGAL_PARTNER, "partner not found" (protocol.md §7.2).
 */
export function unknownPartner(partner: string): GatewayError {
  return new GatewayError('ILLEGAL_PARTNER', partner === '' ? 'no partner is given' : `no merchant has the partner id "${partner.replaceAll('\u0000', '%00')}"`, {
    param: 'partner',
  });
}

/** The merchant, or the unknownPartner refusal. */
export async function requireMerchant(deps: SandboxDeps, partner: string): Promise<Merchant> {
  // A NUL names nothing, and PostgreSQL cannot compare text holding one (routes/text-guards.ts).
  const merchant = partner === '' || partner.includes('\u0000') ? undefined : await getMerchant(deps, partner);
  if (!merchant) throw unknownPartner(partner);
  return merchant;
}

export async function listMerchants(deps: SandboxDeps): Promise<Merchant[]> {
  const rows = await deps.db.selectFrom('merchants').selectAll().orderBy('created_at').orderBy('partner').execute();
  return rows.map(toMerchant);
}

/** Switches a merchant's settings (anti-phishing, IP check, advanced instant pay, services…). */
export async function updateMerchantSettings(deps: SandboxDeps, partner: string, patch: MerchantSettingsPatch): Promise<Merchant> {
  checkSettings(patch);
  const set: Partial<MerchantsTable> = {};
  if (patch.displayName !== undefined) set.display_name = patch.displayName;
  if (patch.sellerEmail !== undefined) set.seller_email = patch.sellerEmail;
  if (patch.signTypes !== undefined) set.sign_types = JSON.stringify(patch.signTypes);
  if (patch.rsaPublicKey !== undefined) set.rsa_public_key = patch.rsaPublicKey;
  if (patch.services !== undefined) set.services = JSON.stringify(patch.services);
  if (patch.antiPhishing !== undefined) set.anti_phishing = flag(patch.antiPhishing);
  if (patch.ipCheck !== undefined) set.ip_check = flag(patch.ipCheck);
  if (patch.advancedInstant !== undefined) set.advanced_instant = flag(patch.advancedInstant);
  if (patch.selfTimeout !== undefined) set.self_timeout = flag(patch.selfTimeout);
  if (patch.refundWindowDays !== undefined) {
    if (!Number.isInteger(patch.refundWindowDays) || patch.refundWindowDays < 0) throw new SandboxError('BAD_INPUT', 'refundWindowDays must be a whole number of days');
    set.refund_window_days = patch.refundWindowDays;
  }
  await requireMerchant(deps, partner);
  if (Object.keys(set).length > 0) await deps.db.updateTable('merchants').set(set).where('partner', '=', partner).execute();
  forgetMerchant(deps, partner);
  return requireMerchant(deps, partner);
}

/**
 * Refuses, before anything is written, a contract for a service the sandbox does not serve (a
 * typo would otherwise leave the merchant without the service it meant) and an RSA public key the
 * gateway could not verify with.
 */
function checkSettings(patch: MerchantSettingsPatch): void {
  const unknown = (patch.services ?? []).filter((name) => !isServedService(name));
  if (unknown.length > 0) {
    throw new SandboxError('BAD_INPUT', `unknown service ${unknown.map((n) => JSON.stringify(n.slice(0, 60))).join(', ')}: use ${SERVED_SERVICES.join(', ')}`, { param: 'services' });
  }
  if (typeof patch.rsaPublicKey === 'string') {
    let type: string | undefined;
    try {
      type = loadPublicKey(patch.rsaPublicKey).asymmetricKeyType;
    } catch {
      type = undefined;
    }
    if (type !== 'rsa') {
      throw new SandboxError('BAD_INPUT', 'rsa_public_key is not an RSA public key: paste the PEM ("-----BEGIN PUBLIC KEY-----…"), or null to remove it', { param: 'rsa_public_key' });
    }
  }
}

/** The sandbox's own "Alipay" RSA key pair: signs RSA returns and notifications. */
export function getAlipayKeys(): KeyPair {
  return { privateKey: ALIPAY_RSA_PRIVATE_KEY, publicKey: ALIPAY_RSA_PUBLIC_KEY };
}
