import { compactParams } from 'alipay-legacy/protocol';
import { describe, expect, it } from 'vitest';
import { tradeQueryFields } from './trade-fields.js';
import { tradeReturnParams, tradeStatusParams } from './notifications/trade-params.js';
import { tradeView } from './routes/api-views.js';
import {
  confirmOrderTransition,
  newTrade,
  payTransitions,
  refundSuccessTransition,
  requestRefundTransition,
  shipTransition,
} from './services/trade-rules.js';
import type { Buyer, Trade, TradeService } from './services/types.js';
import { SEED_BUYERS } from './seed.js';
import { toAddress } from './store/rows.js';

const T0 = Date.UTC(2015, 4, 19, 1, 16, 44); // 2015-05-19 09:16:44 Beijing
const SELLER = { id: '2088000000000001', email: 'seller@x.test' };
const seeded = SEED_BUYERS[0]!;
const buyer: Buyer = { userId: seeded.userId, login: seeded.login, email: seeded.email, realName: seeded.realName, mobile: seeded.mobile, balanceFen: seeded.balanceFen };
const address = toAddress({ id: 1, user_id: seeded.userId, position: 0, ...seeded.addresses[0]! });

function opened(service: TradeService, params: Record<string, string>): Trade {
  return newTrade({ tradeNo: '2015051900001000980052833539', partner: SELLER.id, service, params, charset: 'utf-8', signType: 'MD5', sellerId: SELLER.id, sellerEmail: SELLER.email, now: T0 }).trade;
}

const direct = () => opened('create_direct_pay_by_user', { out_trade_no: 'o1', subject: '直付', total_fee: '12.34', body: '说明', extra_common_param: 'x=1' });
const escrow = () =>
  opened('create_partner_trade_by_buyer', {
    out_trade_no: 'o2',
    subject: '担保',
    price: '10.00',
    quantity: '2',
    discount: '-1.00',
    logistics_type: 'EXPRESS',
    logistics_fee: '5.00',
    logistics_payment: 'BUYER_PAY',
  });
const pay = (t: Trade, method: 'instant' | 'escrow', advancedInstant = false) => payTransitions(t, { buyer, method, now: T0 + 1000, advancedInstant, refundWindowDays: 90 }).at(-1)!.trade;
const confirmed = (t: Trade) => confirmOrderTransition(t, { buyer, logisticsIndex: 0, address, now: T0 + 500 }).trade;
const shipped = (t: Trade) => shipTransition(t, { now: T0 + 2000, logisticsName: '顺丰', invoiceNo: 'SF1' }).trade;
const refunding = (t: Trade) => requestRefundTransition(t, { buyerId: buyer.userId, amountFen: 500, returnGoods: false, now: T0 + 3000 }).trade;
const refunded = (t: Trade) => refundSuccessTransition(t, { amountFen: 500, now: T0 + 4000, actor: 'seller', kind: 'escrow' }).trade;

/** Trades in the states the wire shows differently: unpaid, paid, shipped, refunding, partly refunded. */
const TRADES: Record<string, () => Trade> = {
  'direct, unpaid': direct,
  'direct, paid': () => pay(direct(), 'instant'),
  'direct, paid (advanced instant)': () => pay(direct(), 'instant', true),
  'escrow, unpaid': escrow,
  'escrow, order confirmed': () => confirmed(escrow()),
  'escrow, shipped': () => shipped(pay(confirmed(escrow()), 'escrow')),
  'escrow, refund asked': () => refunding(shipped(pay(confirmed(escrow()), 'escrow'))),
  'escrow, partly refunded': () => refunded(refunding(shipped(pay(confirmed(escrow()), 'escrow')))),
};

/** A message's fields as they go out: in order, the empty ones left out (as `signMessage` does). */
const onTheWire = (params: Record<string, string | undefined>) => Object.entries(compactParams(params)).map(([name, value]) => `${name}=${value}`);

const message = { notifyId: 'n0123456789abcdef0123456789abcdef01', notifyTime: T0 + 5000 };

describe('a trade on the wire', () => {
  for (const [name, make] of Object.entries(TRADES)) {
    it(`keeps the fields of every message of a trade (${name})`, () => {
      const trade = make();
      // In order: the order of a message's fields is the order of its form body on the wire.
      expect({
        notification: onTheWire(tradeStatusParams(trade, message)),
        return: onTheWire(tradeReturnParams(trade, message)),
        query: onTheWire(tradeQueryFields(trade)),
        api: Object.entries(tradeView(trade)).map(([name, value]) => `${name}: ${JSON.stringify(value)}`),
      }).toMatchSnapshot();
    });
  }

  it('says the same in a notification and in a query reply, field by field, but for the flags (Y/N there, T/F here)', () => {
    for (const make of Object.values(TRADES)) {
      const trade = make();
      const notification = tradeStatusParams(trade, message);
      const query = tradeQueryFields(trade);
      const shared = Object.keys(query).filter((name) => notification[name] !== undefined);
      expect(shared.length).toBeGreaterThanOrEqual(12);
      for (const name of shared) {
        const flag = { Y: 'T', N: 'F' }[notification[name] ?? ''];
        if (name === 'is_total_fee_adjust' || name === 'use_coupon') expect([name, query[name]]).toEqual([name, flag]);
        else expect([name, query[name]]).toEqual([name, notification[name]]);
      }
    }
  });
});
