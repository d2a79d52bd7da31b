import { UsageError } from '../errors.js';
import { fromFen } from '../money.js';

/**
 * Turns a builder's input into wire parameters, keeping the caller's key order. Input keys are the
 * wire names (merchants copy them from Alipay's docs), plus a few camelCase conveniences that are
 * never sent as such: `totalFen` → `total_fee`, `priceFen` → `price` (whole fen).
 * Amounts must be strings ("0.01"): a JavaScript number such as 0.1 + 0.2 is not an exact amount.
 * `quantity` and `batch_num` may be whole numbers. `undefined` and `''` are left out.
 */
export function toWireParams(input: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined || value === null || value === '') continue;
    const fenTarget = FEN_FIELDS[key];
    if (fenTarget !== undefined) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        throw new UsageError('bad_input', `${key} must be a whole number of fen (e.g. 1 for 0.01 yuan), got ${JSON.stringify(value)}`);
      }
      if (hasValue(input, fenTarget)) {
        throw new UsageError('bad_input', `give either ${fenTarget} (yuan as a string) or ${key} (fen), not both`);
      }
      out[fenTarget] = fromFen(value);
      continue;
    }
    if (typeof value === 'number') {
      if (!INTEGER_FIELDS.has(key)) {
        throw new UsageError(
          'bad_input',
          `${key} must be a string${AMOUNT_FIELDS.has(key) ? ` in yuan such as "0.01" (numbers are not exact amounts; or pass ${key === 'price' ? 'priceFen' : 'totalFen'} in fen)` : ''}, got the number ${value}`,
        );
      }
      if (!Number.isSafeInteger(value)) throw new UsageError('bad_input', `${key} must be a whole number, got ${value}`);
      out[key] = String(value);
      continue;
    }
    if (typeof value !== 'string') throw new UsageError('bad_input', `${key} must be a string, got ${typeof value}`);
    out[key] = value;
  }
  return out;
}

function hasValue(input: object, key: string): boolean {
  const v = (input as Record<string, unknown>)[key];
  return v !== undefined && v !== null && v !== '';
}

const FEN_FIELDS: Record<string, string> = { totalFen: 'total_fee', priceFen: 'price' };
const INTEGER_FIELDS = new Set(['quantity', 'batch_num']);
const AMOUNT_FIELDS = new Set(['total_fee', 'price', 'logistics_fee', 'logistics_fee_1', 'logistics_fee_2', 'discount']);

/**
 * Merges parameters the way the official and chloerei SDKs did, which gives the links of the
 * published vectors byte for byte (protocol.md §2.6): the fixed head first (a value from `input`
 * replaces the head's value in place), then the rest of `input` in its own order, then `defaults`
 * for names still missing.
 */
export function mergeInOrder(
  head: Record<string, string | undefined>,
  input: Record<string, string>,
  defaults: Record<string, string | undefined> = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(head)) if (v !== undefined && v !== '') out[k] = v;
  Object.assign(out, input);
  for (const [k, v] of Object.entries(defaults)) if (v !== undefined && v !== '' && !(k in out)) out[k] = v;
  return out;
}
