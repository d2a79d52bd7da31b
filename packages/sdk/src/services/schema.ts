import type { GatewayErrorCode } from '../errors.js';

/** The services this SDK builds and the sandbox serves (protocol.md §4). */
export type ServiceName =
  | 'create_direct_pay_by_user'
  | 'create_partner_trade_by_buyer'
  | 'trade_create_by_buyer'
  | 'alipay.auth.authorize'
  | 'user.logistics.address.query'
  | 'refund_fastpay_by_platform_pwd'
  | 'send_goods_confirm_by_platform'
  | 'single_trade_query'
  | 'close_trade'
  | 'query_timestamp'
  | 'notify_verify';

/**
 * How a service is called (protocol.md §1.3): `page` = the buyer's (or seller's) browser is sent to
 * the gateway with a signed link or form; `server` = the merchant's server posts a signed form and
 * reads an XML reply; `unsigned` = a plain GET without `sign`.
 */
export type ServiceKind = 'page' | 'server' | 'unsigned';

/** The shape a parameter's value must have. */
export type ParamFormat =
  | { kind: 'text' }
  | { kind: 'enum'; values: readonly string[] }
  /** Yuan with at most two decimals, bounds in fen (inclusive). */
  | { kind: 'amount'; minFen: number; maxFen: number }
  | { kind: 'integer'; min: number; max: number }
  /** Absolute http(s) URL without a query string. */
  | { kind: 'url' }
  /** `yyyy-MM-dd HH:mm:ss`. */
  | { kind: 'datetime' }
  /** 16-digit Alipay user id. */
  | { kind: 'user_id' }
  /** Email or mobile number. */
  | { kind: 'account' }
  /** Alipay trade number, 16–64 digits. */
  | { kind: 'trade_no' }
  | { kind: 'ipv4' }
  /** A regular expression, with a human hint of what is expected. */
  | { kind: 'pattern'; pattern: RegExp; hint: string }
  /** A function that names the problem (e.g. "is longer than 15d"), or returns undefined when the value is fine. */
  | { kind: 'check'; problem: (value: string) => string | undefined; hint: string };

/** One request parameter of a service. */
export interface ParamSpec {
  /** Required (不可空). Cross-field requirements ("one of …") are rules, not this flag. */
  required?: boolean;
  /** Maximum length in GBK bytes, ASCII 1 and other characters 2 (protocol.md §4.1: `subject` String(256) is ≤128 Chinese characters). */
  maxLength?: number;
  format?: ParamFormat;
  /** The code for a missing required value. Default `PARAMTER_IS_NULL`. */
  missingCode?: GatewayErrorCode;
  /** The code for a malformed or too long value. Default `ILLEGAL_ARGUMENT`. */
  code?: GatewayErrorCode;
  /** The code for an amount at or below zero when `minFen` > 0. Default `code`. */
  nonPositiveCode?: GatewayErrorCode;
  /** The code for an amount above `maxFen`. Default `code`. */
  tooLargeCode?: GatewayErrorCode;
  /** What the parameter is, for error messages and docs. */
  doc: string;
}

/** What cross-field rules get besides the parameters. */
export interface RuleContext {
  /** The current time (ms), for rules about "today" (refund `batch_no`). Absent: those checks are skipped. */
  now?: number;
}

/** A rule over several parameters; throws `GatewayError` when broken. */
export type CrossFieldRule = (params: Readonly<Record<string, string>>, context: RuleContext) => void;

/** A service's request schema: used to build requests (merchant side) and to check them (sandbox). */
export interface ServiceSchema {
  service: ServiceName;
  kind: ServiceKind;
  /** The service's Chinese name in the official docs. */
  title: string;
  /** Every documented request parameter, common ones included (not `sign`/`sign_type`). */
  params: Readonly<Record<string, ParamSpec>>;
  rules: readonly CrossFieldRule[];
  /** Parameters that set a custom timeout: refused with `SELF_TIMEOUT_NOT_SUPPORT` unless the merchant has the feature (a merchant-dependent check). */
  timeoutParams: readonly string[];
}
