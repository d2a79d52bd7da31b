import { describe, expect, it } from 'vitest';
import { VerificationError } from '../errors.js';
import { parseMessage } from './parse-message.js';

// The real TRADE_SUCCESS notification of protocol.md §4.1 (offsite_payments test data), decoded.
const DIRECT_PAY_NOTIFY: Record<string, string> = {
  discount: '0.00',
  payment_type: '1',
  subject: '订单 R990240665',
  trade_no: '2014111159601788',
  buyer_email: '18611543280',
  gmt_create: '2014-11-11 17:58:50',
  notify_type: 'trade_status_sync',
  quantity: '1',
  out_trade_no: 'R990240665',
  seller_id: '2088611493982911',
  notify_time: '2014-11-11 17:59:23',
  body: '时光彩贝',
  trade_status: 'TRADE_SUCCESS',
  is_total_fee_adjust: 'N',
  total_fee: '1.43',
  gmt_payment: '2014-11-11 17:59:23',
  seller_email: 'acct-ali@shiguangcaibei.com',
  price: '1.43',
  buyer_id: '2088902582208882',
  notify_id: '1d583bc9cf21ed879bcd428fd53ed5e16w',
  use_coupon: 'N',
  sign_type: 'MD5',
  sign: '0d10403a54cb923c67f70266d188c0ce',
};

function refusal(fn: () => unknown): VerificationError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(VerificationError);
    return err as VerificationError;
  }
  throw new Error('expected a VerificationError');
}

describe('parseMessage: trade_status_sync', () => {
  it('types every field of a real direct-pay notification and gives amounts in fen beside the strings', () => {
    const m = parseMessage(DIRECT_PAY_NOTIFY, { via: 'notify' });
    if (m.kind !== 'trade_status_sync') throw new Error(`kind ${m.kind}`);
    expect(m.via).toBe('notify');
    expect(m.trade_status).toBe('TRADE_SUCCESS');
    expect(m.out_trade_no).toBe('R990240665');
    expect(m.trade_no).toBe('2014111159601788');
    expect(m.total_fee).toBe('1.43');
    expect(m.totalFen).toBe(143);
    expect(m.priceFen).toBe(143);
    expect(m.discountFen).toBe(0);
    expect(m.seller_id).toBe('2088611493982911');
    expect(m.notify_id).toBe('1d583bc9cf21ed879bcd428fd53ed5e16w');
    expect(m.is_total_fee_adjust).toBe('N');
    expect(m.refund_status).toBeUndefined();
    expect(m.raw).toEqual(DIRECT_PAY_NOTIFY);
  });

  it('keeps fields it does not know in raw instead of dropping them', () => {
    const m = parseMessage({ ...DIRECT_PAY_NOTIFY, fund_bill_list: 'x', partnerId: 'y' }, { via: 'notify' });
    expect(m.raw.fund_bill_list).toBe('x');
    expect(m.raw.partnerId).toBe('y');
  });

  it('reads the escrow return of protocol.md §5.2 with logistics, consignee and action sets', () => {
    const m = parseMessage(
      {
        buyer_actions: 'REFUND,CONFIRM_GOODS',
        seller_actions: 'EXTEND_TIMEOUT',
        discount: '-1.00',
        exterface: 'create_partner_trade_by_buyer',
        is_success: 'T',
        logistics_fee: '10.00',
        logistics_payment: 'SELLER_PAY',
        logistics_type: 'DIRECT',
        notify_id: 'RqPnCoPT3K9%2Fvwbh3InSN9bfmzKk3CpDC2p8BqOTbj8IE0lLjRCBiSNAHwr%2FHA48bafR',
        notify_type: 'trade_status_sync',
        out_trade_no: 'A1',
        trade_no: '2015051900001000980052833539',
        trade_status: 'WAIT_BUYER_CONFIRM_GOODS',
        receive_address: '上海 浦东新区 张江路 1 号',
        receive_name: '张三',
        total_fee: '9.00',
      },
      { via: 'return' },
    );
    if (m.kind !== 'trade_status_sync') throw new Error(`kind ${m.kind}`);
    expect(m.is_success).toBe('T');
    expect(m.exterface).toBe('create_partner_trade_by_buyer');
    expect(m.buyerActions).toEqual(['REFUND', 'CONFIRM_GOODS']);
    expect(m.sellerActions).toEqual(['EXTEND_TIMEOUT']);
    expect(m.discountFen).toBe(-100);
    expect(m.logisticsFeeFen).toBe(1000);
    expect(m.logistics_type).toBe('DIRECT');
    expect(m.receive_address).toBe('上海 浦东新区 张江路 1 号');
    expect(m.notify_id).toContain('%2F');
  });

  it('reads refund_status and gmt_refund of a refund notification', () => {
    const m = parseMessage(
      { ...DIRECT_PAY_NOTIFY, trade_status: 'TRADE_CLOSED', refund_status: 'REFUND_SUCCESS', gmt_refund: '2014-11-12 10:00:00' },
      { via: 'notify' },
    );
    if (m.kind !== 'trade_status_sync') throw new Error(`kind ${m.kind}`);
    expect(m.refund_status).toBe('REFUND_SUCCESS');
    expect(m.gmt_refund).toBe('2014-11-12 10:00:00');
  });

  it('refuses an unknown trade_status, an unknown refund_status, a malformed amount and a missing out_trade_no', () => {
    expect(refusal(() => parseMessage({ ...DIRECT_PAY_NOTIFY, trade_status: 'PAID' }, { via: 'notify' })).message).toMatch(/unknown trade_status "PAID"/);
    expect(refusal(() => parseMessage({ ...DIRECT_PAY_NOTIFY, refund_status: 'DONE' }, { via: 'notify' })).reason).toBe('malformed');
    expect(refusal(() => parseMessage({ ...DIRECT_PAY_NOTIFY, total_fee: '1.431' }, { via: 'notify' })).message).toMatch(/total_fee="1.431"/);
    const { out_trade_no: _drop, ...noOrder } = DIRECT_PAY_NOTIFY;
    expect(refusal(() => parseMessage(noOrder, { via: 'notify' })).message).toMatch(/without out_trade_no/);
  });

  it('refuses an is_success that is neither T nor F', () => {
    expect(refusal(() => parseMessage({ ...DIRECT_PAY_NOTIFY, is_success: 'Y' }, { via: 'return' })).reason).toBe('malformed');
  });
});

describe('parseMessage: other kinds', () => {
  it('reads batch_refund_notify with its result_details items, fee part included', () => {
    const m = parseMessage(
      {
        notify_type: 'batch_refund_notify',
        notify_id: 'abc',
        batch_no: '20100319001',
        success_num: '1',
        result_details: '2010031906272929^80^SUCCESS$jax_chuanhang@alipay.com^2088101003147483^0.01^SUCCESS#2010031906272930^1.50^TRADE_HAS_REFUNDED',
      },
      { via: 'notify' },
    );
    if (m.kind !== 'batch_refund_notify') throw new Error(`kind ${m.kind}`);
    expect(m.successCount).toBe(1);
    expect(m.items).toEqual([
      {
        tradeNo: '2010031906272929',
        amount: '80',
        amountFen: 8000,
        result: 'SUCCESS',
        succeeded: true,
        fee: { account: 'jax_chuanhang@alipay.com', userId: '2088101003147483', amount: '0.01', amountFen: 1, result: 'SUCCESS', succeeded: true },
      },
      { tradeNo: '2010031906272930', amount: '1.50', amountFen: 150, result: 'TRADE_HAS_REFUNDED', succeeded: false },
    ]);
  });

  it('reads the quick-login return (user_id, token, real_name, email, target_url)', () => {
    const m = parseMessage(
      {
        is_success: 'T',
        notify_id: 'RqPnCoPT3K9%2Fvwbh3InYzfHVJnsAXx47glUDgzAAXdqKLUBxzxXLJF8jNg%2BY8Dm56Ps3',
        token: '20170516dc13a31c01ba44b09df31ebe53486X86',
        user_id: '2088102597366867',
        real_name: '张三',
        email: 'buyer@example.com',
        target_url: 'https://shop.example/etao',
        sign: 'x',
        sign_type: 'MD5',
      },
      { via: 'return' },
    );
    if (m.kind !== 'auth_return') throw new Error(`kind ${m.kind}`);
    expect([m.user_id, m.token, m.real_name, m.email, m.target_url]).toEqual([
      '2088102597366867',
      '20170516dc13a31c01ba44b09df31ebe53486X86',
      '张三',
      'buyer@example.com',
      'https://shop.example/etao',
    ]);
  });

  it('reads the etao entry of a buyer not signed in (target_url and notify_id only) as etao_entry', () => {
    const m = parseMessage({ notify_id: 'RqPnCoPT3K9%2Fvwbh3In', target_url: 'https://shop.example/items/7', sign: 'x', sign_type: 'MD5' }, { via: 'return' });
    if (m.kind !== 'etao_entry') throw new Error(`kind ${m.kind}`);
    expect([m.target_url, m.notify_id]).toEqual(['https://shop.example/items/7', 'RqPnCoPT3K9%2Fvwbh3In']);
    // With a user it is the quick-login return; a trade status makes it a notification.
    expect(parseMessage({ user_id: '2088102597366867', token: 't'.repeat(40), target_url: 'https://shop.example/' }, { via: 'return' }).kind).toBe('auth_return');
    expect(() => parseMessage({ trade_status: 'TRADE_SUCCESS', out_trade_no: '1', target_url: 'https://shop.example/' }, { via: 'notify' })).toThrow(/trade_status_sync message without trade_no/);
  });

  it('reads the address-query return with its receive_address XML parsed, even entity-escaped', () => {
    const xml = '&lt;receive_address&gt;&lt;prov&gt;上海&lt;/prov&gt;&lt;area&gt;浦东新区&lt;/area&gt;&lt;fullname&gt;A &amp;amp; B&lt;/fullname&gt;&lt;/receive_address&gt;';
    const m = parseMessage({ is_success: 'T', user_id: '2088000000000001', receive_address: xml }, { via: 'return' });
    if (m.kind !== 'address_return') throw new Error(`kind ${m.kind}`);
    expect(m.address).toMatchObject({ prov: '上海', area: '浦东新区', fullname: 'A & B' });
    expect(m.receive_address).toBe(xml);
  });

  it('refuses an address return whose receive_address is not XML', () => {
    expect(
      refusal(() => parseMessage({ user_id: '2088000000000001', receive_address: '<receive_address><prov>上海</receive_address>' }, { via: 'return' })).reason,
    ).toBe('malformed');
  });

  it('gives kind "other" with raw for notifications it does not model', () => {
    const m = parseMessage({ notify_type: 'batch_trans_notify', notify_id: 'n', batch_no: '1', success_details: 'a^b' }, { via: 'notify' });
    expect(m.kind).toBe('other');
    expect(m.notify_type).toBe('batch_trans_notify');
    expect(m.raw.success_details).toBe('a^b');
  });
});
