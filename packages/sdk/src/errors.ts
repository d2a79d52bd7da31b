/**
 * Errors carry a code and a cause. One base class, `AlipayError`, with a `code` from
 * a closed union and the `param` at fault when there is one; subclasses only where callers branch:
 *
 * - `GatewayError` — the code is one of the gateway's own (`GatewayErrorCode`, protocol.md §7).
 *   That is the rule: an error is a GatewayError exactly when the gateway would answer the same
 *   code, because the gateway did answer it (a server call's `<is_success>F</is_success>`), or
 *   because the SDK refused a request value before sending it, by the gateway's own rule
 *   (`validateServiceRequest`, the builders, `toFen`, `normalizeCharset`, `parseSignType`). Such a
 *   request sent anyway would be refused with that code.
 * - `VerificationError` — a return or notification that was not accepted, with a `reason`.
 * - `UsageError` — the SDK was used in a way that cannot work (configuration, keys, builder input
 *   of the wrong type, a handler given a body already read): fix the calling code.
 * - `AlipayError` itself — the gateway could not be reached or answered something unreadable, or a
 *   received message or notification request cannot be read (`AlipayLocalCode`).
 */

/** The gateway's own error codes (protocol.md §7), plus the ones the seeds list. */
export type GatewayErrorCode =
  | 'ILLEGAL_SIGN'
  | 'ILLEGAL_DYN_MD5_KEY'
  | 'ILLEGAL_ENCRYPT'
  | 'ILLEGAL_ARGUMENT'
  | 'ILLEGAL_SERVICE'
  | 'ILLEGAL_USER'
  | 'ILLEGAL_PARTNER'
  | 'ILLEGAL_EXTERFACE'
  | 'ILLEGAL_PARTNER_EXTERFACE'
  | 'ILLEGAL_SECURITY_PROFILE'
  | 'ILLEGAL_AGENT'
  | 'ILLEGAL_SIGN_TYPE'
  | 'ILLEGAL_CHARSET'
  | 'ILLEGAL_CLIENT_IP'
  | 'HAS_NO_PRIVILEGE'
  | 'HAS_NO_PUBLICKEY'
  | 'EXTERFACE_IS_CLOSED'
  | 'ILLEGAL_REQUEST_REFERER'
  | 'ILLEGAL_ANTI_PHISHING_KEY'
  | 'ILLEGAL_EXTER_INVOKE_IP'
  | 'ANTI_PHISHING_KEY_TIMEOUT'
  | 'SYSTEM_ERROR'
  | 'SESSION_TIMEOUT'
  | 'ILLEGAL_TARGET_SERVICE'
  | 'SELLER_NOT_IN_SPECIFIED_SELLERS'
  | 'SELLER_NOT_EXIST'
  | 'BUYER_NOT_EXIST'
  | 'USER_NOT_EXIST'
  | 'BUYER_SELLER_EQUAL'
  | 'TRADE_DATA_MATCH_ERROR'
  | 'TRADE_NOT_ALLOWED_PAY'
  | 'TRADE_NOT_EXIST'
  | 'TRADE_STATUS_NOT_AVAILD'
  | 'OUT_TRADE_NO_EXIST'
  | 'NO_QUERY_RESULTS'
  | 'ILLEGAL_PAYMENT_TYPE'
  | 'ILLEGAL_LOGISTICS_FORMAT'
  | 'ILLEGAL_FEE_PARAM'
  | 'TOTAL_FEE_LESSEQUAL_ZERO'
  | 'TOTAL_FEE_OUT_OF_RANGE'
  | 'ROYALTY_FORAMT_ERROR'
  | 'SELF_TIMEOUT_NOT_SUPPORT'
  | 'PARAMTER_IS_NULL'
  | 'TRADE_ENGINE_ERROR'
  | 'TXN_RESULT_ACCOUNT_BALANCE_NOT_ENOUGH'
  | 'BATCH_NO_EXIST'
  | 'REFUND_AMOUNT_NOT_VALID'
  | 'TRADE_HAS_REFUNDED';

/** Misuse of the SDK, found before anything is sent: `UsageError`. */
export type UsageErrorCode =
  /** The configuration lacks something it needs (partner, key, private key…). */
  | 'bad_config'
  /** Signing or verifying without the MD5 key or RSA key it needs. */
  | 'missing_key'
  /** An RSA key that cannot be read. */
  | 'bad_key'
  /** A builder input of the wrong type (an amount as a number, fen and yuan both given…). */
  | 'bad_input'
  /** A server service asked for as a page request. */
  | 'not_a_page_service'
  /** A `receive_address` field that is not text. */
  | 'bad_address'
  /** An XML element name that is not one. */
  | 'bad_xml_name'
  /** A notification handler given a request whose body was already read… */
  | 'body_already_read'
  /** …or parsed into an object by a body parser: the signed bytes are gone. */
  | 'body_already_parsed';

/** The SDK's own codes besides misuse: transport, unreadable replies and messages, refused notification requests. */
export type AlipayLocalCode =
  /** The gateway could not be reached. */
  | 'gateway_unreachable'
  /** The gateway did not answer within `timeoutMs`. */
  | 'gateway_timeout'
  /** The gateway answered an HTTP error without an XML reply. */
  | 'gateway_http_error'
  /** An XML reply (or `receive_address`) that is not well-formed or lacks what it must carry. */
  | 'malformed_xml'
  /** A form body or query with a malformed percent-escape. */
  | 'malformed_form'
  /** A form body or query that names a parameter twice (`param` names it). */
  | 'duplicate_param'
  /** A notification that did not arrive by POST. */
  | 'method_not_allowed'
  /** A notification body over the handler's limit. */
  | 'body_too_large'
  /** A notification body that could not be read. */
  | 'body_read_failed';

/** Every code an error of this package carries. */
export type AlipayErrorCode = GatewayErrorCode | VerificationReason | UsageErrorCode | AlipayLocalCode;

/** Why a return or notification was not accepted. */
export type VerificationReason =
  | 'missing_sign'
  | 'bad_sign_type'
  | 'sign_mismatch'
  | 'malformed'
  | 'notify_verify_false'
  | 'notify_verify_invalid'
  | 'notify_verify_unreachable'
  | 'amount_mismatch'
  | 'seller_mismatch'
  | 'unknown_order';

/** Options of every error: the parameter at fault, and the cause. */
export interface AlipayErrorOptions {
  /** The parameter at fault (a request parameter, a form field, a configuration option), when there is one. */
  param?: string;
  cause?: unknown;
}

/** `T`, but not a place to infer `T` from: a code must be one of the class's union, not any string. */
type Exactly<T> = [T][T extends unknown ? 0 : never];

/**
 * The base of every error this package throws. Another package may extend it with codes of its
 * own (`class MyError extends AlipayError<MyCode>`).
 * @example
 * try { await client.singleTradeQuery({ out_trade_no: 'x' }) } catch (e) { if (e instanceof AlipayError) console.log(e.code, e.param) }
 */
export class AlipayError<Code extends string = AlipayErrorCode> extends Error {
  readonly code: Code;
  /** The parameter at fault, when there is one. */
  readonly param?: string;
  constructor(code: Exactly<Code>, message: string, options?: AlipayErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AlipayError';
    this.code = code as Code;
    if (options?.param !== undefined) this.param = options.param;
  }
}

/**
 * A refusal with one of the gateway's own codes: thrown by builders that validate before sending
 * (the same rules the gateway applies) and by server calls that the gateway answered with
 * `<is_success>F</is_success><error>CODE</error>` (the rule is at the top of this file).
 * @example
 * if (err instanceof GatewayError && err.code === 'TRADE_NOT_EXIST') { … }
 */
export class GatewayError extends AlipayError<GatewayErrorCode> {
  constructor(code: GatewayErrorCode, message: string, options?: AlipayErrorOptions) {
    super(code, `${code}: ${message}`, options);
    this.name = 'GatewayError';
  }
}

/**
 * The SDK used in a way that cannot work: a configuration without its key, an unreadable RSA key,
 * a builder input of the wrong type, a notification handler given a body already read. The
 * message says how to fix the calling code.
 * @example
 * try { resolveConfig({ partner: '2088…' }) } catch (e) { if (e instanceof UsageError) console.log(e.code) } // 'bad_config'
 */
export class UsageError extends AlipayError<UsageErrorCode> {
  constructor(code: UsageErrorCode, message: string, options?: AlipayErrorOptions) {
    super(code, message, options);
    this.name = 'UsageError';
  }
}

/**
 * A return or notification that did not verify. `presign` is the exact string that was signed on
 * our side, so a mismatch can be compared with the sender's.
 * @example
 * catch (e) { if (e instanceof VerificationError && e.reason === 'sign_mismatch') console.log(e.presign) }
 */
export class VerificationError extends AlipayError<VerificationReason> {
  readonly reason: VerificationReason;
  readonly presign?: string;
  constructor(reason: VerificationReason, message: string, options?: AlipayErrorOptions & { presign?: string }) {
    super(reason, message, options);
    this.name = 'VerificationError';
    this.reason = reason;
    if (options?.presign !== undefined) this.presign = options.presign;
  }
}
