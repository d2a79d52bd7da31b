import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors.js';
import { tradeTotalFen } from './fees.js';
import { logisticsGroups } from './logistics.js';
import { batchNoProblem, formatRefundDetailData, parseRefundDetailData } from './refund-detail.js';
import { SERVICES } from './registry.js';
import { customTimeoutParams, validateServiceRequest } from './validate.js';

const PARTNER = '2088101122136241';
const TRADE_NO = '2015051900001000980052833539';
// 2015-01-01 12:00:00 Beijing time.
const NOW = Date.UTC(2015, 0, 1, 4, 0, 0);

const VALID: Record<string, Record<string, string>> = {
  create_direct_pay_by_user: {
    service: 'create_direct_pay_by_user',
    _input_charset: 'utf-8',
    partner: PARTNER,
    seller_id: PARTNER,
    payment_type: '1',
    out_trade_no: 'A1',
    subject: '测试',
    total_fee: '0.01',
    notify_url: 'https://shop.example.com/alipay/notify',
    return_url: 'http://127.0.0.1:3000/alipay/return',
  },
  create_partner_trade_by_buyer: {
    service: 'create_partner_trade_by_buyer',
    _input_charset: 'utf-8',
    partner: PARTNER,
    seller_id: PARTNER,
    payment_type: '1',
    out_trade_no: 'A1',
    subject: 'test',
    logistics_type: 'POST',
    logistics_fee: '0',
    logistics_payment: 'SELLER_PAY',
    price: '0.01',
    quantity: '1',
  },
  'alipay.auth.authorize': {
    service: 'alipay.auth.authorize',
    partner: PARTNER,
    _input_charset: 'utf-8',
    target_service: 'user.auth.quick.login',
    return_url: 'https://shop.example.com/login/return',
  },
  'user.logistics.address.query': {
    service: 'user.logistics.address.query',
    partner: PARTNER,
    return_url: 'https://shop.example.com/address/return',
    token: '20170516dc13a31c01ba44b09df31ebe53486X86',
  },
  refund_fastpay_by_platform_pwd: {
    service: 'refund_fastpay_by_platform_pwd',
    partner: PARTNER,
    seller_user_id: PARTNER,
    refund_date: '2015-01-01 12:00:00',
    batch_no: '20150101001',
    batch_num: '2',
    detail_data: `${TRADE_NO}^0.01^协商退款#2015051900001000980052833540^1.00^`,
  },
  send_goods_confirm_by_platform: {
    service: 'send_goods_confirm_by_platform',
    partner: PARTNER,
    trade_no: TRADE_NO,
    logistics_name: '顺丰',
    transport_type: 'EXPRESS',
  },
  single_trade_query: { service: 'single_trade_query', partner: PARTNER, out_trade_no: 'A1' },
  close_trade: { service: 'close_trade', partner: PARTNER, out_order_no: 'A1', trade_role: 'S' },
  query_timestamp: { service: 'query_timestamp', partner: PARTNER, _input_charset: 'utf-8' },
  notify_verify: { service: 'notify_verify', partner: PARTNER, notify_id: 'RqPnCoPT3K9%2Fvwbh3InSN9bfmzKk3CpDC2p8BqOTbj8IE0lLjRCBiSNAHwr%2FHA48bafR' },
};
VALID.trade_create_by_buyer = { ...VALID.create_partner_trade_by_buyer!, service: 'trade_create_by_buyer' };

function refusal(params: Record<string, string | undefined>, now?: number): GatewayError {
  try {
    validateServiceRequest(params, now === undefined ? {} : { now });
  } catch (e) {
    expect(e).toBeInstanceOf(GatewayError);
    return e as GatewayError;
  }
  throw new Error(`expected a refusal of ${JSON.stringify(params)}`);
}

function valid(service: string, changes: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { ...VALID[service], ...changes };
}

describe('validateServiceRequest: the valid request of every service passes', () => {
  for (const [service, params] of Object.entries(VALID)) {
    it(`accepts a minimal valid ${service} request`, () => {
      expect(validateServiceRequest(params, { now: NOW }).service).toBe(service);
      expect(validateServiceRequest(params, { now: NOW }).schema).toBe(SERVICES[service as keyof typeof SERVICES]);
    });
  }

  it('covers every service of the registry', () => {
    expect(Object.keys(VALID).sort()).toEqual(Object.keys(SERVICES).sort());
  });

  it('says which kind each service is', () => {
    expect(SERVICES.create_direct_pay_by_user.kind).toBe('page');
    expect(SERVICES.refund_fastpay_by_platform_pwd.kind).toBe('page');
    expect(SERVICES.single_trade_query.kind).toBe('server');
    expect(SERVICES.query_timestamp.kind).toBe('unsigned');
    expect(SERVICES.notify_verify.kind).toBe('unsigned');
  });

  it('allows parameters outside the schema, as the real gateway did', () => {
    expect(() => validateServiceRequest(valid('single_trade_query', { something_new: 'x' }))).not.toThrow();
  });
});

// [what, service, changes, code, param, message fragment]
type Case = [string, string, Record<string, string | undefined>, string, string, RegExp?];

const REFUSALS: Case[] = [
  // Service, charset, sign type, partner.
  ['a missing service', 'single_trade_query', { service: undefined }, 'ILLEGAL_SERVICE', 'service', /form body was lost/],
  ['an unknown service', 'single_trade_query', { service: 'create_direct_pay' }, 'ILLEGAL_SERVICE', 'service', /use one of/],
  ['a prototype name as service', 'single_trade_query', { service: 'constructor' }, 'ILLEGAL_SERVICE', 'service'],
  ['an unsupported charset', 'single_trade_query', { _input_charset: 'big5' }, 'ILLEGAL_CHARSET', '_input_charset'],
  ['a lower-case sign_type', 'single_trade_query', { sign_type: 'md5' }, 'ILLEGAL_SIGN_TYPE', 'sign_type'],
  ['a missing partner', 'single_trade_query', { partner: '' }, 'ILLEGAL_PARTNER', 'partner'],
  ['a partner that is not 16 digits', 'single_trade_query', { partner: '208810112213624' }, 'ILLEGAL_PARTNER', 'partner'],
  // Required and lengths.
  ['a missing out_trade_no', 'create_direct_pay_by_user', { out_trade_no: '' }, 'PARAMTER_IS_NULL', 'out_trade_no', /required/],
  ['a missing subject', 'create_direct_pay_by_user', { subject: undefined }, 'PARAMTER_IS_NULL', 'subject'],
  ['an out_trade_no of 65 characters', 'create_direct_pay_by_user', { out_trade_no: 'x'.repeat(65) }, 'ILLEGAL_ARGUMENT', 'out_trade_no', /too long/],
  ['a subject of 129 Chinese characters', 'create_direct_pay_by_user', { subject: '测'.repeat(129) }, 'ILLEGAL_ARGUMENT', 'subject', /Chinese characters count 2/],
  ['a body over 400 in escrow', 'create_partner_trade_by_buyer', { body: 'b'.repeat(401) }, 'ILLEGAL_ARGUMENT', 'body'],
  // URLs.
  ['a notify_url with a query string', 'create_direct_pay_by_user', { notify_url: 'https://shop.example.com/notify?id=123' }, 'ILLEGAL_ARGUMENT', 'notify_url', /query string/],
  ['a return_url with a query string', 'create_direct_pay_by_user', { return_url: 'https://shop.example.com/return?' }, 'ILLEGAL_ARGUMENT', 'return_url'],
  ['a show_url with a query string', 'create_direct_pay_by_user', { show_url: 'http://www.xxx.com/alipay/order_detail.asp?id=123' }, 'ILLEGAL_ARGUMENT', 'show_url'],
  ['a relative notify_url', 'create_direct_pay_by_user', { notify_url: '/some_url' }, 'ILLEGAL_ARGUMENT', 'notify_url', /absolute/],
  ['an ftp return_url', 'create_direct_pay_by_user', { return_url: 'ftp://shop.example.com/r' }, 'ILLEGAL_ARGUMENT', 'return_url'],
  ['a notify_url over 190 characters in direct pay', 'create_direct_pay_by_user', { notify_url: `https://a.example.com/${'n'.repeat(170)}` }, 'ILLEGAL_ARGUMENT', 'notify_url'],
  // Direct-pay amounts.
  ['total_fee together with price and quantity', 'create_direct_pay_by_user', { price: '0.01', quantity: '1' }, 'ILLEGAL_FEE_PARAM', 'total_fee', /never both/],
  ['total_fee together with quantity', 'create_direct_pay_by_user', { quantity: '1' }, 'ILLEGAL_FEE_PARAM', 'total_fee'],
  ['no amount at all', 'create_direct_pay_by_user', { total_fee: undefined }, 'ILLEGAL_FEE_PARAM', 'total_fee', /no amount/],
  ['price without quantity', 'create_direct_pay_by_user', { total_fee: undefined, price: '1.00' }, 'ILLEGAL_FEE_PARAM', 'quantity'],
  ['quantity without price', 'create_direct_pay_by_user', { total_fee: undefined, quantity: '2' }, 'ILLEGAL_FEE_PARAM', 'price'],
  ['a total_fee with three decimals', 'create_direct_pay_by_user', { total_fee: '0.011' }, 'ILLEGAL_FEE_PARAM', 'total_fee', /two decimals/],
  ['a total_fee in exponent notation', 'create_direct_pay_by_user', { total_fee: '1e2' }, 'ILLEGAL_FEE_PARAM', 'total_fee'],
  ['a total_fee of zero', 'create_direct_pay_by_user', { total_fee: '0.00' }, 'TOTAL_FEE_LESSEQUAL_ZERO', 'total_fee'],
  ['a negative total_fee', 'create_direct_pay_by_user', { total_fee: '-1.00' }, 'TOTAL_FEE_LESSEQUAL_ZERO', 'total_fee'],
  ['a total_fee above 100000000.00', 'create_direct_pay_by_user', { total_fee: '100000000.01' }, 'TOTAL_FEE_OUT_OF_RANGE', 'total_fee'],
  ['a quantity of zero', 'create_direct_pay_by_user', { total_fee: undefined, price: '1.00', quantity: '0' }, 'ILLEGAL_FEE_PARAM', 'quantity'],
  ['a fractional quantity', 'create_direct_pay_by_user', { total_fee: undefined, price: '1.00', quantity: '1.5' }, 'ILLEGAL_FEE_PARAM', 'quantity'],
  ['price × quantity above the limit', 'create_direct_pay_by_user', { total_fee: undefined, price: '50000000.00', quantity: '3' }, 'TOTAL_FEE_OUT_OF_RANGE', 'price'],
  // payment_type.
  ['a payment_type outside the list', 'create_direct_pay_by_user', { payment_type: '9' }, 'ILLEGAL_PAYMENT_TYPE', 'payment_type'],
  ['payment_type 2 for escrow', 'create_partner_trade_by_buyer', { payment_type: '2' }, 'ILLEGAL_PAYMENT_TYPE', 'payment_type', /exactly "1"/],
  ['payment_type 47 without a voucher id', 'create_direct_pay_by_user', { payment_type: '47' }, 'ILLEGAL_ARGUMENT', 'extend_param', /evoucheprod_evouche_id/],
  // Seller.
  ['no seller at all', 'create_direct_pay_by_user', { seller_id: undefined }, 'PARAMTER_IS_NULL', 'seller_id', /one of seller_id/],
  ['a seller_id that is not a user id', 'create_direct_pay_by_user', { seller_id: 'abc' }, 'ILLEGAL_ARGUMENT', 'seller_id', /16-digit/],
  ['a seller_email that is no account', 'create_partner_trade_by_buyer', { seller_email: 'not an email' }, 'ILLEGAL_ARGUMENT', 'seller_email'],
  // Other direct-pay parameters.
  ['"=" in extra_common_param', 'create_direct_pay_by_user', { extra_common_param: 'a=1' }, 'ILLEGAL_ARGUMENT', 'extra_common_param', /remove "=" and "&"/],
  ['"&" in extra_common_param', 'create_direct_pay_by_user', { extra_common_param: 'a&b' }, 'ILLEGAL_ARGUMENT', 'extra_common_param'],
  ['an extra_common_param over 100', 'create_direct_pay_by_user', { extra_common_param: 'x'.repeat(101) }, 'ILLEGAL_ARGUMENT', 'extra_common_param'],
  ['an it_b_pay in decimals', 'create_direct_pay_by_user', { it_b_pay: '1.5h' }, 'ILLEGAL_ARGUMENT', 'it_b_pay', /whole number/],
  ['an it_b_pay of 0m', 'create_direct_pay_by_user', { it_b_pay: '0m' }, 'ILLEGAL_ARGUMENT', 'it_b_pay'],
  ['an it_b_pay of 16d', 'create_direct_pay_by_user', { it_b_pay: '16d' }, 'ILLEGAL_ARGUMENT', 'it_b_pay', /15d/],
  ['an it_b_pay of 361h', 'create_direct_pay_by_user', { it_b_pay: '361h' }, 'ILLEGAL_ARGUMENT', 'it_b_pay'],
  ['an it_b_pay of 2c', 'create_direct_pay_by_user', { it_b_pay: '2c' }, 'ILLEGAL_ARGUMENT', 'it_b_pay'],
  ['a malformed exter_invoke_ip', 'create_direct_pay_by_user', { exter_invoke_ip: '202.1.1' }, 'ILLEGAL_EXTER_INVOKE_IP', 'exter_invoke_ip'],
  ['an exter_invoke_ip octet above 255', 'create_direct_pay_by_user', { exter_invoke_ip: '202.1.1.256' }, 'ILLEGAL_EXTER_INVOKE_IP', 'exter_invoke_ip'],
  ['an anti_phishing_key with spaces', 'create_direct_pay_by_user', { anti_phishing_key: 'a b' }, 'ILLEGAL_ANTI_PHISHING_KEY', 'anti_phishing_key'],
  ['a paymethod in the wrong case', 'create_direct_pay_by_user', { paymethod: 'directpay' }, 'ILLEGAL_ARGUMENT', 'paymethod', /case-sensitive/],
  ['a token over 40 characters', 'create_direct_pay_by_user', { token: 'a'.repeat(41) }, 'ILLEGAL_ARGUMENT', 'token'],
  ['sign_id_ext without sign_name_ext', 'create_direct_pay_by_user', { sign_id_ext: 'u1' }, 'PARAMTER_IS_NULL', 'sign_name_ext'],
  ['royalty_type without royalty_parameters', 'create_direct_pay_by_user', { royalty_type: '10' }, 'ROYALTY_FORAMT_ERROR', 'royalty_parameters'],
  ['a royalty_type other than 10', 'create_direct_pay_by_user', { royalty_type: '11', royalty_parameters: 'a@b.com^0.01^x' }, 'ROYALTY_FORAMT_ERROR', 'royalty_type'],
  ['a royalty share without amount', 'create_direct_pay_by_user', { royalty_type: '10', royalty_parameters: 'a@b.com' }, 'ROYALTY_FORAMT_ERROR', 'royalty_parameters'],
  ['a malformed extend_param', 'create_direct_pay_by_user', { extend_param: 'novalue' }, 'ILLEGAL_ARGUMENT', 'extend_param'],
  ['a defaultbank with spaces', 'create_direct_pay_by_user', { paymethod: 'bankPay', defaultbank: 'ICBC B2C' }, 'ILLEGAL_ARGUMENT', 'defaultbank'],
  ['an enable_paymethod joined with commas', 'create_direct_pay_by_user', { enable_paymethod: 'directPay,bankPay' }, 'ILLEGAL_ARGUMENT', 'enable_paymethod', /join channel names with \^/],
  ['a need_ctu_check of yes', 'create_direct_pay_by_user', { need_ctu_check: 'yes' }, 'ILLEGAL_ARGUMENT', 'need_ctu_check'],
  ['a default_login of T', 'create_direct_pay_by_user', { default_login: 'T' }, 'ILLEGAL_ARGUMENT', 'default_login'],
  ['a buyer_id of 15 digits', 'create_direct_pay_by_user', { buyer_id: '208810112213624' }, 'ILLEGAL_ARGUMENT', 'buyer_id'],
  ['an error_notify_url with a query', 'create_direct_pay_by_user', { error_notify_url: 'https://a.example.com/e?x=1' }, 'ILLEGAL_ARGUMENT', 'error_notify_url'],
  ['a product_type over 50', 'create_direct_pay_by_user', { product_type: 'P'.repeat(51) }, 'ILLEGAL_ARGUMENT', 'product_type'],
  ['a qr_pay_mode outside 0–3', 'create_direct_pay_by_user', { qr_pay_mode: '5' }, 'ILLEGAL_ARGUMENT', 'qr_pay_mode'],
  // Escrow amounts.
  ['escrow without price', 'create_partner_trade_by_buyer', { price: undefined }, 'ILLEGAL_FEE_PARAM', 'price'],
  ['escrow without quantity', 'trade_create_by_buyer', { quantity: '' }, 'ILLEGAL_FEE_PARAM', 'quantity'],
  ['an escrow price above 1000000.00', 'create_partner_trade_by_buyer', { price: '1000000.01' }, 'TOTAL_FEE_OUT_OF_RANGE', 'price'],
  ['an escrow price of zero', 'create_partner_trade_by_buyer', { price: '0' }, 'TOTAL_FEE_LESSEQUAL_ZERO', 'price'],
  ['escrow price × quantity above 1000000.00', 'create_partner_trade_by_buyer', { price: '600000.00', quantity: '2' }, 'TOTAL_FEE_OUT_OF_RANGE', 'price'],
  ['a discount that cancels the price', 'create_partner_trade_by_buyer', { discount: '-0.01' }, 'TOTAL_FEE_LESSEQUAL_ZERO', 'discount'],
  ['a malformed discount', 'create_partner_trade_by_buyer', { discount: '1.234' }, 'ILLEGAL_FEE_PARAM', 'discount'],
  // Logistics groups.
  ['escrow without logistics', 'create_partner_trade_by_buyer', { logistics_type: undefined, logistics_fee: undefined, logistics_payment: undefined }, 'ILLEGAL_LOGISTICS_FORMAT', 'logistics_type', /at least one logistics option/],
  ['a first group without fee', 'create_partner_trade_by_buyer', { logistics_fee: '' }, 'ILLEGAL_LOGISTICS_FORMAT', 'logistics_fee', /all set or all empty/],
  ['a second group with only a type', 'create_partner_trade_by_buyer', { logistics_type_1: 'EMS' }, 'ILLEGAL_LOGISTICS_FORMAT', 'logistics_fee_1'],
  ['a third group without the second', 'create_partner_trade_by_buyer', { logistics_type_2: 'EMS', logistics_fee_2: '10.00', logistics_payment_2: 'BUYER_PAY' }, 'ILLEGAL_LOGISTICS_FORMAT', 'logistics_type_1', /without the second/],
  ['two groups of the same type', 'create_partner_trade_by_buyer', { logistics_type_1: 'POST', logistics_fee_1: '5.00', logistics_payment_1: 'BUYER_PAY' }, 'ILLEGAL_LOGISTICS_FORMAT', 'logistics_type_1', /different type/],
  ['an unknown logistics type', 'create_partner_trade_by_buyer', { logistics_type: 'VIRTUAL' }, 'ILLEGAL_LOGISTICS_FORMAT', 'logistics_type'],
  ['an unknown logistics payment', 'trade_create_by_buyer', { logistics_payment: 'COD' }, 'ILLEGAL_LOGISTICS_FORMAT', 'logistics_payment'],
  ['a negative freight', 'create_partner_trade_by_buyer', { logistics_fee: '-1.00' }, 'ILLEGAL_LOGISTICS_FORMAT', 'logistics_fee'],
  // Escrow consignee and timeouts.
  ['a receive_zip without name and address', 'create_partner_trade_by_buyer', { receive_zip: '310000' }, 'PARAMTER_IS_NULL', 'receive_name', /receive_name and receive_address/],
  ['a receive_name without address', 'create_partner_trade_by_buyer', { receive_name: '张三' }, 'PARAMTER_IS_NULL', 'receive_address'],
  ['a receive_zip with letters and symbols', 'create_partner_trade_by_buyer', { receive_name: 'a', receive_address: 'b', receive_zip: '31#000' }, 'ILLEGAL_ARGUMENT', 'receive_zip'],
  ['a receive_mobile with letters', 'create_partner_trade_by_buyer', { receive_name: 'a', receive_address: 'b', receive_mobile: '138abc' }, 'ILLEGAL_ARGUMENT', 'receive_mobile'],
  ['a receive_address over 256', 'create_partner_trade_by_buyer', { receive_name: 'a', receive_address: '路'.repeat(129) }, 'ILLEGAL_ARGUMENT', 'receive_address'],
  ['an escrow total_fee of zero', 'create_partner_trade_by_buyer', { total_fee: '0.00' }, 'TOTAL_FEE_LESSEQUAL_ZERO', 'total_fee'],
  ['a t_s_send_1 of zero days', 'create_partner_trade_by_buyer', { t_s_send_1: '0' }, 'ILLEGAL_ARGUMENT', 't_s_send_1'],
  ['a t_b_rec_post that is not days', 'create_partner_trade_by_buyer', { t_b_rec_post: '10d' }, 'ILLEGAL_ARGUMENT', 't_b_rec_post'],
  // Quick login and address.
  ['auth without target_service', 'alipay.auth.authorize', { target_service: undefined }, 'ILLEGAL_TARGET_SERVICE', 'target_service'],
  ['auth with another target_service', 'alipay.auth.authorize', { target_service: 'user.auth.login' }, 'ILLEGAL_TARGET_SERVICE', 'target_service', /exactly "user\.auth\.quick\.login"/],
  ['auth without return_url', 'alipay.auth.authorize', { return_url: undefined }, 'PARAMTER_IS_NULL', 'return_url'],
  ['address query without token', 'user.logistics.address.query', { token: undefined }, 'PARAMTER_IS_NULL', 'token', /alipay\.auth\.authorize/],
  // Refund batch.
  ['a refund without seller', 'refund_fastpay_by_platform_pwd', { seller_user_id: undefined }, 'PARAMTER_IS_NULL', 'seller_user_id'],
  ['a refund_date that is no time', 'refund_fastpay_by_platform_pwd', { refund_date: '2015-02-30 00:00:00' }, 'ILLEGAL_ARGUMENT', 'refund_date'],
  ['a batch_num that does not count the items', 'refund_fastpay_by_platform_pwd', { batch_num: '1' }, 'ILLEGAL_ARGUMENT', 'batch_num', /number of "#"/],
  ['a batch_num above 1000', 'refund_fastpay_by_platform_pwd', { batch_num: '1001' }, 'ILLEGAL_ARGUMENT', 'batch_num'],
  ['a batch_no with a 2-character serial', 'refund_fastpay_by_platform_pwd', { batch_no: '2015010101' }, 'ILLEGAL_ARGUMENT', 'batch_no', /3–24/],
  ['a batch_no with a 25-character serial', 'refund_fastpay_by_platform_pwd', { batch_no: `20150101${'1'.repeat(25)}` }, 'ILLEGAL_ARGUMENT', 'batch_no'],
  ['a batch_no with the serial 000', 'refund_fastpay_by_platform_pwd', { batch_no: '20150101000' }, 'ILLEGAL_ARGUMENT', 'batch_no', /000/],
  ['a batch_no whose date is not a date', 'refund_fastpay_by_platform_pwd', { batch_no: '20151301001' }, 'ILLEGAL_ARGUMENT', 'batch_no', /not a date/],
  ['a detail_data item with two fields', 'refund_fastpay_by_platform_pwd', { batch_num: '1', detail_data: `${TRADE_NO}^0.01` }, 'ILLEGAL_ARGUMENT', 'detail_data', /trade_no\^amount\^reason/],
  ['a reason containing ^', 'refund_fastpay_by_platform_pwd', { batch_num: '1', detail_data: `${TRADE_NO}^0.01^a^b` }, 'ILLEGAL_ARGUMENT', 'detail_data'],
  ['a reason containing $', 'refund_fastpay_by_platform_pwd', { batch_num: '1', detail_data: `${TRADE_NO}^0.01^a$b` }, 'ILLEGAL_ARGUMENT', 'detail_data', /\^ \$ \| or #/],
  ['a reason containing |', 'refund_fastpay_by_platform_pwd', { batch_num: '1', detail_data: `${TRADE_NO}^0.01^a|b` }, 'ILLEGAL_ARGUMENT', 'detail_data'],
  ['a reason of 256 bytes', 'refund_fastpay_by_platform_pwd', { batch_num: '1', detail_data: `${TRADE_NO}^0.01^${'退'.repeat(128)}` }, 'ILLEGAL_ARGUMENT', 'detail_data', /under 256 bytes/],
  ['a refund of zero', 'refund_fastpay_by_platform_pwd', { batch_num: '1', detail_data: `${TRADE_NO}^0.00^x` }, 'ILLEGAL_ARGUMENT', 'detail_data', /above zero/],
  ['a refund of an out_trade_no', 'refund_fastpay_by_platform_pwd', { batch_num: '1', detail_data: 'A1^0.01^x' }, 'ILLEGAL_ARGUMENT', 'detail_data', /not your out_trade_no/],
  ['the same trade twice in a batch', 'refund_fastpay_by_platform_pwd', { detail_data: `${TRADE_NO}^0.01^a#${TRADE_NO}^0.02^b` }, 'ILLEGAL_ARGUMENT', 'detail_data', /one line per trade/],
  // Server calls.
  ['send goods without a transport type', 'send_goods_confirm_by_platform', { transport_type: undefined }, 'PARAMTER_IS_NULL', 'transport_type', /transport_type/],
  ['send goods with an unknown transport type', 'send_goods_confirm_by_platform', { transport_type: 'SHIP' }, 'ILLEGAL_LOGISTICS_FORMAT', 'transport_type'],
  ['send goods with an out_trade_no as trade_no', 'send_goods_confirm_by_platform', { trade_no: 'A1' }, 'ILLEGAL_ARGUMENT', 'trade_no', /not your own out_trade_no/],
  ['send goods without logistics_name', 'send_goods_confirm_by_platform', { logistics_name: '' }, 'PARAMTER_IS_NULL', 'logistics_name'],
  ['an invoice_no over 32', 'send_goods_confirm_by_platform', { invoice_no: '9'.repeat(33) }, 'ILLEGAL_ARGUMENT', 'invoice_no'],
  ['a logistics_name over 64', 'send_goods_confirm_by_platform', { logistics_name: '快'.repeat(33) }, 'ILLEGAL_ARGUMENT', 'logistics_name'],
  ['a query by a malformed trade_no', 'single_trade_query', { trade_no: '12345' }, 'ILLEGAL_ARGUMENT', 'trade_no'],
  ['a malformed seller_ip', 'send_goods_confirm_by_platform', { seller_ip: 'localhost' }, 'ILLEGAL_ARGUMENT', 'seller_ip'],
  ['a query without trade_no or out_trade_no', 'single_trade_query', { out_trade_no: undefined }, 'PARAMTER_IS_NULL', 'trade_no', /trade_no or your out_trade_no/],
  ['close_trade with out_trade_no instead of out_order_no', 'close_trade', { out_order_no: undefined, out_trade_no: 'A1' }, 'ILLEGAL_ARGUMENT', 'out_order_no', /not out_trade_no/],
  ['close_trade without any trade', 'close_trade', { out_order_no: undefined }, 'PARAMTER_IS_NULL', 'trade_no'],
  ['close_trade with trade_role X', 'close_trade', { trade_role: 'X' }, 'ILLEGAL_ARGUMENT', 'trade_role'],
  ['notify_verify without notify_id', 'notify_verify', { notify_id: undefined }, 'PARAMTER_IS_NULL', 'notify_id'],
];

describe('validateServiceRequest refuses with the gateway code, the parameter and a fix', () => {
  for (const [what, service, changes, code, param, message] of REFUSALS) {
    it(`refuses ${what} (${code})`, () => {
      const err = refusal(valid(service, changes), NOW);
      expect(err.code).toBe(code);
      expect(err.param).toBe(param);
      if (message) expect(err.message).toMatch(message);
      // Every message names the parameter and says how to fix it after a colon.
      expect(err.message).toContain(param === 'service' ? 'service' : param.replace(/_\d$/, ''));
      expect(err.message).toMatch(/: .+: /);
    });
  }
});

// Values right at the edges, and the shapes the refusals above must not catch.
const ACCEPTED: Array<[string, string, Record<string, string | undefined>]> = [
  ['a subject of exactly 128 Chinese characters', 'create_direct_pay_by_user', { subject: '测'.repeat(128) }],
  ['price and quantity instead of total_fee', 'create_direct_pay_by_user', { total_fee: undefined, price: '0.01', quantity: '3' }],
  ['total_fee of 0.01 and of 100000000.00', 'create_direct_pay_by_user', { total_fee: '100000000.00' }],
  ['an amount without decimals', 'create_direct_pay_by_user', { total_fee: '5' }],
  ['an empty value as absent', 'create_direct_pay_by_user', { body: '', price: '', quantity: '' }],
  ['seller_email instead of seller_id', 'create_direct_pay_by_user', { seller_id: undefined, seller_email: 'seller@example.com' }],
  ['a mobile number as seller_email', 'create_direct_pay_by_user', { seller_id: undefined, seller_email: '13800000000' }],
  ['extra_common_param with ^ and |', 'create_direct_pay_by_user', { extra_common_param: 'user^42|coupon^7' }],
  ['it_b_pay 1m, 90m, 15d, 360h and 1c', 'create_direct_pay_by_user', { it_b_pay: '90m' }],
  ['it_b_pay 15d', 'create_direct_pay_by_user', { it_b_pay: '15d' }],
  ['it_b_pay 360h', 'create_direct_pay_by_user', { it_b_pay: '360h' }],
  ['it_b_pay 1c', 'create_direct_pay_by_user', { it_b_pay: '1c' }],
  ['exter_invoke_ip and anti_phishing_key', 'create_direct_pay_by_user', { exter_invoke_ip: '202.1.1.2', anti_phishing_key: 'KPrzY9IGG9iM9PgLGw==' }],
  ['royalty shares', 'create_direct_pay_by_user', { royalty_type: '10', royalty_parameters: 'a@b.com^0.01^x|c@d.com^0.02^' }],
  ['payment_type 47 with a voucher id', 'create_direct_pay_by_user', { payment_type: '47', extend_param: 'evoucheprod_evouche_id^123' }],
  ['an https notify_url on a private address with a path', 'create_direct_pay_by_user', { notify_url: 'https://10.0.0.5:8443/a/b.php' }],
  ['three logistics options of different types', 'create_partner_trade_by_buyer', {
    logistics_type_1: 'EXPRESS', logistics_fee_1: '10.00', logistics_payment_1: 'BUYER_PAY',
    logistics_type_2: 'EMS', logistics_fee_2: '20.00', logistics_payment_2: 'BUYER_PAY_AFTER_RECEIVE',
  }],
  ['DIRECT logistics for virtual goods', 'create_partner_trade_by_buyer', { logistics_type: 'DIRECT' }],
  ['a discount that leaves something to pay', 'create_partner_trade_by_buyer', { price: '10.00', discount: '-9.99' }],
  ['an escrow price of exactly 1000000.00', 'create_partner_trade_by_buyer', { price: '1000000.00' }],
  ['a pre-filled consignee', 'trade_create_by_buyer', { receive_name: '张三', receive_address: '浦东新区张江路1号', receive_zip: '201203', receive_phone: '0571-88158090', receive_mobile: '13800000000' }],
  ['custom escrow timeouts', 'create_partner_trade_by_buyer', { t_s_send_1: '7', t_s_send_2: '14', t_b_rec_post: '10.5' }],
  ['a refund batch with a 24-character alphanumeric serial', 'refund_fastpay_by_platform_pwd', { batch_no: `20150101${'A1'.repeat(12)}` }],
  ['a refund by seller_email', 'refund_fastpay_by_platform_pwd', { seller_user_id: undefined, seller_email: 'seller@example.com' }],
  ['a query by trade_no', 'single_trade_query', { out_trade_no: undefined, trade_no: TRADE_NO }],
  ['close_trade by trade_no', 'close_trade', { out_order_no: undefined, trade_no: TRADE_NO }],
  ['send goods with create_transport_type', 'send_goods_confirm_by_platform', { transport_type: undefined, create_transport_type: 'DIRECT', seller_ip: '10.0.0.1', invoice_no: 'SF1234567890' }],
  ['GBK and upper-case charset names', 'query_timestamp', { _input_charset: 'GBK' }],
  ['a sign_type RSA', 'single_trade_query', { sign_type: 'RSA' }],
  ['bank payment with a bank code and channels', 'create_direct_pay_by_user', { paymethod: 'bankPay', defaultbank: 'PSBC-DEBIT', enable_paymethod: 'directPay^bankPay^cartoon^cash', need_ctu_check: 'N' }],
  ['buyer fields, default_login, product_type and an error_notify_url', 'create_direct_pay_by_user', { buyer_id: '2088202561123456', buyer_email: 'b@example.com', default_login: 'Y', product_type: 'CHANNEL_FAST_PAY', error_notify_url: 'https://a.example.com/e', qr_pay_mode: '2', sign_id_ext: 'u1', sign_name_ext: '张三' }],
  ['an escrow total_fee and a buyer', 'create_partner_trade_by_buyer', { total_fee: '0.01', buyer_email: 'b@example.com', token: '20170516dc13a31c01ba44b09df31ebe53486X86' }],
];

describe('validateServiceRequest accepts the edge values', () => {
  for (const [what, service, changes] of ACCEPTED) {
    it(`accepts ${what}`, () => {
      expect(validateServiceRequest(valid(service, changes), { now: NOW }).service).toBe(service);
    });
  }
});

describe('time-dependent refund rule', () => {
  const yesterday = valid('refund_fastpay_by_platform_pwd', { batch_no: '20141231001' });

  it("refuses a batch_no not dated today when now is given (Beijing time)", () => {
    const err = refusal(yesterday, NOW);
    expect(err.code).toBe('ILLEGAL_ARGUMENT');
    expect(err.param).toBe('batch_no');
    expect(err.message).toMatch(/not today \(20150101/);
  });

  it('skips the date check when now is absent', () => {
    expect(() => validateServiceRequest(yesterday)).not.toThrow();
  });

  it('uses the Beijing date, not UTC: 2014-12-31 17:00 UTC is already 2015-01-01 in Beijing', () => {
    expect(batchNoProblem('20150101001', Date.UTC(2014, 11, 31, 17, 0, 0))).toBeUndefined();
    expect(batchNoProblem('20141231001', Date.UTC(2014, 11, 31, 17, 0, 0))).toMatch(/not today/);
  });
});

describe('customTimeoutParams', () => {
  it('names the custom-timeout parameters a request carries', () => {
    expect(customTimeoutParams(valid('create_partner_trade_by_buyer', { it_b_pay: '1d', t_b_rec_post: '5' }))).toEqual(['it_b_pay', 't_b_rec_post']);
    expect(customTimeoutParams(valid('create_direct_pay_by_user', { it_b_pay: '30m' }))).toEqual(['it_b_pay']);
  });

  it('names none when there are none, or the service is unknown', () => {
    expect(customTimeoutParams(valid('create_direct_pay_by_user'))).toEqual([]);
    expect(customTimeoutParams({ service: 'nope', it_b_pay: '1d' })).toEqual([]);
  });
});

describe('helpers for the sandbox', () => {
  it('lists the logistics options in order', () => {
    const options = logisticsGroups(
      valid('create_partner_trade_by_buyer', { logistics_type_1: 'EMS', logistics_fee_1: '20.00', logistics_payment_1: 'BUYER_PAY' }),
    );
    expect(options.map((o) => [o.suffix, o.type, o.fee, o.payment])).toEqual([
      ['', 'POST', '0', 'SELLER_PAY'],
      ['_1', 'EMS', '20.00', 'BUYER_PAY'],
    ]);
  });

  it('computes the trade total: price × quantity + freight + discount, freight left out after receipt', () => {
    const p = valid('create_partner_trade_by_buyer', {
      price: '10.00', quantity: '3', discount: '-1.50', logistics_fee: '8.00', logistics_payment: 'BUYER_PAY',
      logistics_type_1: 'EMS', logistics_fee_1: '20.00', logistics_payment_1: 'BUYER_PAY_AFTER_RECEIVE',
    }) as Record<string, string>;
    expect(tradeTotalFen(p)).toBe(3000 + 800 - 150);
    expect(tradeTotalFen(p, { logisticsOption: 1 })).toBe(3000 - 150);
    expect(tradeTotalFen(valid('create_direct_pay_by_user', { total_fee: '12.30' }) as Record<string, string>)).toBe(1230);
    expect(tradeTotalFen(valid('create_direct_pay_by_user', { total_fee: undefined, price: '0.5', quantity: '3' }) as Record<string, string>)).toBe(150);
  });

  it('reads and writes refund detail_data', () => {
    const items = [
      { trade_no: TRADE_NO, amount: '0.01', reason: '协商退款' },
      { trade_no: '2015051900001000980052833540', amount: '2.5', reason: '' },
    ];
    const detail = formatRefundDetailData(items);
    expect(detail).toBe(`${TRADE_NO}^0.01^协商退款#2015051900001000980052833540^2.5^`);
    expect(parseRefundDetailData(detail)).toEqual([
      { ...items[0], amountFen: 1 },
      { ...items[1], amountFen: 250 },
    ]);
  });

  it('refuses a batch of 1001 refunds', () => {
    const detail = Array.from({ length: 1001 }, (_, i) => `${2015051900001000980052833539n + BigInt(i)}^0.01^x`).join('#');
    expect(() => parseRefundDetailData(detail)).toThrow(/more than 1000/);
  });
});
