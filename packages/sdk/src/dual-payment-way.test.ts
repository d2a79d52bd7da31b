import { describe, expect, it } from 'vitest';
import { dualPaymentWay } from './dual-payment-way.js';

describe('dualPaymentWay', () => {
  it('reads escrow from WAIT_SELLER_SEND_GOODS after WAIT_BUYER_PAY (protocol.md §12.9)', () => {
    expect(dualPaymentWay('WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS')).toBe('escrow');
  });
  it('reads instant payment from TRADE_FINISHED after WAIT_BUYER_PAY (protocol.md §12.9)', () => {
    expect(dualPaymentWay('WAIT_BUYER_PAY', 'TRADE_FINISHED')).toBe('instant');
  });
  it('reads the way when the first notifications were lost', () => {
    expect(dualPaymentWay(undefined, 'WAIT_BUYER_CONFIRM_GOODS')).toBe('escrow');
    expect(dualPaymentWay(null, 'TRADE_SUCCESS')).toBe('instant');
  });
  it('says nothing once the order was paid, or for an unpaid status', () => {
    expect(dualPaymentWay('WAIT_SELLER_SEND_GOODS', 'TRADE_FINISHED')).toBeUndefined();
    expect(dualPaymentWay('TRADE_CLOSED', 'TRADE_FINISHED')).toBeUndefined();
    expect(dualPaymentWay(undefined, 'WAIT_BUYER_PAY')).toBeUndefined();
    expect(dualPaymentWay('WAIT_BUYER_PAY', 'TRADE_CLOSED')).toBeUndefined();
  });
});
