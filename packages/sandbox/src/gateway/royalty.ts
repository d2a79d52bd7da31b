import { GatewayError, isAmount, toFen } from 'alipay-legacy';

const ACCOUNT = /^(2088\d{12}|[^@\s^|]+@[^@\s^|]+|1\d{10})$/;

/**
 * Checks the royalty (分润) parameters of a payment request: `royalty_type` is only `10` (卖家给第三方
 * 提成) and `royalty_parameters` is `account^amount^memo` joined by `|`, with a known account form
 * (2088 user id, email or mobile) and a positive amount (protocol.md §4.1; U16). The two come
 * together. Anything else is `ROYALTY_FORAMT_ERROR` (the gateway's own misspelling, seed 000 §5.1).
 * The sum of the royalties may not exceed the trade's total when the total is known.
 */
export function checkRoyalty(params: Record<string, string>): void {
  const type = params.royalty_type ?? '';
  const list = params.royalty_parameters ?? '';
  if (type === '' && list === '') return;
  if (type !== '10') fail(`royalty_type must be 10, got "${type}"`, 'royalty_type');
  if (list === '') fail('royalty_type is set but royalty_parameters is empty', 'royalty_parameters');
  let sum = 0;
  for (const [i, entry] of list.split('|').entries()) {
    const parts = entry.split('^');
    const [account = '', amount = ''] = parts;
    if (parts.length < 2 || parts.length > 3 || !ACCOUNT.test(account) || !isAmount(amount) || toFen(amount) <= 0) {
      fail(`entry ${i + 1} "${entry}" of royalty_parameters is not account^amount^memo`, 'royalty_parameters');
    }
    sum += toFen(amount);
  }
  const total = params.total_fee;
  if (total !== undefined && isAmount(total) && sum > toFen(total)) {
    fail('the royalties add up to more than total_fee', 'royalty_parameters');
  }
}

function fail(message: string, param: string): never {
  throw new GatewayError('ROYALTY_FORAMT_ERROR', message, { param });
}
