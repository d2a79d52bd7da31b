import { GatewayError, parseSignType, type Charset, type ServiceName, type SignType } from 'alipay-legacy';
import { customTimeoutParams, validateServiceRequest, verifySign } from 'alipay-legacy/protocol';
import type { SandboxDeps } from '../deps.js';
import { consumeAntiPhishingKey, findBuyerByLogin, getBuyer, getMerchant, unknownPartner, type Merchant } from '../services/index.js';
import { sameClientIp } from './client-ip.js';
import { readGatewayParams, type RawGatewayRequest } from './read-params.js';
import {
  isServedService,
  isSignedService,
  isWordService,
  noPermissionCodeOf,
  sellerIdParam,
  takesAntiPhishing,
  type CheckedService,
} from '../service-catalogue.js';

/** A request that passed every check: what the services need to act on it. */
export interface CheckedRequest<S extends CheckedService = CheckedService> {
  merchant: Merchant;
  service: S;
  /** Every received parameter except `sign` and `sign_type`, decoded in `charset`. */
  params: Record<string, string>;
  charset: Charset;
  /** Absent for the unsigned helpers (`query_timestamp`). */
  signType?: SignType;
}

/**
 * Checks a `gateway.do` request as Alipay did, in the order it most plausibly did (cheap and
 * global first, then who is asking, then what they ask): charset, service, partner, sign type,
 * sign, the merchant's permission for the service, the service's parameters (the SDK's own
 * `validateServiceRequest`, so both sides of the wire share one rule set), the seller, custom
 * timeouts, the client IP and the anti-phishing key.
 *
 * Every failure throws `GatewayError` with the gateway's code. No check changes state, with one
 * exception: the anti-phishing key of an otherwise valid request is consumed (it is single-use,
 * decisions.md §18), which is why that check comes last.
 *
 * `notify_verify` is not checked here: its answers (`invalid` for missing parameters) are its own
 * (decisions.md §3).
 */
export async function checkGatewayRequest(deps: SandboxDeps, raw: RawGatewayRequest): Promise<CheckedRequest> {
  const { charset, params: received } = readGatewayParams(raw);

  const service = received.service ?? '';
  if (!isServedService(service) || isWordService(service)) {
    throw new GatewayError(
      'ILLEGAL_SERVICE',
      service === '' ? 'the request has no service parameter (or lost all of its parameters)' : `unknown service "${service}"`,
      { param: 'service' },
    );
  }

  const partner = received.partner ?? '';
  const merchant = partner === '' ? undefined : await getMerchant(deps, partner);
  if (!merchant) throw unknownPartner(partner);

  // Own properties whatever the names: assigning `__proto__` to a plain object would drop it, and
  // the sign would then be checked without a parameter that was sent.
  const params: Record<string, string> = Object.fromEntries(Object.entries(received).filter(([name]) => name !== 'sign' && name !== 'sign_type'));

  let signType: SignType | undefined;
  if (isSignedService(service)) {
    signType = parseSignType(received.sign_type);
    if (!merchant.signTypes.includes(signType)) {
      throw new GatewayError('ILLEGAL_SIGN_TYPE', `sign_type ${signType} is not enabled for partner ${partner}`, { param: 'sign_type' });
    }
    if (signType === 'RSA' && !merchant.rsaPublicKey) {
      throw new GatewayError('HAS_NO_PUBLICKEY', `partner ${partner} has not uploaded an RSA public key`, { param: 'sign_type' });
    }
    // protocol.md §8.3: the sign covers every received parameter except sign/sign_type, unknown
    // ones included, so a custom parameter breaks it as on the real gateway.
    const check = verifySign(params, received.sign, {
      signType,
      charset,
      key: merchant.key,
      ...(merchant.rsaPublicKey ? { publicKey: merchant.rsaPublicKey } : {}),
    });
    if (!check.valid) {
      throw new GatewayError(
        'ILLEGAL_SIGN',
        received.sign ? `the sign does not match the string to sign "${check.presign}" (charset ${charset})` : 'the request has no sign',
        { param: 'sign' },
      );
    }
  }

  if (!merchant.services.includes(service)) {
    throw new GatewayError(noPermissionCodeOf(service), `partner ${partner} has no contract for ${service}`, { param: 'service' });
  }

  // Lengths, formats, amounts, logistics groups, royalties, refund batches: the SDK's own rules.
  validateServiceRequest(params, { now: deps.clock.now() });

  await checkSeller(deps, merchant, service, params);

  // Custom timeouts (it_b_pay, t_s_send_1/2, t_b_rec_post) need the merchant's 自定义超时 switch
  // (protocol.md §4.2, §7.3).
  const timeouts = merchant.selfTimeout ? [] : customTimeoutParams(params);
  if (timeouts.length > 0) {
    throw new GatewayError('SELF_TIMEOUT_NOT_SUPPORT', `${timeouts.join(', ')} needs the custom timeout (自定义超时) switch of the merchant`, {
      param: timeouts[0]!,
    });
  }

  if (takesAntiPhishing(service)) {
    if (merchant.ipCheck) {
      const declared = params.exter_invoke_ip ?? '';
      if (declared === '' || raw.clientIp === undefined || !sameClientIp(declared, raw.clientIp)) {
        throw new GatewayError(
          'ILLEGAL_EXTER_INVOKE_IP',
          declared === ''
            ? 'exter_invoke_ip is required once the client IP check is on'
            : `exter_invoke_ip ${declared} is not the buyer's address ${raw.clientIp ?? '(unknown)'}`,
          { param: 'exter_invoke_ip' },
        );
      }
    }
    if (merchant.antiPhishing) {
      const key = params.anti_phishing_key ?? '';
      if (key === '') {
        throw new GatewayError('ILLEGAL_ANTI_PHISHING_KEY', 'anti_phishing_key is required once anti-phishing is on (get one from query_timestamp)', {
          param: 'anti_phishing_key',
        });
      }
      await consumeAntiPhishingKey(deps, merchant.partner, key);
    }
  }

  return { merchant, service, params, charset, ...(signType ? { signType } : {}) };
}

/**
 * The seller named in a request must be the contracted account (protocol.md §4.1: "direct pay only
 * pays the contracted account"). Each seller parameter present is checked: one that names no
 * account is `SELLER_NOT_EXIST`, one that names another existing account is
 * `SELLER_NOT_IN_SPECIFIED_SELLERS` (protocol.md §12.15). A buyer named equal to the seller is
 * `BUYER_SELLER_EQUAL`.
 */
async function checkSeller(deps: SandboxDeps, merchant: Merchant, service: ServiceName, params: Record<string, string>): Promise<void> {
  const idParam = sellerIdParam(service);
  const id = params[idParam] ?? '';
  if (id !== '' && id !== merchant.sellerId) {
    const exists = (await getBuyer(deps, id)) !== undefined || (await getMerchant(deps, id)) !== undefined;
    throw sellerError(exists, idParam, id);
  }
  for (const name of ['seller_email', 'seller_account_name']) {
    const login = params[name] ?? '';
    if (login === '' || login.toLowerCase() === merchant.sellerEmail.toLowerCase()) continue;
    const exists = (await findBuyerByLogin(deps, login)) !== undefined;
    throw sellerError(exists, name, login);
  }
  const buyerId = params.buyer_id ?? '';
  const buyerEmail = params.buyer_email ?? '';
  if ((buyerId !== '' && buyerId === merchant.sellerId) || (buyerEmail !== '' && buyerEmail.toLowerCase() === merchant.sellerEmail.toLowerCase())) {
    throw new GatewayError('BUYER_SELLER_EQUAL', 'the buyer named in the request is the seller', {
      param: buyerId !== '' ? 'buyer_id' : 'buyer_email',
    });
  }
}

function sellerError(exists: boolean, param: string, value: string): GatewayError {
  return exists
    ? new GatewayError('SELLER_NOT_IN_SPECIFIED_SELLERS', `${param} "${value}" is not the contracted seller account`, { param })
    : new GatewayError('SELLER_NOT_EXIST', `${param} "${value}" names no Alipay account`, { param });
}
