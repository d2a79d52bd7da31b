import { normalizeCharset, type Charset } from './charset.js';
import { systemClock, type Clock } from './clock.js';
import { UsageError } from './errors.js';
import type { KeyInput } from './keys.js';
import type { SignType } from './sign.js';

/**
 * The real gateway (protocol.md §1.1), the default of `createClient`'s `gateway`.
 * @example const gateway = process.env.ALIPAY_GATEWAY ?? DEFAULT_GATEWAY;
 */
export const DEFAULT_GATEWAY = 'https://mapi.alipay.com/gateway.do';

/** A merchant's configuration, given once to `createClient`. */
export interface AlipayConfig {
  /** Partner id (合作者身份 ID): `2088` + 12 digits. */
  partner: string;
  /** The 32-character MD5 key (安全校验码). Needed for `signType: 'MD5'`. */
  key?: string;
  /** `MD5` (default) or `RSA`. */
  signType?: SignType;
  /** The merchant's RSA private key, for signing requests with `signType: 'RSA'`. */
  privateKey?: KeyInput;
  /** Alipay's RSA public key, for verifying what Alipay sends when `signType: 'RSA'`. */
  alipayPublicKey?: KeyInput;
  /** The seller account's email (seller_email); at least one of sellerEmail/sellerId. */
  sellerEmail?: string;
  /** The seller's user id (seller_id); for a contracted account, equal to `partner`. Defaults to `partner`. */
  sellerId?: string;
  /** `_input_charset` of every request, and the charset returns and notifications arrive in. Default `utf-8`. */
  charset?: Charset | string;
  /** The gateway URL. Default the real `https://mapi.alipay.com/gateway.do`; the sandbox's for tests. */
  gateway?: string;
  /**
   * Where `notify_verify` goes. Default: the gateway URL with `service=notify_verify`. Set to an
   * `…/trade/notify_query.do` URL for the legacy form (protocol.md §1.2).
   */
  notifyVerifyUrl?: string;
  /** Call `notify_verify` when verifying returns and notifications. Default true; switch off only in unit tests. */
  notifyVerify?: boolean;
  /** Fetch a `query_timestamp` key for every page request (anti-phishing switched on for the account). */
  antiPhishing?: boolean;
  /** Default `notify_url` for payment requests. */
  notifyUrl?: string;
  /** Default `return_url` for page requests. */
  returnUrl?: string;
  /** HTTP timeout for server calls and notify_verify, in ms. Default 15000. */
  timeoutMs?: number;
  /** The clock (for `refund_date`, batch numbers). Default the system clock. */
  clock?: Clock;
  /** The fetch to use. Default the global fetch. */
  fetch?: typeof fetch;
}

/** A configuration with its defaults filled in and checked. */
export interface ResolvedConfig {
  partner: string;
  key?: string;
  signType: SignType;
  privateKey?: KeyInput;
  alipayPublicKey?: KeyInput;
  sellerEmail?: string;
  sellerId: string;
  charset: Charset;
  gateway: string;
  notifyVerifyUrl: string;
  notifyVerify: boolean;
  antiPhishing: boolean;
  notifyUrl?: string;
  returnUrl?: string;
  timeoutMs: number;
  clock: Clock;
  fetch: typeof fetch;
}

/**
 * Fills in defaults and checks that the configuration can sign and verify.
 * @example resolveConfig({ partner: '2088101122136241', key: 'k'.repeat(32) })
 */
export function resolveConfig(config: AlipayConfig | ResolvedConfig): ResolvedConfig {
  if (!config.partner) throw new UsageError('bad_config', 'config.partner is required (2088 + 12 digits)');
  const signType = config.signType ?? 'MD5';
  if (signType === 'MD5' && !config.key) throw new UsageError('bad_config', 'config.key (the 32-character MD5 key) is required for MD5');
  if (signType === 'RSA' && !config.privateKey) throw new UsageError('bad_config', 'config.privateKey is required for RSA');
  const gateway = config.gateway ?? DEFAULT_GATEWAY;
  const resolved: ResolvedConfig = {
    partner: config.partner,
    signType,
    sellerId: config.sellerId ?? config.partner,
    charset: normalizeCharset(config.charset),
    gateway,
    notifyVerifyUrl: config.notifyVerifyUrl ?? gateway,
    notifyVerify: config.notifyVerify ?? true,
    antiPhishing: config.antiPhishing ?? false,
    timeoutMs: config.timeoutMs ?? 15_000,
    clock: config.clock ?? systemClock,
    fetch: config.fetch ?? ((...args) => fetch(...args)),
  };
  if (config.key !== undefined) resolved.key = config.key;
  if (config.privateKey !== undefined) resolved.privateKey = config.privateKey;
  if (config.alipayPublicKey !== undefined) resolved.alipayPublicKey = config.alipayPublicKey;
  if (config.sellerEmail !== undefined) resolved.sellerEmail = config.sellerEmail;
  if (config.notifyUrl !== undefined) resolved.notifyUrl = config.notifyUrl;
  if (config.returnUrl !== undefined) resolved.returnUrl = config.returnUrl;
  return resolved;
}
