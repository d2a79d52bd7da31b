import { encodeForm, sign } from 'alipay-legacy/protocol';
import { SEED_BUYERS, SEED_MERCHANT } from '../src/seed.js';

/** The benches' trade: a signed create_direct_pay_by_user of the seeded merchant, as a /gateway.do path. */
export function paymentRequestPath(outTradeNo: string, notifyUrl: string): string {
  const params: Record<string, string> = {
    _input_charset: 'utf-8',
    partner: SEED_MERCHANT.partner,
    service: 'create_direct_pay_by_user',
    out_trade_no: outTradeNo,
    subject: '压测商品',
    payment_type: '1',
    total_fee: '0.01',
    seller_id: SEED_MERCHANT.partner,
    notify_url: notifyUrl,
  };
  const signed = { ...params, sign: sign(params, { key: SEED_MERCHANT.key, charset: 'utf-8' }), sign_type: 'MD5' };
  return `/gateway.do?${encodeForm(signed, 'utf-8')}`;
}

/** The JSON body of the benches' POST /sandbox/api/pay: the first seeded buyer pays. */
export function payBody(outTradeNo: string): string {
  return JSON.stringify({ partner: SEED_MERCHANT.partner, out_trade_no: outTradeNo, buyer: SEED_BUYERS[0]!.login });
}
