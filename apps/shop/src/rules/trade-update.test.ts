import fc from 'fast-check';
import { compareProgress, type TradeStatus } from 'alipay-legacy';
import { describe, expect, it } from 'vitest';
import { planTradeUpdate, type OrderTradeState } from './trade-update.js';

const fresh = (service = 'create_partner_trade_by_buyer'): OrderTradeState => ({
  payment_service: service,
  trade_status: null,
  refund_status: null,
  last_notify_time: null,
  last_notify_id: null,
  gmt_refund: null,
  paid_way: null,
  paid_at: null,
});

function apply(order: OrderTradeState, status: TradeStatus, time: string): OrderTradeState {
  const plan = planTradeUpdate(order, { trade_status: status, notify_time: time }, 1000);
  return plan.changes ? { ...order, ...plan.changes } : order;
}

describe('planTradeUpdate', () => {
  it('never moves an order backwards, whatever order the notifications arrive in', () => {
    const lifecycle: Array<[TradeStatus, string]> = [
      ['WAIT_BUYER_PAY', '2026-12-01 10:00:00'],
      ['WAIT_SELLER_SEND_GOODS', '2026-12-01 10:01:00'],
      ['WAIT_BUYER_CONFIRM_GOODS', '2026-12-01 11:00:00'],
      ['TRADE_FINISHED', '2026-12-02 09:00:00'],
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(lifecycle, { minLength: 1 }), (arrivals) => {
        let order = fresh();
        for (const [status, time] of arrivals) order = apply(order, status, time);
        const furthest = [...arrivals].sort((a, b) => compareProgress({ trade_status: b[0] }, { trade_status: a[0] }))[0]!;
        expect(order.trade_status).toBe(furthest[0]);
      }),
    );
  });

  it('applies a message once: the same notify_id again is a duplicate', () => {
    const order = { ...fresh(), ...planTradeUpdate(fresh(), { trade_status: 'TRADE_FINISHED', notify_id: 'n1' }, 5).changes! };
    expect(planTradeUpdate(order, { trade_status: 'TRADE_FINISHED', notify_id: 'n1' }, 6).outcome).toBe('duplicate');
    expect(planTradeUpdate(order, { trade_status: 'WAIT_BUYER_PAY', notify_id: 'n0' }, 6).outcome).toBe('stale');
  });

  it('records the dual interface buyer way and the first paid time', () => {
    const dual = apply(fresh('trade_create_by_buyer'), 'WAIT_BUYER_PAY', '2026-12-01 10:00:00');
    const plan = planTradeUpdate(dual, { trade_status: 'TRADE_FINISHED' }, 42);
    expect(plan.changes).toMatchObject({ paid_way: 'instant', paid_at: 42 });
    const escrow = planTradeUpdate(dual, { trade_status: 'WAIT_SELLER_SEND_GOODS' }, 7);
    expect(escrow.changes).toMatchObject({ paid_way: 'escrow', paid_at: 7 });
    expect(planTradeUpdate(fresh('create_direct_pay_by_user'), { trade_status: 'TRADE_FINISHED' }, 1).changes?.paid_way).toBeNull();
  });

  it('never reopens a trade closed by a full refund', () => {
    let order = apply(fresh('create_direct_pay_by_user'), 'TRADE_SUCCESS', '2026-12-01 10:00:00');
    order = { ...order, ...planTradeUpdate(order, { trade_status: 'TRADE_CLOSED', refund_status: 'REFUND_SUCCESS', notify_time: '2026-12-01 11:00:00' }, 2).changes! };
    expect(planTradeUpdate(order, { trade_status: 'TRADE_FINISHED', notify_time: '2026-12-05 10:00:00' }, 3).outcome).toBe('stale');
  });
});
