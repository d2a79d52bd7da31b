import { randomInt } from 'node:crypto';
import { formatAlipayTime, type Clock } from '../clock.js';
import type { ResolvedConfig } from '../config.js';
import { formatRefundDetailData } from '../services/refund-detail.js';
import { buildPageRequest, type PageRequest } from './page-request.js';
import { mergeInOrder, toWireParams } from './wire-params.js';

/** One refund of a batch, for `detail_data` in array form. */
export interface RefundItemInput {
  /** The Alipay trade number. */
  trade_no: string;
  /** Yuan as a string, e.g. `"0.01"`. */
  amount: string;
  /** Under 256 bytes, none of `^ $ | #`. */
  reason?: string;
}

/** Input of `refund_fastpay_by_platform_pwd` (protocol.md §4.11). */
export interface RefundInput {
  /** `trade_no^amount^reason` items joined by `#`, or the items as an array. */
  detail_data: string | RefundItemInput[];
  /** Default: generated from `config.clock` (today + a unique serial). Keep it: the notification carries it. */
  batch_no?: string;
  /** Default: the number of items. */
  batch_num?: string | number;
  /** Default: now (`config.clock`), Beijing time. */
  refund_date?: string;
  /** Default `config.notifyUrl`: where `batch_refund_notify` arrives. */
  notify_url?: string;
  /** Default `config.sellerId`. */
  seller_user_id?: string;
  seller_email?: string;
}

/**
 * A fresh `batch_no`: today's date (Beijing time, `yyyyMMdd`) + time of day to the millisecond +
 * 6 random digits, a 15-character serial (protocol.md §4.11: 3–24, unique per partner).
 * @example generateBatchNo(systemClock) // '20150101120000000123456'
 */
export function generateBatchNo(clock: Clock): string {
  const now = clock.now();
  const time = formatAlipayTime(now).replace(/\D/g, '');
  const ms = String(((now % 1000) + 1000) % 1000).padStart(3, '0');
  return `${time}${ms}${String(randomInt(1_000_000)).padStart(6, '0')}`;
}

/**
 * Builds a signed batch refund (即时到账批量退款有密): the seller confirms it at Alipay with the payment
 * password, and the result arrives as `batch_refund_notify` at `notify_url`.
 * @example
 * const req = await refundFastpayByPlatformPwd(config, { detail_data: [{ trade_no, amount: '0.01', reason: '协商退款' }] })
 * save(req.params.batch_no); res.redirect(req.url)
 */
export async function refundFastpayByPlatformPwd(config: ResolvedConfig, input: RefundInput): Promise<PageRequest> {
  const detailData = typeof input.detail_data === 'string' ? input.detail_data : formatRefundDetailData(input.detail_data);
  // Keep the caller's key order (the links of protocol.md §2.6 depend on it).
  const inputWire = toWireParams(Object.fromEntries(Object.entries(input).map(([k, v]) => [k, k === 'detail_data' ? detailData : v])));
  const wire = mergeInOrder(
    {
      service: 'refund_fastpay_by_platform_pwd',
      _input_charset: config.charset,
      partner: config.partner,
      seller_user_id: config.sellerId,
      refund_date: formatAlipayTime(config.clock.now()),
    },
    inputWire,
    {
      batch_num: String(detailData.split('#').length),
      batch_no: generateBatchNo(config.clock),
      notify_url: config.notifyUrl,
    },
  );
  return buildPageRequest(config, 'refund_fastpay_by_platform_pwd', wire);
}
