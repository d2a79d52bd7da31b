import { GatewayError } from '../errors.js';
import { beijingDate } from '../identifiers.js';
import { toFen } from '../money.js';
import { isBlank } from './check-param.js';
import { amountFen, docLength, isCompactDate, isTradeNo } from './formats.js';
import type { CrossFieldRule } from './schema.js';

/**
 * The refund batch of `refund_fastpay_by_platform_pwd` (protocol.md §4.11): `detail_data` is
 * `trade_no^amount^reason` items joined by `#`, `batch_num` counts them, `batch_no` is today's date
 * plus a serial.
 */

/** At most 1000 items in one batch. */
export const MAX_REFUND_ITEMS = 1000;

/** One refund in a batch. */
export interface RefundDetailItem {
  /** The Alipay trade number being refunded. */
  trade_no: string;
  /** The amount to refund, yuan as sent. */
  amount: string;
  /** The same amount in fen. */
  amountFen: number;
  /** Why (under 256 bytes, none of `^ $ | #`). */
  reason: string;
}

const REASON_FORBIDDEN = /[\^$|#]/;

/**
 * Reads `detail_data` into items, checking each: a trade number, an amount above zero, a reason
 * under 256 bytes without `^ $ | #` (protocol.md §4.11), no trade twice in one batch (one line per
 * trade; the sandbox refuses a repeated one too). Throws `ILLEGAL_ARGUMENT` naming `detail_data`.
 * @example parseRefundDetailData('2015010100001000980052833539^0.01^协商退款')
 * // [{ trade_no: '2015010100001000980052833539', amount: '0.01', amountFen: 1, reason: '协商退款' }]
 */
export function parseRefundDetailData(detail: string): RefundDetailItem[] {
  const lines = detail.split('#');
  if (lines.length > MAX_REFUND_ITEMS) {
    fail(`has ${lines.length} items, more than ${MAX_REFUND_ITEMS}`, `split the refunds into batches of at most ${MAX_REFUND_ITEMS}`);
  }
  const seen = new Set<string>();
  return lines.map((line, i) => {
    const where = `item ${i + 1} ("${line.length > 40 ? line.slice(0, 37) + '…' : line}")`;
    const fields = line.split('^');
    if (fields.length !== 3) {
      fail(
        `${where} has ${fields.length} field${fields.length === 1 ? '' : 's'}`,
        'write each refund as trade_no^amount^reason and join refunds with # (the reason may not contain ^ $ | #)',
      );
    }
    const [tradeNo, amount, reason] = fields as [string, string, string];
    if (!isTradeNo(tradeNo)) fail(`${where} has trade_no "${tradeNo}"`, 'use the Alipay trade_no (16 to 64 digits), not your out_trade_no');
    const fen = amountFen(amount);
    if (fen === undefined || fen <= 0) fail(`${where} has amount "${amount}"`, 'use an amount above zero in yuan with at most two decimals, e.g. 0.01');
    if (REASON_FORBIDDEN.test(reason)) fail(`${where} has a reason with ^ $ | or #`, 'remove those characters from the reason');
    if (docLength(reason) >= 256) fail(`${where} has a reason of ${docLength(reason)} bytes`, 'keep the reason under 256 bytes (128 Chinese characters)');
    if (seen.has(tradeNo)) fail(`${where} repeats trade ${tradeNo}`, 'put one line per trade: add the amounts up into one refund');
    seen.add(tradeNo);
    return { trade_no: tradeNo, amount, amountFen: toFen(amount), reason };
  });
}

/**
 * Writes items as `detail_data`.
 * @example formatRefundDetailData([{ trade_no: '2015010100001000980052833539', amount: '0.01', reason: 'test' }])
 * // '2015010100001000980052833539^0.01^test'
 */
export function formatRefundDetailData(items: ReadonlyArray<{ trade_no: string; amount: string; reason?: string }>): string {
  return items.map((item) => `${item.trade_no}^${item.amount}^${item.reason ?? ''}`).join('#');
}

/**
 * What is wrong with a `batch_no`, or undefined: 8-digit refund date + a 3–24 character serial of
 * letters and digits that is not all zeros ("不能接受000"); with `now`, the date must be today
 * (Beijing time).
 * @example batchNoProblem('20150101000') // 'has the serial 000, which the gateway refuses (not 000)'
 */
export function batchNoProblem(batchNo: string, now?: number): string | undefined {
  const m = /^(\d{8})([0-9A-Za-z]{3,24})$/.exec(batchNo);
  if (!m) return 'is not an 8-digit date followed by a 3–24 character serial of letters and digits';
  const [, date, serial] = m as unknown as [string, string, string];
  if (!isCompactDate(date)) return `starts with ${date}, which is not a date (yyyyMMdd)`;
  if (/^0+$/.test(serial)) return `has the serial ${serial}, which the gateway refuses (not 000)`;
  if (now !== undefined && date !== beijingDate(now)) return `is dated ${date}, not today (${beijingDate(now)}, Beijing time)`;
  return undefined;
}

/** `batch_no`, `batch_num` and `detail_data` agree (protocol.md §4.11). */
export const refundBatchRule: CrossFieldRule = (params, context) => {
  const problem = batchNoProblem(params.batch_no ?? '', context.now);
  if (problem) {
    throw new GatewayError('ILLEGAL_ARGUMENT', `batch_no="${params.batch_no}" ${problem}: use today's date (yyyyMMdd, Beijing time) plus a serial unique among today's batches, e.g. 20150101001`, {
      param: 'batch_no',
    });
  }
  const items = parseRefundDetailData(params.detail_data ?? '');
  if (!isBlank(params.batch_num) && Number(params.batch_num) !== items.length) {
    throw new GatewayError(
      'ILLEGAL_ARGUMENT',
      `batch_num=${params.batch_num} but detail_data has ${items.length} item${items.length === 1 ? '' : 's'}: set batch_num to the number of "#" in detail_data plus one`,
      { param: 'batch_num' },
    );
  }
};

function fail(problem: string, fix: string): never {
  throw new GatewayError('ILLEGAL_ARGUMENT', `detail_data ${problem}: ${fix}`, { param: 'detail_data' });
}
