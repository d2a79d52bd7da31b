import type { GatewayErrorCode } from 'alipay-legacy';

/**
 * The services the sandbox's `gateway.do` answers, and how each is answered (protocol.md §1.3,
 * §9): page services render HTML for the buyer's browser, server services answer XML, and
 * `notify_verify` answers a bare word.
 */
export const PAGE_SERVICES = [
  'create_direct_pay_by_user',
  'create_partner_trade_by_buyer',
  'trade_create_by_buyer',
  'alipay.auth.authorize',
  'user.logistics.address.query',
  'refund_fastpay_by_platform_pwd',
] as const;

export const SERVER_SERVICES = [
  'send_goods_confirm_by_platform',
  'single_trade_query',
  'close_trade',
  'query_timestamp',
] as const;

export type PageService = (typeof PAGE_SERVICES)[number];
export type ServerService = (typeof SERVER_SERVICES)[number];
export type GatewayService = PageService | ServerService | 'notify_verify';

/** The three payment services that open a trade and send the buyer to the cashier. */
export const PAYMENT_SERVICES: readonly string[] = [
  'create_direct_pay_by_user',
  'create_partner_trade_by_buyer',
  'trade_create_by_buyer',
];

/** Unsigned helpers (protocol.md §1.3): no `sign`, no `sign_type`. */
export const UNSIGNED_SERVICES: readonly string[] = ['notify_verify', 'query_timestamp'];

/**
 * Services whose request may carry `anti_phishing_key` / `exter_invoke_ip` (protocol.md §4.1,
 * §4.2, §4.5): the ones a buyer's browser starts. When the merchant switched the checks on, these
 * requests must carry them.
 */
export const ANTI_PHISHING_SERVICES: readonly string[] = [...PAYMENT_SERVICES, 'alipay.auth.authorize'];

const KNOWN = new Set<string>([...PAGE_SERVICES, ...SERVER_SERVICES, 'notify_verify']);

export function isKnownService(name: string): name is GatewayService {
  return KNOWN.has(name);
}

export function isServerService(name: string | undefined): name is ServerService {
  return name !== undefined && (SERVER_SERVICES as readonly string[]).includes(name);
}

/**
 * The code for a merchant without the service in its contract. The seeds give both codes the same
 * cause ("没有该接口的权限"); the quick-login tutorial (seed 002 §8.1) is the only one to list
 * `ILLEGAL_PARTNER_EXTERFACE`, so the sandbox answers it for the quick-login product's two services
 * and `HAS_NO_PRIVILEGE` (seed 000 §5.1) for every other one.
 */
export function noPermissionCode(service: string): GatewayErrorCode {
  return service === 'alipay.auth.authorize' || service === 'user.logistics.address.query'
    ? 'ILLEGAL_PARTNER_EXTERFACE'
    : 'HAS_NO_PRIVILEGE';
}
