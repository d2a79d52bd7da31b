import { GatewayError } from '../errors.js';
import { isAmount, toFen } from '../money.js';
import { isBlank } from './check-param.js';
import {
  ANTI_PHISHING_KEY,
  EXTER_INVOKE_IP,
  EXTRA_COMMON_PARAM,
  INPUT_CHARSET,
  IT_B_PAY,
  NOTIFY_URL_190,
  OUT_TRADE_NO,
  PARTNER,
  RETURN_URL,
  SHOW_URL,
  SUBJECT,
  TOKEN,
  account,
  oneOf,
  requires,
  text,
  url,
  userId,
  yesNo,
} from './common.js';
import { DIRECT_PAY_MAX_FEN, directPayFeeRule, feeSpec, quantitySpec } from './fees.js';
import type { CrossFieldRule, ServiceSchema } from './schema.js';

/**
 * `create_direct_pay_by_user` (即时到账交易接口), protocol.md §4.1: the 2015-era request table, with
 * the older parameters still accepted.
 */

/** `payment_type` values (protocol.md §4.1): 1 商品购买 … 8 机票购买, 47 电子卡券. */
export const DIRECT_PAY_PAYMENT_TYPES = ['1', '2', '3', '4', '5', '6', '7', '8', '47'] as const;

/** `paymethod` values, 2015 doc plus the older ones (protocol.md §4.1). */
export const PAYMETHODS = ['directPay', 'creditPay', 'bankPay', 'cartoon', 'cash', 'CASH'] as const;

/** `royalty_parameters`: `account^amount^memo|…`; `royalty_type` only `10` (protocol.md §4.1). */
const royaltyRule: CrossFieldRule = (p) => {
  const hasType = !isBlank(p.royalty_type);
  const hasParams = !isBlank(p.royalty_parameters);
  if (hasType !== hasParams) {
    throw new GatewayError(
      'ROYALTY_FORAMT_ERROR',
      `${hasType ? 'royalty_parameters' : 'royalty_type'} is missing: royalty_type=10 and royalty_parameters (account^amount^memo|…) go together`,
      { param: hasType ? 'royalty_parameters' : 'royalty_type' },
    );
  }
  if (!hasParams) return;
  for (const entry of p.royalty_parameters!.split('|')) {
    const [who, amount, ...rest] = entry.split('^');
    if (!who || amount === undefined || rest.length > 1 || !isAmount(amount) || toFen(amount, 'royalty_parameters') <= 0) {
      throw new GatewayError(
        'ROYALTY_FORAMT_ERROR',
        `royalty_parameters entry "${entry}" is malformed: write each share as account^amount^memo (amount above zero, e.g. a@b.com^0.01^commission) and join shares with |`,
        { param: 'royalty_parameters' },
      );
    }
  }
};

/** payment_type 47 (电子卡券) needs `extend_param` with `evoucheprod_evouche_id` (protocol.md §4.1). */
const voucherRule: CrossFieldRule = (p) => {
  if (p.payment_type !== '47') return;
  const names = (p.extend_param ?? '').split('|').map((pair) => pair.split('^')[0]);
  if (!names.includes('evoucheprod_evouche_id')) {
    throw new GatewayError('ILLEGAL_ARGUMENT', 'payment_type=47 needs extend_param with evoucheprod_evouche_id: add extend_param=evoucheprod_evouche_id^<voucher id>', {
      param: 'extend_param',
    });
  }
};

export const createDirectPayByUserSchema: ServiceSchema = {
  service: 'create_direct_pay_by_user',
  kind: 'page',
  title: '即时到账交易接口',
  params: {
    partner: PARTNER,
    _input_charset: INPUT_CHARSET,
    notify_url: NOTIFY_URL_190,
    return_url: RETURN_URL,
    out_trade_no: OUT_TRADE_NO,
    subject: SUBJECT,
    payment_type: {
      required: true,
      format: { kind: 'enum', values: DIRECT_PAY_PAYMENT_TYPES },
      code: 'ILLEGAL_PAYMENT_TYPE',
      doc: 'the payment type, 1 (商品购买) for goods',
    },
    total_fee: feeSpec('the order total in yuan, 0.01 to 100000000.00', DIRECT_PAY_MAX_FEN),
    price: feeSpec('the unit price in yuan, 0.01 to 100000000.00 (with quantity, instead of total_fee)', DIRECT_PAY_MAX_FEN),
    quantity: quantitySpec(),
    seller_id: userId("the seller's 16-digit user id (the partner id for a contracted account)"),
    seller_email: account("the seller's Alipay account (email or mobile)"),
    seller_account_name: text("the seller's alias account", 100),
    buyer_id: userId("the buyer's 16-digit user id"),
    buyer_email: account("the buyer's Alipay account (email or mobile)"),
    buyer_account_name: text("the buyer's alias account", 100),
    body: text('the order description (at most 1000)', 1000),
    show_url: SHOW_URL,
    paymethod: { format: { kind: 'enum', values: PAYMETHODS }, doc: 'the default payment method (directPay, creditPay, bankPay…)' },
    defaultbank: {
      maxLength: 32,
      format: { kind: 'pattern', pattern: /^[A-Za-z0-9-]+$/, hint: 'use a bank code such as ICBCB2C, CMB or CCB' },
      doc: 'the bank code for paymethod=bankPay',
    },
    enable_paymethod: {
      format: { kind: 'pattern', pattern: /^[A-Za-z0-9-]+(\^[A-Za-z0-9-]+)*$/, hint: 'join channel names with ^, e.g. directPay^bankPay' },
      doc: 'the payment channels the cashier may offer, joined with ^',
    },
    need_ctu_check: yesNo('Y to run the CTU risk check on bank payments'),
    royalty_type: { format: { kind: 'enum', values: ['10'] }, code: 'ROYALTY_FORAMT_ERROR', doc: 'the royalty type, only 10' },
    royalty_parameters: { maxLength: 1000, format: { kind: 'text' }, code: 'ROYALTY_FORAMT_ERROR', doc: 'royalty shares, account^amount^memo joined with |' },
    anti_phishing_key: ANTI_PHISHING_KEY,
    exter_invoke_ip: EXTER_INVOKE_IP,
    extra_common_param: EXTRA_COMMON_PARAM,
    extend_param: {
      format: { kind: 'pattern', pattern: /^[^^|]+\^[^^|]*(\|[^^|]+\^[^^|]*)*$/, hint: 'write name^value pairs joined with |' },
      doc: 'extra parameters as name^value pairs joined with |',
    },
    it_b_pay: IT_B_PAY,
    default_login: yesNo('Y to log the buyer in with buyer_email'),
    product_type: text('the product type, e.g. CHANNEL_FAST_PAY', 50),
    token: TOKEN,
    sign_id_ext: text("your own id for the buyer", 50),
    sign_name_ext: text("your own name for the buyer", 128),
    qr_pay_mode: { format: { kind: 'enum', values: ['0', '1', '2', '3'] }, doc: 'the QR-code mode (0, 1, 3: iframe; 2: redirect)' },
    error_notify_url: url('the absolute http(s) URL for error notifications', 200),
    item_orders_info: text('the etao order data (商户回传业务参数)'),
  },
  rules: [
    oneOf(['seller_id', 'seller_account_name', 'seller_email'], 'pass seller_id (your partner id for a contracted account) or seller_email'),
    directPayFeeRule,
    requires('sign_id_ext', 'sign_name_ext', "pass your name for the buyer with their id"),
    royaltyRule,
    voucherRule,
  ],
  timeoutParams: ['it_b_pay'],
};
