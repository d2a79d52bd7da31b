import { GatewayError } from 'alipay-legacy';

/**
 * NUL never occurs in a real identifier, and PostgreSQL cannot even compare text holding one, so a
 * lookup by such a value is answered "not found" without asking the store, and free text holding
 * one is refused.
 */
export function hasNul(...values: Array<string | undefined | null>): boolean {
  return values.some((v) => typeof v === 'string' && v.includes('\u0000'));
}

/** Refuses free text with a NUL character: `ILLEGAL_ARGUMENT`. */
export function assertNoNul(value: string, param: string): string {
  if (hasNul(value)) throw new GatewayError('ILLEGAL_ARGUMENT', `${param} contains a NUL character`, { param });
  return value;
}
