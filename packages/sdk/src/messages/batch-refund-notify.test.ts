import { describe, expect, it } from 'vitest';
import { VerificationError } from '../errors.js';
import { parseResultDetails, renderResultDetails } from './batch-refund-notify.js';

describe('result_details of batch_refund_notify (protocol.md §4.11)', () => {
  it('parses the documented example with its $fee part', () => {
    const [item] = parseResultDetails('2010031906272929^80^SUCCESS$jax_chuanhang@alipay.com^2088101003147483^0.01^SUCCESS');
    expect(item?.amountFen).toBe(8000);
    expect(item?.fee?.userId).toBe('2088101003147483');
    expect(item?.fee?.amountFen).toBe(1);
  });

  it('renders items that parse back to the same trades, amounts and results', () => {
    const text = renderResultDetails([
      { tradeNo: '2015010100001000980000000001', amountFen: 1, result: 'SUCCESS' },
      { tradeNo: '2015010100001000980000000002', amountFen: 12345, result: 'REFUND_AMOUNT_NOT_VALID', fee: { account: 'fee@example.com', userId: '2088000000000009', amountFen: 5, result: 'SUCCESS' } },
    ]);
    expect(text).toBe(
      '2015010100001000980000000001^0.01^SUCCESS#2015010100001000980000000002^123.45^REFUND_AMOUNT_NOT_VALID$fee@example.com^2088000000000009^0.05^SUCCESS',
    );
    expect(parseResultDetails(text).map((i) => [i.tradeNo, i.amountFen, i.succeeded, i.fee?.amountFen])).toEqual([
      ['2015010100001000980000000001', 1, true, undefined],
      ['2015010100001000980000000002', 12345, false, 5],
    ]);
  });

  it('refuses an item that is not trade_no^amount^result', () => {
    expect(() => parseResultDetails('2015^0.01')).toThrow(VerificationError);
    expect(() => parseResultDetails('2015^abc^SUCCESS')).toThrow(/malformed amount/);
  });
});
