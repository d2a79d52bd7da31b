import { GatewayError } from '../errors.js';
import { isBlank } from './check-param.js';
import {
  ANTI_PHISHING_KEY,
  EXTER_INVOKE_IP,
  EXTRA_COMMON_PARAM,
  INPUT_CHARSET,
  IT_B_PAY,
  NOTIFY_URL,
  OUT_TRADE_NO,
  PARTNER,
  RETURN_URL,
  SHOW_URL,
  SUBJECT,
  TOKEN,
  account,
  oneOf,
  text,
  userId,
} from './common.js';
import { DISCOUNT, ESCROW_MAX_FEN, escrowFeeRule, feeSpec, quantitySpec } from './fees.js';
import { isTimeoutDays } from './formats.js';
import { logisticsGroupRule, logisticsParamSpecs } from './logistics.js';
import type { CrossFieldRule, ParamSpec } from './schema.js';

/**
 * The request table shared by `create_partner_trade_by_buyer` and `trade_create_by_buyer`
 * (protocol.md §4.2, §4.3: "The request table is the same").
 */

function timeoutDays(doc: string): ParamSpec {
  return {
    format: { kind: 'check', problem: (v) => (isTimeoutDays(v) ? undefined : 'is not a number of days'), hint: 'use a positive number of days, e.g. 10 or 7.5' },
    doc,
  };
}

const RECEIVE_FIELDS = ['receive_name', 'receive_address', 'receive_zip', 'receive_phone', 'receive_mobile'] as const;

/** "若要使用该功能，请至少保证receive_name、receive_address有值" (protocol.md §4.2). */
const receiveRule: CrossFieldRule = (p) => {
  const given = RECEIVE_FIELDS.filter((n) => !isBlank(p[n]));
  if (given.length === 0) return;
  for (const needed of ['receive_name', 'receive_address'] as const) {
    if (isBlank(p[needed])) {
      throw new GatewayError(
        'PARAMTER_IS_NULL',
        `${needed} is missing while ${given.join(', ')} ${given.length === 1 ? 'is' : 'are'} given: a pre-filled consignee needs at least receive_name and receive_address`,
        { param: needed },
      );
    }
  }
};

export function escrowParams(): Record<string, ParamSpec> {
  return {
    partner: PARTNER,
    _input_charset: INPUT_CHARSET,
    notify_url: NOTIFY_URL,
    return_url: RETURN_URL,
    out_trade_no: OUT_TRADE_NO,
    subject: SUBJECT,
    payment_type: {
      required: true,
      format: { kind: 'enum', values: ['1'] },
      code: 'ILLEGAL_PAYMENT_TYPE',
      doc: 'the payment type, only 1 (商品购买)',
    },
    ...logisticsParamSpecs(),
    price: feeSpec('the unit price in yuan, 0.01 to 1000000.00', ESCROW_MAX_FEN, true),
    quantity: quantitySpec(true),
    seller_email: account("the seller's Alipay account (email or mobile)"),
    seller_id: userId("the seller's 16-digit user id"),
    seller_account_name: text("the seller's alias account", 100),
    buyer_email: account("the buyer's Alipay account (email or mobile)"),
    buyer_id: userId("the buyer's 16-digit user id"),
    buyer_account_name: text("the buyer's alias account", 100),
    body: text('the order description (at most 400)', 400),
    show_url: SHOW_URL,
    discount: DISCOUNT,
    total_fee: feeSpec('the trade amount in yuan, above zero, at most 1000000.00', ESCROW_MAX_FEN),
    receive_name: text("the consignee's name", 128),
    receive_address: text("the consignee's address", 256),
    receive_zip: {
      maxLength: 20,
      format: { kind: 'pattern', pattern: /^[0-9A-Za-z -]+$/, hint: 'use the postcode digits, e.g. 310000' },
      doc: "the consignee's postcode",
    },
    receive_phone: {
      maxLength: 30,
      format: { kind: 'pattern', pattern: /^[0-9+() -]+$/, hint: 'use digits and -, e.g. 0571-88158090' },
      doc: "the consignee's landline",
    },
    receive_mobile: {
      maxLength: 20,
      format: { kind: 'pattern', pattern: /^\+?[0-9-]+$/, hint: 'use the mobile number digits, e.g. 13800000000' },
      doc: "the consignee's mobile",
    },
    it_b_pay: IT_B_PAY,
    t_s_send_1: timeoutDays('days after which the buyer may refund if the seller has not shipped'),
    t_s_send_2: timeoutDays('days after which a refund is suggested if the seller has not shipped'),
    t_b_rec_post: timeoutDays('days after which a POST trade the buyer has not confirmed finishes'),
    anti_phishing_key: ANTI_PHISHING_KEY,
    exter_invoke_ip: EXTER_INVOKE_IP,
    token: TOKEN,
    extra_common_param: EXTRA_COMMON_PARAM,
  };
}

export const ESCROW_TIMEOUT_PARAMS = ['it_b_pay', 't_s_send_1', 't_s_send_2', 't_b_rec_post'] as const;

export function escrowRules(): CrossFieldRule[] {
  return [
    oneOf(['seller_id', 'seller_account_name', 'seller_email'], 'pass seller_id or seller_email (the account that receives the money)'),
    logisticsGroupRule,
    escrowFeeRule,
    receiveRule,
  ];
}
