import { progressRank } from 'alipay-legacy';
import { describe, expect, it } from 'vitest';
import { FIRST_CLOSED_RANK, FIRST_PAID_RANK } from './rank-bounds.js';

describe('rank bounds', () => {
  it('puts waiting for payment below paid, and paid below closed', () => {
    expect(progressRank({ trade_status: 'WAIT_BUYER_PAY' })).toBeLessThan(FIRST_PAID_RANK);
    expect(progressRank({ trade_status: 'WAIT_SYS_CONFIRM_PAY' })).toBeLessThan(FIRST_PAID_RANK);
    expect(progressRank({ trade_status: 'WAIT_SELLER_SEND_GOODS' })).toBeGreaterThanOrEqual(FIRST_PAID_RANK);
    expect(progressRank({ trade_status: 'TRADE_FINISHED', refund_status: 'REFUND_SUCCESS' })).toBeLessThan(FIRST_CLOSED_RANK);
    expect(progressRank({ trade_status: 'TRADE_CLOSED' })).toBe(FIRST_CLOSED_RANK);
  });
});
