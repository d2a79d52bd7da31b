import { GatewayError } from 'alipay-legacy';
import { describe, expect, it } from 'vitest';
import { SandboxError } from './errors.js';
import {
  agreeRefundTransition,
  batchRefundItem,
  buyerActions,
  closeTransition,
  confirmPeriodMs,
  confirmOrderTransition,
  confirmReturnedGoodsTransition,
  finishTransition,
  freightChargedFen,
  goodsReturnedTransition,
  newTrade,
  payRefusal,
  protocolActions,
  payTransitions,
  logisticsOptionsOf,
  merchantConsignee,
  refundWindowEndTransition,
  refuseRefundTransition,
  requestDataMismatch,
  requestRefundTransition,
  sellerActions,
  shipTransition,
  unpaidDeadline,
} from './trade-rules.js';
import type { Address, Buyer, Refund, Trade, TradeService } from './types.js';

const T0 = Date.UTC(2015, 4, 19, 1, 16, 44); // 2015-05-19 09:16:44 Beijing
const DAY = 86_400_000;
const SELLER = { id: '2088000000000001', email: 'seller@x.test' };
const buyer: Buyer = { userId: '2088000000000002', login: 'b@x.test', email: 'b@x.test', realName: '张三', mobile: null, balanceFen: 1_000_000 };
const address: Address = {
  id: 7,
  userId: buyer.userId,
  position: 0,
  fullname: '张三',
  prov: '上海',
  city: '上海',
  area: '浦东新区',
  address: '世纪大道100号',
  addressCode: '310115',
  mobilePhone: '13800138000',
  phone: '',
  post: '200120',
};

function trade(service: TradeService, params: Record<string, string> = {}): Trade {
  const base: Record<string, string> =
    service === 'create_direct_pay_by_user'
      ? { out_trade_no: 'o1', subject: 's', total_fee: '12.34' }
      : {
          out_trade_no: 'o1',
          subject: 's',
          price: '10.00',
          quantity: '2',
          logistics_type: 'EXPRESS',
          logistics_fee: '5.00',
          logistics_payment: 'BUYER_PAY',
          logistics_type_1: 'DIRECT',
          logistics_fee_1: '0.00',
          logistics_payment_1: 'SELLER_PAY',
          logistics_type_2: 'POST',
          logistics_fee_2: '3.00',
          logistics_payment_2: 'BUYER_PAY_AFTER_RECEIVE',
        };
  return newTrade({ tradeNo: '2015051900001000980052833539', partner: SELLER.id, service, params: { ...base, ...params }, charset: 'utf-8', signType: 'MD5', sellerId: SELLER.id, sellerEmail: SELLER.email, now: T0 }).trade;
}

const pay = (t: Trade, method: 'instant' | 'escrow', advancedInstant = false) => payTransitions(t, { buyer, method, now: T0 + 1000, advancedInstant, refundWindowDays: 90 });
const confirmed = (t: Trade, logisticsIndex = 0) => confirmOrderTransition(t, { buyer, logisticsIndex, address, now: T0 + 500 }).trade;
const paidEscrow = (logisticsIndex = 0) => pay(confirmed(trade('create_partner_trade_by_buyer'), logisticsIndex), 'escrow').at(-1)!.trade;
const shipped = () => shipTransition(paidEscrow(), { now: T0 + 2000, logisticsName: '顺丰' }).trade;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof GatewayError || e instanceof SandboxError) return e.code;
    throw e;
  }
  return undefined;
}

describe('a new trade', () => {
  it('starts in WAIT_BUYER_PAY and is not notified (direct pay never notifies it; escrow waits for the order confirmation)', () => {
    for (const service of ['create_direct_pay_by_user', 'create_partner_trade_by_buyer', 'trade_create_by_buyer'] as const) {
      const t = newTrade({ tradeNo: 'x', partner: SELLER.id, service, params: trade(service).requestParams, charset: 'utf-8', signType: 'MD5', sellerId: SELLER.id, sellerEmail: SELLER.email, now: T0 });
      expect(t.trade.tradeStatus).toBe('WAIT_BUYER_PAY');
      expect(t.notify).toBe(false);
    }
  });

  it('reports a total_fee direct-pay request as price = total_fee, quantity = 1', () => {
    const t = trade('create_direct_pay_by_user');
    expect([t.totalFeeFen, t.priceFen, t.quantity]).toEqual([1234, 1234, 1]);
  });

  it('multiplies price by quantity when the direct-pay request has no total_fee', () => {
    const t = trade('create_direct_pay_by_user', { total_fee: '', price: '1.50', quantity: '3' });
    expect(t.totalFeeFen).toBe(450);
  });

  it('estimates the escrow total with the first logistics group until the buyer chooses', () => {
    const t = trade('create_partner_trade_by_buyer');
    expect(t.totalFeeFen).toBe(2000 + 500);
    expect(t.totalFeeAdjust).toBe(true);
  });

  it('charges an escrow trade by the amount rule, whatever total_fee says (the SDK\'s tradeTotalFen, protocol.md §4.2)', () => {
    const t = trade('create_partner_trade_by_buyer', { total_fee: '99.00', discount: '-1.00' });
    expect(t.totalFeeFen).toBe(2000 + 500 - 100);
    expect(confirmOrderTransition(t, { buyer, logisticsIndex: 1, address, now: T0 + 500 }).trade.totalFeeFen).toBe(2000 - 100);
  });

  it('closes unpaid trades after 15 days unless it_b_pay says otherwise', () => {
    expect(trade('create_direct_pay_by_user').closeAt).toBe(T0 + 15 * DAY);
    expect(unpaidDeadline('90m', T0)).toBe(T0 + 90 * 60_000);
    expect(unpaidDeadline('2h', T0)).toBe(T0 + 2 * 3_600_000);
    expect(unpaidDeadline('1d', T0)).toBe(T0 + DAY);
    // 1c: at the coming midnight, Beijing time (2015-05-20 00:00 +08:00).
    expect(unpaidDeadline('1c', T0)).toBe(Date.UTC(2015, 4, 19, 16, 0, 0));
    expect(codeOf(() => unpaidDeadline('1.5h', T0))).toBe('ILLEGAL_ARGUMENT');
    expect(codeOf(() => unpaidDeadline('16d', T0))).toBe('ILLEGAL_ARGUMENT');
  });
});

describe('logistics groups', () => {
  it('keeps the groups of the request in order, freight in fen (read by the SDK, protocol.md §4.2)', () => {
    expect(trade('create_partner_trade_by_buyer').logisticsOptions).toEqual([
      { type: 'EXPRESS', feeFen: 500, payment: 'BUYER_PAY' },
      { type: 'DIRECT', feeFen: 0, payment: 'SELLER_PAY' },
      { type: 'POST', feeFen: 300, payment: 'BUYER_PAY_AFTER_RECEIVE' },
    ]);
    expect(logisticsOptionsOf({ logistics_type: 'EMS', logistics_fee: '12.5', logistics_payment: 'BUYER_PAY' })).toEqual([{ type: 'EMS', feeFen: 1250, payment: 'BUYER_PAY' }]);
  });

  it('leaves the freight out of the total when it is paid on receipt', () => {
    const t = trade('create_partner_trade_by_buyer', { discount: '-1.00' });
    expect(confirmOrderTransition(t, { buyer, logisticsIndex: 2, address, now: T0 + 500 }).trade.totalFeeFen).toBe(2000 - 100);
    expect(confirmOrderTransition(t, { buyer, logisticsIndex: 0, address, now: T0 + 500 }).trade.totalFeeFen).toBe(2000 + 500 - 100);
  });

  it('says how much of each group\'s freight the buyer pays: all of it, SELLER_PAY included, except on receipt', () => {
    const t = trade('create_partner_trade_by_buyer', { logistics_fee_1: '4.00', discount: '-1.00' });
    expect([0, 1, 2].map((i) => freightChargedFen(t, i))).toEqual([500, 400, 0]);
    expect(freightChargedFen(t, 3)).toBe(0);
    expect(freightChargedFen(trade('create_direct_pay_by_user'), 0)).toBe(0);
  });
});

describe('the data-match check (decisions.md §15)', () => {
  it('ignores per-request parameters and reports the first differing one', () => {
    const a = { out_trade_no: '1', total_fee: '1.00', anti_phishing_key: 'k1', sign: 'a' };
    expect(requestDataMismatch(a, { ...a, anti_phishing_key: 'k2', sign: 'b', exter_invoke_ip: '1.2.3.4' })).toBeUndefined();
    expect(requestDataMismatch(a, { ...a, total_fee: '2.00' })).toBe('total_fee');
    expect(requestDataMismatch(a, { ...a, body: 'extra' })).toBe('body');
  });
});

describe('confirming an escrow order', () => {
  it('keeps WAIT_BUYER_PAY, records logistics and address, fixes the total and is notified', () => {
    const t = trade('create_partner_trade_by_buyer');
    const c = confirmOrderTransition(t, { buyer, logisticsIndex: 2, address, now: T0 + 500 });
    expect(c.trade.tradeStatus).toBe('WAIT_BUYER_PAY');
    expect(c.notify).toBe(true);
    expect(c.trade.logisticsIndex).toBe(2);
    expect(c.trade.totalFeeFen).toBe(2000); // POST fee paid on receipt
    expect(c.trade.totalFeeAdjust).toBe(false);
    expect(c.trade.receiveName).toBe('张三');
    expect(c.trade.receiveAddress).toBe('上海浦东新区世纪大道100号');
    expect(c.trade.gmtLogisticsModify).toBe(T0 + 500);
    expect(c.trade.version).toBe(t.version + 1);
  });

  it('is refused for direct pay, for a paid trade, for the seller, and for a group that does not exist', () => {
    expect(codeOf(() => confirmed(trade('create_direct_pay_by_user')))).toBe('BAD_STATE');
    expect(codeOf(() => confirmed(paidEscrow()))).toBe('TRADE_NOT_ALLOWED_PAY');
    const seller = { ...buyer, userId: SELLER.id };
    expect(codeOf(() => confirmOrderTransition(trade('create_partner_trade_by_buyer'), { buyer: seller, logisticsIndex: 0, address: { ...address, userId: SELLER.id }, now: T0 }))).toBe('BUYER_SELLER_EQUAL');
    expect(codeOf(() => confirmed(trade('create_partner_trade_by_buyer'), 5))).toBe('BAD_INPUT');
  });
});

describe('paying', () => {
  it('finishes a plain instant payment at once (WAIT_BUYER_PAY → TRADE_FINISHED)', () => {
    const [p, ...rest] = pay(trade('create_direct_pay_by_user'), 'instant');
    expect(rest).toEqual([]);
    expect(p!.trade).toMatchObject({ tradeStatus: 'TRADE_FINISHED', buyerId: buyer.userId, gmtPayment: T0 + 1000, gmtClose: T0 + 1000, method: 'instant' });
    expect(p!.notify).toBe(true);
  });

  it('leaves an advanced instant payment refundable (→ TRADE_SUCCESS until the refund window ends)', () => {
    const [p] = pay(trade('create_direct_pay_by_user'), 'instant', true);
    expect(p!.trade.tradeStatus).toBe('TRADE_SUCCESS');
    expect(p!.trade.refundWindowEnd).toBe(T0 + 1000 + 90 * DAY);
    expect(p!.trade.gmtClose).toBeNull();
  });

  it('moves escrow to WAIT_SELLER_SEND_GOODS', () => {
    const steps = pay(confirmed(trade('create_partner_trade_by_buyer')), 'escrow');
    expect(steps.map((s) => s.trade.tradeStatus)).toEqual(['WAIT_SELLER_SEND_GOODS']);
  });

  it('ships DIRECT logistics at payment (→ WAIT_SELLER_SEND_GOODS → WAIT_BUYER_CONFIRM_GOODS), both notified', () => {
    const steps = pay(confirmed(trade('create_partner_trade_by_buyer'), 1), 'escrow');
    expect(steps.map((s) => [s.trade.tradeStatus, s.notify])).toEqual([
      ['WAIT_SELLER_SEND_GOODS', true],
      ['WAIT_BUYER_CONFIRM_GOODS', true],
    ]);
    expect(steps[1]!.trade.version).toBe(steps[0]!.trade.version + 1);
    expect(steps[1]!.event.actor).toBe('system');
  });

  it('lets the dual interface pay instantly, straight to TRADE_FINISHED (decisions.md §12)', () => {
    const steps = pay(confirmed(trade('trade_create_by_buyer')), 'instant', true);
    expect(steps.map((s) => s.trade.tradeStatus)).toEqual(['TRADE_FINISHED']);
  });

  it('refuses a second payment, a closed trade, a trade past it_b_pay, an unconfirmed escrow order and the wrong way', () => {
    const paid = pay(trade('create_direct_pay_by_user'), 'instant')[0]!.trade;
    expect(codeOf(() => pay(paid, 'instant'))).toBe('TRADE_NOT_ALLOWED_PAY');
    const closed = closeTransition(trade('create_direct_pay_by_user'), { now: T0, actor: 'seller', reason: 'close_trade' }).trade;
    expect(codeOf(() => pay(closed, 'instant'))).toBe('TRADE_NOT_ALLOWED_PAY');
    const late = trade('create_direct_pay_by_user', { it_b_pay: '1m' });
    expect(codeOf(() => payTransitions(late, { buyer, method: 'instant', now: T0 + 60_000, advancedInstant: false, refundWindowDays: 90 }))).toBe('TRADE_NOT_ALLOWED_PAY');
    expect(codeOf(() => pay(trade('create_partner_trade_by_buyer'), 'escrow'))).toBe('BAD_STATE');
    expect(codeOf(() => pay(trade('create_direct_pay_by_user'), 'escrow'))).toBe('BAD_INPUT');
    expect(codeOf(() => pay(confirmed(trade('create_partner_trade_by_buyer')), 'instant'))).toBe('BAD_INPUT');
  });

  it('refuses a buyer who is the seller (BUYER_SELLER_EQUAL)', () => {
    const seller = { ...buyer, userId: '2088999999999999', email: SELLER.email };
    expect(codeOf(() => payTransitions(trade('create_direct_pay_by_user'), { buyer: seller, method: 'instant', now: T0, advancedInstant: false, refundWindowDays: 90 }))).toBe('BUYER_SELLER_EQUAL');
  });
});

describe('shipping', () => {
  it('moves WAIT_SELLER_SEND_GOODS → WAIT_BUYER_CONFIRM_GOODS with gmt_send_goods and a 10-day confirm deadline', () => {
    const s = shipTransition(paidEscrow(), { now: T0 + 2000, logisticsName: '顺丰', invoiceNo: 'SF1' });
    expect(s.trade).toMatchObject({ tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS', gmtSendGoods: T0 + 2000, logisticsName: '顺丰', invoiceNo: 'SF1', confirmDeadline: T0 + 2000 + 10 * DAY });
    expect(s.notify).toBe(true);
  });

  it('gives POST 30 days to confirm, or t_b_rec_post days', () => {
    expect(confirmPeriodMs(paidEscrow(2))).toBe(30 * DAY);
    const custom = pay(confirmed(trade('create_partner_trade_by_buyer', { t_b_rec_post: '7' }), 2), 'escrow')[0]!.trade;
    expect(confirmPeriodMs(custom)).toBe(7 * DAY);
    expect(confirmPeriodMs(paidEscrow(0))).toBe(10 * DAY);
  });

  it('takes t_b_rec_post in days with decimals, as the SDK\'s check does (7.5 days)', () => {
    const custom = pay(confirmed(trade('create_partner_trade_by_buyer', { t_b_rec_post: '7.5' }), 2), 'escrow')[0]!.trade;
    expect(custom.tBRecPostMs).toBe(7.5 * DAY);
    expect(shipTransition(custom, { now: T0 + 2000, logisticsName: '邮政' }).trade.confirmDeadline).toBe(T0 + 2000 + 7.5 * DAY);
  });

  it('is refused in any other state with TRADE_STATUS_NOT_AVAILD', () => {
    expect(codeOf(() => shipTransition(trade('create_partner_trade_by_buyer'), { now: T0, logisticsName: 'x' }))).toBe('TRADE_STATUS_NOT_AVAILD');
    expect(codeOf(() => shipTransition(shipped(), { now: T0, logisticsName: 'x' }))).toBe('TRADE_STATUS_NOT_AVAILD');
    expect(codeOf(() => shipTransition(pay(trade('create_direct_pay_by_user'), 'instant')[0]!.trade, { now: T0, logisticsName: 'x' }))).toBe('TRADE_STATUS_NOT_AVAILD');
  });
});

describe('finishing', () => {
  it('finishes on the buyer confirming receipt (→ TRADE_FINISHED, gmt_close)', () => {
    const f = finishTransition(shipped(), { now: T0 + 3000, actor: 'buyer' });
    expect(f.trade).toMatchObject({ tradeStatus: 'TRADE_FINISHED', gmtClose: T0 + 3000 });
    expect([f.event.kind, f.notify]).toEqual(['receipt_confirmed', true]);
  });

  it('finishes on the confirm timeout as the system', () => {
    expect(finishTransition(shipped(), { now: T0 + 11 * DAY, actor: 'system' }).event.kind).toBe('confirm_timeout');
  });

  it('is refused before shipping and while a refund is in progress', () => {
    expect(codeOf(() => finishTransition(paidEscrow(), { now: T0, actor: 'buyer' }))).toBe('BAD_STATE');
    const refunding = requestRefundTransition(shipped(), { buyerId: buyer.userId, amountFen: 100, returnGoods: false, now: T0 }).trade;
    expect(codeOf(() => finishTransition(refunding, { now: T0, actor: 'buyer' }))).toBe('BAD_STATE');
  });

  it('ends the refund window of an advanced instant payment (TRADE_SUCCESS → TRADE_FINISHED, notified)', () => {
    const success = pay(trade('create_direct_pay_by_user'), 'instant', true)[0]!.trade;
    const f = refundWindowEndTransition(success, T0 + 91 * DAY);
    expect([f.trade.tradeStatus, f.notify, f.trade.gmtClose]).toEqual(['TRADE_FINISHED', true, T0 + 91 * DAY]);
    expect(codeOf(() => refundWindowEndTransition(f.trade, T0))).toBe('BAD_STATE');
  });
});

describe('closing', () => {
  it('closes an unpaid direct-pay trade without a notification (decisions.md §13)', () => {
    const c = closeTransition(trade('create_direct_pay_by_user'), { now: T0 + 5, actor: 'seller', reason: 'close_trade' });
    expect([c.trade.tradeStatus, c.trade.gmtClose, c.notify]).toEqual(['TRADE_CLOSED', T0 + 5, false]);
  });

  it('closes an unpaid escrow trade with a notification', () => {
    expect(closeTransition(trade('create_partner_trade_by_buyer'), { now: T0, actor: 'system', reason: 'timeout' }).notify).toBe(true);
    expect(closeTransition(trade('trade_create_by_buyer'), { now: T0, actor: 'system', reason: 'timeout' }).event.kind).toBe('pay_timeout');
  });

  it('refuses to close a paid trade (TRADE_STATUS_NOT_AVAILD)', () => {
    expect(codeOf(() => closeTransition(paidEscrow(), { now: T0, actor: 'seller', reason: 'close_trade' }))).toBe('TRADE_STATUS_NOT_AVAILD');
  });
});

describe('escrow refunds (protocol.md §12.8)', () => {
  const refund = (t: Trade, returnGoods: boolean, amountFen = t.totalFeeFen): Refund => ({
    id: 1,
    tradeNo: t.tradeNo,
    kind: 'escrow',
    batchId: null,
    amountFen,
    reason: 'r',
    returnGoods,
    status: 'WAIT_SELLER_AGREE',
    createdAt: T0,
    updatedAt: T0,
  });

  it('asks the seller: WAIT_SELLER_AGREE, notified', () => {
    const r = requestRefundTransition(paidEscrow(), { buyerId: buyer.userId, amountFen: 100, returnGoods: false, now: T0 });
    expect([r.trade.refundStatus, r.trade.tradeStatus, r.notify]).toEqual(['WAIT_SELLER_AGREE', 'WAIT_SELLER_SEND_GOODS', true]);
  });

  it('without goods: agreeing refunds at once (→ REFUND_SUCCESS, TRADE_CLOSED on a full refund)', () => {
    const t = paidEscrow();
    const asked = requestRefundTransition(t, { buyerId: buyer.userId, amountFen: t.totalFeeFen, returnGoods: false, now: T0 }).trade;
    const done = agreeRefundTransition(asked, refund(asked, false), T0 + 10);
    expect(done.trade).toMatchObject({ refundStatus: 'REFUND_SUCCESS', tradeStatus: 'TRADE_CLOSED', gmtRefund: T0 + 10, gmtClose: T0 + 10, refundedFen: t.totalFeeFen });
  });

  it('with goods: WAIT_BUYER_RETURN_GOODS → WAIT_SELLER_CONFIRM_GOODS → REFUND_SUCCESS', () => {
    const t = shipped();
    const asked = requestRefundTransition(t, { buyerId: buyer.userId, amountFen: t.totalFeeFen, returnGoods: true, now: T0 }).trade;
    const agreed = agreeRefundTransition(asked, refund(asked, true), T0 + 1).trade;
    expect(agreed.refundStatus).toBe('WAIT_BUYER_RETURN_GOODS');
    const returned = goodsReturnedTransition(agreed, { buyerId: buyer.userId, now: T0 + 2 }).trade;
    expect(returned.refundStatus).toBe('WAIT_SELLER_CONFIRM_GOODS');
    const done = confirmReturnedGoodsTransition(returned, refund(returned, true), T0 + 3);
    expect([done.trade.refundStatus, done.trade.tradeStatus, done.notify]).toEqual(['REFUND_SUCCESS', 'TRADE_CLOSED', true]);
  });

  it('keeps the trade open after a partial refund', () => {
    const t = shipped();
    const asked = requestRefundTransition(t, { buyerId: buyer.userId, amountFen: 100, returnGoods: false, now: T0 }).trade;
    const done = agreeRefundTransition(asked, refund(asked, false, 100), T0 + 1).trade;
    expect([done.refundStatus, done.tradeStatus, done.refundedFen]).toEqual(['REFUND_SUCCESS', 'WAIT_BUYER_CONFIRM_GOODS', 100]);
  });

  it('lets the seller refuse (SELLER_REFUSE_BUYER) and the buyer ask again (WAIT_SELLER_AGREE)', () => {
    const t = shipped();
    const asked = requestRefundTransition(t, { buyerId: buyer.userId, amountFen: 100, returnGoods: false, now: T0 }).trade;
    const refused = refuseRefundTransition(asked, T0 + 1).trade;
    expect(refused.refundStatus).toBe('SELLER_REFUSE_BUYER');
    expect(requestRefundTransition(refused, { buyerId: buyer.userId, amountFen: 50, returnGoods: false, now: T0 + 2 }).trade.refundStatus).toBe('WAIT_SELLER_AGREE');
  });

  it('refuses steps out of order, a second open request, too much money, and goods that were never sent', () => {
    const t = shipped();
    expect(codeOf(() => agreeRefundTransition(t, refund(t, false), T0))).toBe('BAD_STATE');
    expect(codeOf(() => refuseRefundTransition(t, T0))).toBe('BAD_STATE');
    const asked = requestRefundTransition(t, { buyerId: buyer.userId, amountFen: 100, returnGoods: false, now: T0 }).trade;
    expect(codeOf(() => requestRefundTransition(asked, { buyerId: buyer.userId, amountFen: 100, returnGoods: false, now: T0 }))).toBe('BAD_STATE');
    expect(codeOf(() => goodsReturnedTransition(asked, { buyerId: buyer.userId, now: T0 }))).toBe('BAD_STATE');
    expect(codeOf(() => requestRefundTransition(t, { buyerId: buyer.userId, amountFen: t.totalFeeFen + 1, returnGoods: false, now: T0 }))).toBe('REFUND_AMOUNT_NOT_VALID');
    expect(codeOf(() => requestRefundTransition(paidEscrow(), { buyerId: buyer.userId, amountFen: 1, returnGoods: true, now: T0 }))).toBe('BAD_INPUT');
    expect(codeOf(() => requestRefundTransition(t, { buyerId: 'someone else', amountFen: 1, returnGoods: false, now: T0 }))).toBe('BAD_STATE');
    expect(codeOf(() => requestRefundTransition(trade('create_partner_trade_by_buyer'), { buyerId: buyer.userId, amountFen: 1, returnGoods: false, now: T0 }))).toBe('BAD_STATE');
  });

  it('blocks shipping while a refund waits for the seller', () => {
    const asked = requestRefundTransition(paidEscrow(), { buyerId: buyer.userId, amountFen: 100, returnGoods: false, now: T0 }).trade;
    expect(codeOf(() => shipTransition(asked, { now: T0, logisticsName: 'x' }))).toBe('TRADE_STATUS_NOT_AVAILD');
  });
});

describe('direct-pay batch refunds', () => {
  const success = () => pay(trade('create_direct_pay_by_user'), 'instant', true)[0]!.trade;

  it('refunds part of a TRADE_SUCCESS trade and keeps it open, or closes it on the full amount', () => {
    const part = batchRefundItem(success(), { partner: SELLER.id, amountFen: 34, now: T0 });
    expect('code' in part ? part.code : [part.trade.tradeStatus, part.trade.refundStatus, part.notify]).toEqual(['TRADE_SUCCESS', 'REFUND_SUCCESS', true]);
    const full = batchRefundItem(success(), { partner: SELLER.id, amountFen: 1234, now: T0 });
    expect('code' in full ? full.code : full.trade.tradeStatus).toBe('TRADE_CLOSED');
  });

  it('answers a result code for an unknown trade, another partner, a finished trade and too much money', () => {
    const code = (r: ReturnType<typeof batchRefundItem>) => ('code' in r ? r.code : 'SUCCESS');
    expect(code(batchRefundItem(undefined, { partner: SELLER.id, amountFen: 1, now: T0 }))).toBe('TRADE_NOT_EXIST');
    expect(code(batchRefundItem(success(), { partner: '2088000000000099', amountFen: 1, now: T0 }))).toBe('TRADE_NOT_EXIST');
    expect(code(batchRefundItem(pay(trade('create_direct_pay_by_user'), 'instant')[0]!.trade, { partner: SELLER.id, amountFen: 1, now: T0 }))).toBe('TRADE_STATUS_NOT_AVAILD');
    expect(code(batchRefundItem(success(), { partner: SELLER.id, amountFen: 1235, now: T0 }))).toBe('REFUND_AMOUNT_NOT_VALID');
  });
});

describe('action sets (protocol.md §5.3)', () => {
  it('offers REFUND,CONFIRM_GOODS to the buyer and EXTEND_TIMEOUT to the seller after shipping, as the real return showed', () => {
    expect(buyerActions(shipped(), T0)).toEqual(['REFUND', 'CONFIRM_GOODS']);
    expect(sellerActions(shipped())).toEqual(['EXTEND_TIMEOUT']);
    expect(sellerActions(paidEscrow())).toEqual(['SEND_GOODS']);
  });

  it('offers PAY until it_b_pay passes, and MODIFY_TRADE,CLOSE_TRADE to the seller meanwhile', () => {
    const unpaid = trade('create_direct_pay_by_user', { it_b_pay: '1m' });
    expect(buyerActions(unpaid, T0)).toEqual(['PAY']);
    expect(buyerActions(unpaid, T0 + 60_000)).toEqual([]);
    expect(sellerActions(unpaid)).toEqual(['MODIFY_TRADE', 'CLOSE_TRADE']);
  });

  const refused = () => refuseRefundTransition(requestRefundTransition(paidEscrow(), { buyerId: buyer.userId, amountFen: 100, returnGoods: false, now: T0 + 3000 }).trade, T0 + 4000).trade;
  const partlyRefunded = () => {
    const asked = requestRefundTransition(paidEscrow(), { buyerId: buyer.userId, amountFen: 100, returnGoods: false, now: T0 + 3000 }).trade;
    return agreeRefundTransition(asked, { id: 1, tradeNo: asked.tradeNo, kind: 'escrow', batchId: null, amountFen: 100, reason: '', returnGoods: false, status: 'WAIT_SELLER_AGREE', createdAt: T0, updatedAt: T0 }, T0 + 4000).trade;
  };

  it('offers SEND_GOODS again after the seller refused the refund, and after a partial refund', () => {
    expect(refused()).toMatchObject({ tradeStatus: 'WAIT_SELLER_SEND_GOODS', refundStatus: 'SELLER_REFUSE_BUYER' });
    expect(sellerActions(refused())).toEqual(['SEND_GOODS']);
    expect(partlyRefunded()).toMatchObject({ tradeStatus: 'WAIT_SELLER_SEND_GOODS', refundStatus: 'REFUND_SUCCESS' });
    expect(sellerActions(partlyRefunded())).toEqual(['SEND_GOODS']);
    expect(buyerActions(partlyRefunded(), T0)).toEqual(['REFUND']);
  });

  it('offers each refund step to the one whose turn it is', () => {
    const asked = requestRefundTransition(shipped(), { buyerId: buyer.userId, amountFen: 100, returnGoods: true, now: T0 + 3000 }).trade;
    expect(sellerActions(asked)).toEqual(['EXTEND_TIMEOUT', 'AGREE_REFUND', 'REFUSE_REFUND']);
    expect(buyerActions(asked, T0)).toEqual([]);
    const agreed = { ...asked, refundStatus: 'WAIT_BUYER_RETURN_GOODS' as const };
    expect(buyerActions(agreed, T0)).toEqual(['RETURN_GOODS']);
    expect(sellerActions({ ...asked, refundStatus: 'WAIT_SELLER_CONFIRM_GOODS' })).toEqual(['EXTEND_TIMEOUT', 'CONFIRM_RETURNED_GOODS']);
  });

  it('allows exactly what the transitions accept', () => {
    for (const t of [trade('create_partner_trade_by_buyer'), paidEscrow(), shipped(), refused(), partlyRefunded()]) {
      const seller = sellerActions(t);
      expect(seller.includes('SEND_GOODS'), t.refundStatus ?? t.tradeStatus).toBe(codeOf(() => shipTransition(t, { now: T0 + 9000, logisticsName: 'x' })) === undefined);
      expect(seller.includes('CLOSE_TRADE')).toBe(codeOf(() => closeTransition(t, { now: T0 + 9000, actor: 'seller', reason: 'close_trade' })) === undefined);
      expect(buyerActions(t, T0).includes('CONFIRM_GOODS')).toBe(codeOf(() => finishTransition(t, { now: T0 + 9000, actor: 'buyer' })) === undefined);
    }
  });

  it('keeps the console-only refund steps off the wire', () => {
    expect(protocolActions(['EXTEND_TIMEOUT', 'AGREE_REFUND', 'REFUSE_REFUND', 'RETURN_GOODS', 'CONFIRM_RETURNED_GOODS'])).toEqual(['EXTEND_TIMEOUT']);
  });
});

describe('whether a trade can be paid', () => {
  it('is one rule with one refusal: unpaid and before it_b_pay', () => {
    const unpaid = trade('create_direct_pay_by_user', { it_b_pay: '1m' });
    expect(payRefusal(unpaid, T0)).toBeUndefined();
    expect(payRefusal(unpaid, T0 + 60_000)?.message).toMatch(/TRADE_NOT_ALLOWED_PAY: trade \d+ \(out_trade_no o1\) cannot be paid: its payment deadline \(it_b_pay\) has passed/);
    const paid = pay(trade('create_direct_pay_by_user'), 'instant')[0]!.trade;
    expect(payRefusal(paid, T0)?.message).toMatch(/cannot be paid: it is TRADE_FINISHED: paid or closed/);
    expect(payRefusal(paid, T0)?.code).toBe('TRADE_NOT_ALLOWED_PAY');
  });
});

describe('the merchant’s consignee (protocol.md §4.2, decisions.md §27)', () => {
  const filled = { receive_name: '李四', receive_address: '北京市海淀区中关村大街1号', receive_zip: '100080', receive_mobile: '13900000000' };
  it('is read from an escrow-type request that gives receive_name and receive_address', () => {
    expect(merchantConsignee(trade('create_partner_trade_by_buyer', filled))).toEqual({ name: '李四', address: '北京市海淀区中关村大街1号', zip: '100080', phone: null, mobile: '13900000000' });
    expect(merchantConsignee(trade('trade_create_by_buyer', filled))?.name).toBe('李四');
    expect(merchantConsignee(trade('create_partner_trade_by_buyer', { receive_name: '李四' }))).toBeUndefined();
    expect(merchantConsignee(trade('create_partner_trade_by_buyer', { receive_address: 'x' }))).toBeUndefined();
    expect(merchantConsignee(trade('create_direct_pay_by_user', filled))).toBeUndefined();
  });
  it('is confirmed in place of a saved address, and refused when the request gave none', () => {
    const c = confirmOrderTransition(trade('create_partner_trade_by_buyer', filled), { buyer, logisticsIndex: 0, address: undefined, now: T0 + 500 });
    expect(c.trade).toMatchObject({ addressId: null, receiveName: '李四', receiveAddress: '北京市海淀区中关村大街1号', receiveZip: '100080', receivePhone: null, receiveMobile: '13900000000' });
    expect(c.event.detail).toMatchObject({ consignee: 'merchant' });
    expect(c.notify).toBe(true);
    const saved = confirmOrderTransition(trade('create_partner_trade_by_buyer', filled), { buyer, logisticsIndex: 0, address, now: T0 + 500 });
    expect(saved.trade).toMatchObject({ addressId: 7, receiveName: '张三', receiveZip: '200120' });
    expect(codeOf(() => confirmOrderTransition(trade('create_partner_trade_by_buyer'), { buyer, logisticsIndex: 0, address: undefined, now: T0 }))).toBe('BAD_INPUT');
  });
});
