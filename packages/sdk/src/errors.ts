/**
 * Errors carry a code and a cause (STYLE.md §3). One base class; subclasses only where callers
 * branch: a refusal with one of the gateway's own codes, and a failed verification with a reason.
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

/**
 * The base of every error this package throws.
 * @example
 * try { await client.singleTradeQuery({ out_trade_no: 'x' }) } catch (e) { if (e instanceof AlipayError) console.log(e.code) }
 */
export class AlipayError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AlipayError';
    this.code = code;
  }
}

/**
 * A refusal with one of the gateway's own codes: thrown by builders that validate before sending
 * (the same rules the gateway applies) and by server calls that the gateway answered with
 * `<is_success>F</is_success><error>CODE</error>`.
 * @example
 * if (err instanceof GatewayError && err.code === 'TRADE_NOT_EXIST') { … }
 */
export class GatewayError extends AlipayError {
  declare readonly code: GatewayErrorCode;
  /** The parameter at fault, when one is. */
  readonly param?: string;
  constructor(code: GatewayErrorCode, message: string, options?: { param?: string; cause?: unknown }) {
    super(code, `${code}: ${message}`, options);
    this.name = 'GatewayError';
    if (options?.param !== undefined) this.param = options.param;
  }
}

/**
 * A return or notification that did not verify. `presign` is the exact string that was signed on
 * our side, so a mismatch can be compared with the sender's.
 * @example
 * catch (e) { if (e instanceof VerificationError && e.reason === 'sign_mismatch') console.log(e.presign) }
 */
export class VerificationError extends AlipayError {
  readonly reason: VerificationReason;
  readonly presign?: string;
  constructor(reason: VerificationReason, message: string, options?: { presign?: string; cause?: unknown }) {
    super(reason, message, options);
    this.name = 'VerificationError';
    this.reason = reason;
    if (options?.presign !== undefined) this.presign = options.presign;
  }
}
