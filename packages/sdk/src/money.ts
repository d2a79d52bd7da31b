import { GatewayError } from './errors.js';

/**
 * Money is a decimal string on the wire ("0.01") and integer fen inside. These convert at the edge
 * only.
 */

const AMOUNT = /^-?(0|[1-9]\d{0,11})(\.\d{1,2})?$/;

/**
 * Parses a yuan amount of at most two decimals into fen. Anything else is `ILLEGAL_FEE_PARAM`.
 * @example toFen('12.3') // 1230
 */
export function toFen(value: string, param = 'total_fee'): number {
  if (!AMOUNT.test(value)) {
    throw new GatewayError('ILLEGAL_FEE_PARAM', `${param}="${value}" is not an amount in yuan with at most two decimals (e.g. 0.01)`, {
      param,
    });
  }
  const negative = value.startsWith('-');
  const [whole, frac = ''] = (negative ? value.slice(1) : value).split('.');
  const fen = Number(whole) * 100 + Number(frac.padEnd(2, '0'));
  return negative ? -fen : fen;
}

/**
 * True when the text is a well-formed yuan amount (at most two decimals).
 * @example isAmount('0.01') // true
 * isAmount('1.234') // false
 */
export function isAmount(value: string): boolean {
  return AMOUNT.test(value);
}

/**
 * Formats fen as yuan with two decimals, as Alipay sends amounts.
 * @example fromFen(1230) // '12.30'
 */
export function fromFen(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not a whole number of fen: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
