import { GatewayError, normalizeCharset, parseSignType, type Charset, type ServiceName, type SignType } from 'alipay-legacy';
import { SERVICES, validateServiceRequest } from 'alipay-legacy/protocol';
import type { SandboxDeps } from '../deps.js';
import { noPermissionCodeOf } from '../service-catalogue.js';
import { requireMerchant } from './merchants.js';
import { buildAddressReturnForm, buildAuthReturnUrl, resolveToken } from './quick-login.js';
import { listAddresses } from './buyers.js';
import { issueReturnNotifyId, returnUrlWith, signReturn } from './returns.js';
import type { Merchant } from './types.js';

/**
 * The test API's shortcuts through the quick-login pages (decisions.md §30): what the browser would
 * be sent to once the buyer logged in (`alipay.auth.authorize`) or chose an address
 * (`user.logistics.address.query`), made by the same functions as the pages. The request the
 * merchant would have sent is checked as the gateway checks it, less the sign (there is none):
 * the merchant, the sign type it enabled, its contract for the service and the service's
 * parameters (the SDK's `validateServiceRequest`).
 */
interface HelperRequest {
  partner: string;
  returnUrl: string;
  charset?: string;
  signType?: string;
}

async function checkAsGateway(
  deps: SandboxDeps,
  service: ServiceName,
  input: HelperRequest,
  params: Record<string, string>,
): Promise<{ merchant: Merchant; charset: Charset; signType: SignType }> {
  const merchant = await requireMerchant(deps, input.partner);
  const charset = normalizeCharset(input.charset ?? 'utf-8');
  const signType = parseSignType(input.signType ?? 'MD5');
  if (!merchant.signTypes.includes(signType)) {
    throw new GatewayError('ILLEGAL_SIGN_TYPE', `sign_type ${signType} is not enabled for partner ${merchant.partner}`, { param: 'sign_type' });
  }
  if (!merchant.services.includes(service)) {
    throw new GatewayError(noPermissionCodeOf(service), `partner ${merchant.partner} has no contract for ${service}`, { param: 'service' });
  }
  validateServiceRequest({ ...fixedParams(service), ...params, service, partner: merchant.partner, _input_charset: charset, return_url: input.returnUrl });
  return { merchant, charset, signType };
}

/** The required parameters whose one allowed value the schema fixes (`target_service`), as the SDK sends them. */
function fixedParams(service: ServiceName): Record<string, string> {
  const fixed: Record<string, string> = {};
  for (const [name, spec] of Object.entries(SERVICES[service].params)) {
    if (spec.required && spec.format?.kind === 'enum' && spec.format.values.length === 1) fixed[name] = spec.format.values[0]!;
  }
  return fixed;
}

/** The signed `alipay.auth.authorize` return URL for `userId`, as the login window's form makes it. */
export async function authorizeReturnUrl(deps: SandboxDeps, input: HelperRequest & { userId: string; targetUrl?: string }): Promise<string> {
  const { merchant, charset, signType } = await checkAsGateway(deps, 'alipay.auth.authorize', input, {});
  return buildAuthReturnUrl(deps, {
    merchant,
    returnUrl: input.returnUrl,
    userId: input.userId,
    charset,
    signType,
    ...(input.targetUrl ? { targetUrl: input.targetUrl } : {}),
  });
}

/**
 * The signed form the address picker posts for a token, with the buyer's address `addressId`
 * (default the first saved). The page shows the picker only for a token with a live login state
 * (protocol.md §12.10, §12.11); without one it asks the buyer to log in, which an API cannot, so an
 * unknown, expired or logged-out token is refused here.
 */
export async function addressQueryForm(
  deps: SandboxDeps,
  input: HelperRequest & { token: string; addressId?: number },
): Promise<{ action: string; fields: Record<string, string>; charset: Charset }> {
  const { merchant, charset, signType } = await checkAsGateway(deps, 'user.logistics.address.query', input, { token: input.token });
  const resolved = await resolveToken(deps, merchant.partner, input.token);
  if (!resolved?.loginLive) {
    throw new GatewayError(
      'ILLEGAL_ARGUMENT',
      resolved
        ? 'the login state behind this token ended (10 minutes): the page would ask the buyer to log in again; get a new token'
        : `token is unknown, expired (30 minutes) or another partner's: the page would ask the buyer to log in; get a new token`,
      { param: 'token' },
    );
  }
  const addresses = await listAddresses(deps, resolved.userId);
  const address = input.addressId === undefined ? addresses[0] : addresses.find((a) => a.id === input.addressId);
  if (!address) {
    throw new GatewayError(
      'ILLEGAL_ARGUMENT',
      input.addressId === undefined ? 'the buyer has no saved address' : `the buyer has no address ${input.addressId} (GET /sandbox/api/buyers lists them)`,
      { param: 'address' },
    );
  }
  const form = await buildAddressReturnForm(deps, { merchant, returnUrl: input.returnUrl, userId: resolved.userId, addressId: address.id, charset, signType });
  return { ...form, charset };
}

/**
 * The etao entry (protocol.md §12.13, decisions.md §33): etao sends a buyer to the merchant's
 * quick-login return_url with `target_url`, the merchant's page the buyer chose on etao. A buyer
 * signed in at Alipay arrives as from a quick login (user_id, token, real_name… and target_url,
 * by the same builder as the login window); one who is not arrives with a signed `notify_id` and
 * `target_url` only, and the merchant sends them on without logging anyone in.
 */
export async function etaoEntryUrl(deps: SandboxDeps, input: HelperRequest & { targetUrl: string; userId?: string }): Promise<string> {
  if (!isWebUrl(input.targetUrl)) {
    throw new GatewayError('ILLEGAL_ARGUMENT', `target_url="${input.targetUrl.slice(0, 80)}" is not an absolute http(s) URL: name the merchant's page the buyer goes on to`, { param: 'target_url' });
  }
  const { merchant, charset, signType } = await checkAsGateway(deps, 'alipay.auth.authorize', input, {});
  if (input.userId) {
    return buildAuthReturnUrl(deps, { merchant, returnUrl: input.returnUrl, userId: input.userId, charset, signType, targetUrl: input.targetUrl });
  }
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const notifyId = await issueReturnNotifyId(trx, merchant.partner, 'login', now);
    const params = signReturn({ notify_id: notifyId, target_url: input.targetUrl }, { key: merchant.key, signType, charset });
    return returnUrlWith(input.returnUrl, params, charset);
  });
}

function isWebUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}
