import { AlipayError, type AlipayErrorOptions } from 'alipay-legacy';

/** Refusals that exist only in the sandbox (the buyer's side of the cashier, lookups). */
export type SandboxErrorCode = 'WRONG_LOGIN' | 'WRONG_PAY_PASSWORD' | 'BALANCE_NOT_ENOUGH' | 'NOT_FOUND' | 'BAD_STATE' | 'BAD_INPUT';

/**
 * A sandbox-only refusal (wrong password, insufficient balance, unknown id, wrong state for a
 * sandbox page action). Protocol refusals are `GatewayError`s with the gateway's own code.
 */
export class SandboxError extends AlipayError<SandboxErrorCode> {
  constructor(code: SandboxErrorCode, message: string, options?: AlipayErrorOptions) {
    super(code, message, options);
    this.name = 'SandboxError';
  }
}
