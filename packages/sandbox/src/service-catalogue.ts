import type { GatewayErrorCode, ServiceName } from 'alipay-legacy';
import { SERVICES } from 'alipay-legacy/protocol';
import type { PayMethod } from './services/types.js';

/**
 * The services the sandbox serves: every service of the SDK's registry (`SERVICES`: names,
 * parameters, how each is called), plus the facts below that only the sandbox needs. Everything
 * else that depends on the service (which reply a refusal gets, whether the request is signed,
 * whether it takes anti_phishing_key, which parameter names the seller) is read from the SDK's
 * schema. The gateway's handler of each service is in routes/gateway-handlers.tsx, keyed the same
 * way; the compiler wants an entry in both for every service the SDK knows.
 */
export interface ServiceFacts {
  /** The service's name on the sandbox's pages. */
  label: string;
  /**
   * A payment service: the ways the buyer may pay (decisions.md §10–12), and whether the trade is
   * escrow-type (担保 and 双接口: the buyer confirms logistics and address, every status is
   * notified, decisions.md §11).
   */
  trade?: { methods: readonly PayMethod[]; escrow: boolean };
  /**
   * The code for a merchant without the service in its contract. The seeds give HAS_NO_PRIVILEGE
   * and ILLEGAL_PARTNER_EXTERFACE the same cause; only the quick-login tutorial (protocol.md §12.15)
   * lists the second, so it is the quick-login product's, and HAS_NO_PRIVILEGE (§12.15)
   * every other service's (the default).
   */
  noPermissionCode?: GatewayErrorCode;
  /** Answered with a bare word before any request check (`notify_verify`, decisions.md §1–4). */
  bareWord?: true;
}

export const SERVICE_FACTS = {
  create_direct_pay_by_user: { label: '即时到账', trade: { methods: ['instant'], escrow: false } },
  create_partner_trade_by_buyer: { label: '担保交易', trade: { methods: ['escrow'], escrow: true } },
  // The dual interface's cashier preselects escrow (decisions.md §12): the first way is the default.
  trade_create_by_buyer: { label: '标准双接口', trade: { methods: ['escrow', 'instant'], escrow: true } },
  'alipay.auth.authorize': { label: '快捷登录', noPermissionCode: 'ILLEGAL_PARTNER_EXTERFACE' },
  'user.logistics.address.query': { label: '物流地址查询', noPermissionCode: 'ILLEGAL_PARTNER_EXTERFACE' },
  refund_fastpay_by_platform_pwd: { label: '即时到账批量退款' },
  send_goods_confirm_by_platform: { label: '确认发货' },
  single_trade_query: { label: '单笔交易查询' },
  close_trade: { label: '关闭交易' },
  query_timestamp: { label: '防钓鱼时间戳' },
  notify_verify: { label: '通知验证', bareWord: true },
} as const satisfies Record<ServiceName, ServiceFacts>;

type Facts = typeof SERVICE_FACTS;

/** The payment services: those that open a trade and send the buyer to the cashier. */
export type TradeService = { [S in ServiceName]: Facts[S] extends { trade: object } ? S : never }[ServiceName];

/** The services answered with a bare word, before any request check. */
export type WordService = { [S in ServiceName]: Facts[S] extends { bareWord: true } ? S : never }[ServiceName];

/** The services whose requests go through the gateway's checks (gateway/check-request.ts). */
export type CheckedService = Exclude<ServiceName, WordService>;

/** Every service the sandbox serves, in the SDK's order: what the seeded merchant has contracted. */
export const SERVED_SERVICES: readonly ServiceName[] = Object.keys(SERVICES) as ServiceName[];

const facts = (service: ServiceName): ServiceFacts => SERVICE_FACTS[service];

/** True for a name of a service the sandbox serves. */
export function isServedService(name: string | undefined): name is ServiceName {
  return name !== undefined && Object.prototype.hasOwnProperty.call(SERVICE_FACTS, name);
}

export function isTradeService(service: string): service is TradeService {
  return isServedService(service) && facts(service).trade !== undefined;
}

export function isWordService(service: ServiceName): service is WordService {
  return facts(service).bareWord === true;
}

/** The ways a payment service lets the buyer pay; the first is the default (decisions.md §10–12). */
export function payMethodsOf(service: TradeService): readonly PayMethod[] {
  return SERVICE_FACTS[service].trade.methods;
}

/** Escrow-type (担保 and 双接口): the buyer confirms logistics and address, every state is notified (decisions.md §11). */
export function isEscrowService(service: TradeService): boolean {
  return SERVICE_FACTS[service].trade.escrow;
}

/** The service's name on the sandbox's pages, or the name itself for a service the sandbox does not know. */
export function serviceLabel(service: string): string {
  return isServedService(service) ? facts(service).label : service;
}

/**
 * How a request to the service is answered, refusals included (protocol.md §1.3, §7.1): a page for
 * the browser services (and for a name that is no service), XML for the server calls and
 * `query_timestamp`, a bare word for `notify_verify`.
 */
export function replyKindOf(service: string | undefined): 'page' | 'xml' | 'word' {
  if (!isServedService(service)) return 'page';
  if (isWordService(service)) return 'word';
  return SERVICES[service].kind === 'page' ? 'page' : 'xml';
}

/** Whether the request carries `sign`/`sign_type` (protocol.md §1.3: the unsigned helpers do not). */
export function isSignedService(service: ServiceName): boolean {
  return SERVICES[service].kind !== 'unsigned';
}

/**
 * Whether the request may carry `anti_phishing_key` / `exter_invoke_ip`: the services whose
 * documentation lists them (the SDK's schema). When the merchant switched the checks on, those
 * requests must carry them.
 */
export function takesAntiPhishing(service: ServiceName): boolean {
  return 'anti_phishing_key' in SERVICES[service].params;
}

/** The parameter that names the seller by user id: `seller_user_id` for refunds, `seller_id` elsewhere (the SDK's schema). */
export function sellerIdParam(service: ServiceName): 'seller_id' | 'seller_user_id' {
  return 'seller_user_id' in SERVICES[service].params ? 'seller_user_id' : 'seller_id';
}

/** The code for a merchant without the service in its contract (ServiceFacts.noPermissionCode). */
export function noPermissionCodeOf(service: ServiceName): GatewayErrorCode {
  return facts(service).noPermissionCode ?? 'HAS_NO_PRIVILEGE';
}
