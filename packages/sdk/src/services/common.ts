import { GatewayError, type GatewayErrorCode } from '../errors.js';
import { isBlank } from './check-param.js';
import { itBPayProblem } from './formats.js';
import type { CrossFieldRule, ParamSpec } from './schema.js';

/**
 * Parameter specs shared by several services (protocol.md §3.1) and small rule factories.
 */

/** 1 yuan in fen. */
export const YUAN = 100;

/** `partner`: 16 digits. A malformed or missing partner is `ILLEGAL_PARTNER` (the sandbox then looks it up). */
export const PARTNER: ParamSpec = {
  required: true,
  format: { kind: 'pattern', pattern: /^\d{16}$/, hint: 'use your 16-digit partner id (合作者身份ID: 2088 followed by 12 digits)' },
  code: 'ILLEGAL_PARTNER',
  missingCode: 'ILLEGAL_PARTNER',
  doc: 'your 16-digit partner id',
};

/**
 * `_input_charset`: checked by `normalizeCharset` (`ILLEGAL_CHARSET`). Optional here: the gateway
 * read a request without it as GBK (protocol.md §1.3, INFERRED); the builders always send it.
 */
export const INPUT_CHARSET: ParamSpec = { code: 'ILLEGAL_CHARSET', doc: 'the request charset: utf-8, gbk or gb2312' };

export function url(doc: string, maxLength: number, required = false): ParamSpec {
  return { required, maxLength, format: { kind: 'url' }, doc };
}

export const NOTIFY_URL_190 = url('the absolute http(s) URL of your notification handler', 190);
export const NOTIFY_URL = url('the absolute http(s) URL of your notification handler', 200);
export const RETURN_URL = url('the absolute http(s) URL the browser comes back to', 200);
export const SHOW_URL = url('the absolute http(s) URL of the product page', 400);

export function text(doc: string, maxLength?: number, required = false): ParamSpec {
  const spec: ParamSpec = { required, format: { kind: 'text' }, doc };
  if (maxLength !== undefined) spec.maxLength = maxLength;
  return spec;
}

export function userId(doc: string): ParamSpec {
  return { maxLength: 16, format: { kind: 'user_id' }, doc };
}

export function account(doc: string): ParamSpec {
  return { maxLength: 100, format: { kind: 'account' }, doc };
}

export function yesNo(doc: string): ParamSpec {
  return { format: { kind: 'enum', values: ['Y', 'N'] }, doc };
}

export const OUT_TRADE_NO: ParamSpec = text('your order number, unique per partner (at most 64 characters)', 64, true);
export const SUBJECT: ParamSpec = text('the order title (at most 256, i.e. 128 Chinese characters)', 256, true);

/** `anti_phishing_key`: the `encrypt_key` of `query_timestamp` (protocol.md §4.8); its validity is the sandbox's check. */
export const ANTI_PHISHING_KEY: ParamSpec = {
  maxLength: 64,
  format: { kind: 'pattern', pattern: /^[A-Za-z0-9+/=_-]+$/, hint: 'pass the encrypt_key from query_timestamp unchanged' },
  code: 'ILLEGAL_ANTI_PHISHING_KEY',
  doc: 'the encrypt_key from query_timestamp',
};

/** `exter_invoke_ip`: required once used, never empty; a malformed one is `ILLEGAL_EXTER_INVOKE_IP` (protocol.md §12.7). */
export const EXTER_INVOKE_IP: ParamSpec = {
  maxLength: 15,
  format: { kind: 'ipv4' },
  code: 'ILLEGAL_EXTER_INVOKE_IP',
  doc: "the buyer's public IPv4 address",
};

/** `extra_common_param`: echoed back; "不能包含=、&等特殊字符" (protocol.md §4.1). */
export const EXTRA_COMMON_PARAM: ParamSpec = {
  maxLength: 100,
  format: { kind: 'pattern', pattern: /^[^=&]*$/, hint: 'remove "=" and "&" (the gateway echoes this value inside a form); encode structured data another way, e.g. with "|" or "^"' },
  doc: 'data echoed back in the return and notification (at most 100, no = or &)',
};

/** `token`: the 40-character quick-login token from `alipay.auth.authorize` (protocol.md §4.5). */
export const TOKEN: ParamSpec = {
  maxLength: 40,
  format: { kind: 'pattern', pattern: /^[A-Za-z0-9]+$/, hint: 'pass the token from the alipay.auth.authorize return unchanged (letters and digits)' },
  doc: 'the quick-login token from alipay.auth.authorize',
};

/** `it_b_pay` (protocol.md §4.1): 1m–15d, whole numbers, or 1c. */
export const IT_B_PAY: ParamSpec = {
  maxLength: 10,
  format: { kind: 'check', problem: itBPayProblem, hint: 'use a whole number of minutes, hours or days from 1m to 15d (e.g. 30m, 2h, 15d), or 1c for midnight today' },
  doc: 'the unpaid-trade timeout (1m–15d, or 1c)',
};

/**
 * At least one of the named parameters must be present (`seller_id`/`seller_email`/…, `trade_no` |
 * `out_trade_no`). The error names the first, which is the one to prefer.
 */
export function oneOf(names: readonly string[], fix: string, code: GatewayErrorCode = 'PARAMTER_IS_NULL'): CrossFieldRule {
  return (params) => {
    if (names.some((n) => !isBlank(params[n]))) return;
    throw new GatewayError(code, `one of ${names.join(', ')} is required but all are missing or empty: ${fix}`, { param: names[0]! });
  };
}

/** `dependent` may only be given together with `required`. */
export function requires(dependent: string, required: string, fix: string): CrossFieldRule {
  return (params) => {
    if (!isBlank(params[dependent]) && isBlank(params[required])) {
      throw new GatewayError('PARAMTER_IS_NULL', `${required} is required when ${dependent} is given: ${fix}`, { param: required });
    }
  };
}
