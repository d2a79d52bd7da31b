import { describe, expect, it } from 'vitest';
import {
  compareProgress,
  isPaid,
  isTradeStatus,
  progressRank,
  shouldApply,
  TRADE_STATUSES,
  updateOutcome,
  type TradeProgress,
} from './trade-status.js';

/** Applies messages in arrival order as a merchant would, returning the final state and outcomes. */
function replay(messages: TradeProgress[]): { state: TradeProgress | undefined; outcomes: string[] } {
  let state: TradeProgress | undefined;
  const outcomes: string[] = [];
  for (const m of messages) {
    const outcome = updateOutcome(state, m);
    outcomes.push(outcome);
    if (outcome === 'apply') state = m;
  }
  return { state, outcomes };
}

describe('trade status order (protocol.md §5, §12.8)', () => {
  it('ranks the main line WAIT_BUYER_PAY < WAIT_SELLER_SEND_GOODS < WAIT_BUYER_CONFIRM_GOODS < TRADE_SUCCESS < TRADE_FINISHED < TRADE_CLOSED', () => {
    const line = ['WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS', 'TRADE_SUCCESS', 'TRADE_FINISHED', 'TRADE_CLOSED'] as const;
    for (let i = 1; i < line.length; i++) {
      expect(compareProgress({ trade_status: line[i]! }, { trade_status: line[i - 1]! })).toBeGreaterThan(0);
    }
    expect(TRADE_STATUSES.indexOf('WAIT_BUYER_PAY')).toBeLessThan(TRADE_STATUSES.indexOf('TRADE_FINISHED'));
  });

  it('treats a late WAIT_SELLER_SEND_GOODS after TRADE_FINISHED as stale', () => {
    const { state, outcomes } = replay([
      { trade_status: 'WAIT_BUYER_PAY', notify_time: '2015-05-19 09:16:44' },
      { trade_status: 'TRADE_FINISHED', notify_time: '2015-05-19 09:28:07' },
      { trade_status: 'WAIT_SELLER_SEND_GOODS', notify_time: '2015-05-19 09:20:36' },
    ]);
    expect(outcomes).toEqual(['apply', 'apply', 'stale']);
    expect(state?.trade_status).toBe('TRADE_FINISHED');
  });

  it('does not let a TRADE_FINISHED re-open a trade a full refund closed, and that trade is not paid', () => {
    const { state, outcomes } = replay([
      { trade_status: 'TRADE_SUCCESS', notify_time: '2015-01-01 10:00:00' },
      { trade_status: 'TRADE_CLOSED', refund_status: 'REFUND_SUCCESS', notify_time: '2015-01-02 10:00:00', gmt_refund: '2015-01-02 10:00:00' },
      { trade_status: 'TRADE_FINISHED', notify_time: '2015-04-01 10:00:00' },
    ]);
    expect(outcomes).toEqual(['apply', 'apply', 'stale']);
    expect(state?.trade_status).toBe('TRADE_CLOSED');
    expect(isPaid(state!.trade_status, state!.refund_status)).toBe(false);
  });

  it('applies the escrow WAIT_BUYER_PAY sent again with logistics data, and calls the same notification again a duplicate', () => {
    const first = { trade_status: 'WAIT_BUYER_PAY', notify_time: '2015-05-19 09:16:44', notify_id: 'a' } as const;
    const second = { trade_status: 'WAIT_BUYER_PAY', notify_time: '2015-05-19 09:19:05', notify_id: 'b' } as const;
    expect(replay([first, second, second]).outcomes).toEqual(['apply', 'apply', 'duplicate']);
    // Out of order: the earlier one arriving last adds nothing.
    expect(replay([second, first]).outcomes).toEqual(['apply', 'stale']);
  });

  it('follows refund_status within a trade status, including a refused refund asked again', () => {
    const s = 'WAIT_BUYER_CONFIRM_GOODS' as const;
    const { outcomes, state } = replay([
      { trade_status: s, notify_time: '2015-01-01 00:00:00' },
      { trade_status: s, refund_status: 'WAIT_SELLER_AGREE', notify_time: '2015-01-02 00:00:00' },
      { trade_status: s, refund_status: 'SELLER_REFUSE_BUYER', notify_time: '2015-01-03 00:00:00' },
      { trade_status: s, refund_status: 'WAIT_SELLER_AGREE', notify_time: '2015-01-04 00:00:00' },
      { trade_status: s, refund_status: 'WAIT_BUYER_RETURN_GOODS', notify_time: '2015-01-05 00:00:00' },
      { trade_status: s, refund_status: 'WAIT_SELLER_AGREE', notify_time: '2015-01-02 00:00:00' },
      { trade_status: 'TRADE_CLOSED', refund_status: 'REFUND_SUCCESS', notify_time: '2015-01-07 00:00:00' },
    ]);
    expect(outcomes).toEqual(['apply', 'apply', 'apply', 'apply', 'apply', 'stale', 'apply']);
    expect(state?.trade_status).toBe('TRADE_CLOSED');
  });

  it('applies a second partial refund (REFUND_SUCCESS again, later gmt_refund) on a direct-pay trade', () => {
    expect(
      updateOutcome(
        { trade_status: 'TRADE_SUCCESS', refund_status: 'REFUND_SUCCESS', gmt_refund: '2015-01-02 00:00:00', notify_time: '2015-01-02 00:00:01' },
        { trade_status: 'TRADE_SUCCESS', refund_status: 'REFUND_SUCCESS', gmt_refund: '2015-01-03 00:00:00', notify_time: '2015-01-03 00:00:01' },
      ),
    ).toBe('apply');
  });

  it('applies a new refund request after a closed refund only when it is later', () => {
    const closed = { trade_status: 'WAIT_SELLER_SEND_GOODS', refund_status: 'REFUND_CLOSED', notify_time: '2015-01-05 00:00:00' } as const;
    expect(updateOutcome(closed, { trade_status: 'WAIT_SELLER_SEND_GOODS', refund_status: 'WAIT_SELLER_AGREE', notify_time: '2015-01-06 00:00:00' })).toBe('apply');
    expect(updateOutcome(closed, { trade_status: 'WAIT_SELLER_SEND_GOODS', refund_status: 'WAIT_SELLER_AGREE', notify_time: '2015-01-04 00:00:00' })).toBe('stale');
  });

  it('never leaves a terminal status, even for a later message of another status', () => {
    expect(shouldApply({ trade_status: 'TRADE_CLOSED', notify_time: '2015-01-01 00:00:00' }, { trade_status: 'TRADE_SUCCESS', notify_time: '2015-02-01 00:00:00' })).toBe(false);
    expect(shouldApply(undefined, { trade_status: 'WAIT_BUYER_PAY' })).toBe(true);
  });
});

describe('isPaid', () => {
  it('counts escrow-paid and direct-pay-paid statuses, and a partial refund, as paid', () => {
    for (const s of ['WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS', 'TRADE_SUCCESS', 'TRADE_FINISHED'] as const) expect(isPaid(s)).toBe(true);
    expect(isPaid('TRADE_SUCCESS', 'REFUND_SUCCESS')).toBe(true);
    expect(isPaid('WAIT_BUYER_CONFIRM_GOODS', 'WAIT_SELLER_AGREE')).toBe(true);
  });

  it('does not count unpaid, bank-transfer-pending, closed, or escrow-refunded trades as paid', () => {
    for (const s of ['WAIT_BUYER_PAY', 'WAIT_SYS_CONFIRM_PAY', 'TRADE_CLOSED', 'COD_WAIT_BUYER_PAY'] as const) expect(isPaid(s)).toBe(false);
    expect(isPaid('TRADE_CLOSED', 'REFUND_SUCCESS')).toBe(false);
    expect(isPaid('WAIT_BUYER_CONFIRM_GOODS', 'REFUND_SUCCESS')).toBe(false);
  });
});

describe('progressRank', () => {
  it('increases along the trade line and with refund progress, for SQL guards', () => {
    expect(progressRank({ trade_status: 'WAIT_BUYER_PAY' })).toBeLessThan(progressRank({ trade_status: 'WAIT_SELLER_SEND_GOODS' }));
    expect(progressRank({ trade_status: 'TRADE_SUCCESS' })).toBeLessThan(progressRank({ trade_status: 'TRADE_SUCCESS', refund_status: 'REFUND_SUCCESS' }));
    expect(progressRank({ trade_status: 'TRADE_SUCCESS', refund_status: 'REFUND_SUCCESS' })).toBeLessThan(progressRank({ trade_status: 'TRADE_FINISHED' }));
    expect(isTradeStatus('TRADE_FINISHED')).toBe(true);
    expect(isTradeStatus('toString')).toBe(false);
  });
});
