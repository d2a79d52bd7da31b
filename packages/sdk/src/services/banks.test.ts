import { describe, expect, it } from 'vitest';
import { validateServiceRequest } from './validate.js';
import { BANKS, bankByCode } from './banks.js';

describe('BANKS', () => {
  it('finds a bank by its defaultbank code', () => {
    expect(bankByCode('ICBCB2C')?.name).toBe('中国工商银行');
    expect(bankByCode('NOPE')).toBeUndefined();
  });
  it('holds every code protocol.md §4.1 lists, once', () => {
    const listed = ['ICBCB2C', 'CMB', 'CCB', 'BOCB2C', 'ABC', 'SPDB', 'CIB', 'GDB', 'CMBC', 'CITIC', 'COMM', 'CEBBANK', 'SHBANK', 'SPABANK', 'PSBC-DEBIT', 'BJBANK'];
    expect(BANKS.map((b) => b.code).sort()).toEqual([...listed].sort());
  });
  it('holds only codes that create_direct_pay_by_user accepts as defaultbank', () => {
    for (const bank of BANKS) {
      expect(() =>
        validateServiceRequest({
          service: 'create_direct_pay_by_user',
          partner: '2088101122136241',
          _input_charset: 'utf-8',
          out_trade_no: 'A1',
          subject: 'x',
          total_fee: '0.01',
          payment_type: '1',
          seller_id: '2088101122136241',
          paymethod: 'bankPay',
          defaultbank: bank.code,
        }),
      ).not.toThrow();
    }
  });
});
