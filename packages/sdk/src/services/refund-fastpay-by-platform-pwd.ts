import { INPUT_CHARSET, NOTIFY_URL, PARTNER, account, oneOf, userId } from './common.js';
import { MAX_REFUND_ITEMS, refundBatchRule } from './refund-detail.js';
import type { ServiceSchema } from './schema.js';

/** `refund_fastpay_by_platform_pwd` (即时到账批量退款有密), protocol.md §4.11. */
export const refundFastpayByPlatformPwdSchema: ServiceSchema = {
  service: 'refund_fastpay_by_platform_pwd',
  kind: 'page',
  title: '即时到账批量退款有密接口',
  params: {
    partner: PARTNER,
    _input_charset: INPUT_CHARSET,
    notify_url: NOTIFY_URL,
    seller_email: account("the seller's Alipay account"),
    seller_user_id: userId("the seller's 16-digit user id (wins over seller_email)"),
    refund_date: { required: true, format: { kind: 'datetime' }, doc: 'the current time, yyyy-MM-dd HH:mm:ss (Beijing time)' },
    batch_no: { required: true, maxLength: 32, doc: "today's date (yyyyMMdd) plus a 3–24 character serial" },
    batch_num: {
      required: true,
      format: { kind: 'integer', min: 1, max: MAX_REFUND_ITEMS },
      doc: `the number of refunds in detail_data (1 to ${MAX_REFUND_ITEMS})`,
    },
    detail_data: { required: true, doc: 'the refunds, trade_no^amount^reason joined with #' },
  },
  rules: [oneOf(['seller_user_id', 'seller_email'], 'pass seller_user_id (your partner id) or seller_email'), refundBatchRule],
  timeoutParams: [],
};
