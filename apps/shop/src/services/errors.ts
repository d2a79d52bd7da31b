/** What a shop service refuses, with a code routes map to a 4xx and a message for the page. */
export type ShopErrorCode = 'not_found' | 'bad_input' | 'bad_state' | 'forbidden' | 'alipay_refused' | 'alipay_unreachable';

export class ShopError extends Error {
  readonly code: ShopErrorCode;
  constructor(code: ShopErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ShopError';
    this.code = code;
  }
}

/** The HTTP status of a refusal: every one is the caller's problem or Alipay's, never a 5xx. */
export function statusOf(code: ShopErrorCode): 400 | 403 | 404 | 409 | 502 {
  switch (code) {
    case 'not_found':
      return 404;
    case 'forbidden':
      return 403;
    case 'bad_state':
      return 409;
    case 'alipay_refused':
    case 'alipay_unreachable':
      return 502;
    default:
      return 400;
  }
}
