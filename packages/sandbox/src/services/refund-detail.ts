import { parseRefundDetailData } from 'alipay-legacy/protocol';
import type { RefundBatchItem } from './types.js';

/**
 * refund_fastpay_by_platform_pwd's detail_data as the sandbox's items, read by the SDK's parser —
 * the same check the gateway runs on the request (protocol.md §4.11), so a malformed item gets the
 * same code (ILLEGAL_ARGUMENT) whether it came through /gateway.do or straight to the service.
 * An empty string has no items (the caller says PARAMTER_IS_NULL).
 */
export function parseDetailData(detail: string): RefundBatchItem[] {
  if (detail === '') return [];
  return parseRefundDetailData(detail).map((item) => ({ tradeNo: item.trade_no, amountFen: item.amountFen, reason: item.reason }));
}
