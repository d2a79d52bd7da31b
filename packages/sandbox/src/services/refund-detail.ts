import { GatewayError, toFen } from 'alipay-legacy';
import type { RefundBatchItem } from './types.js';

/**
 * Reads refund_fastpay_by_platform_pwd's detail_data: `trade_no^amount^reason` items joined by `#`
 * (protocol.md §4.11). Malformed items are ILLEGAL_ARGUMENT; amounts go through the SDK's toFen.
 */
export function parseDetailData(detail: string): RefundBatchItem[] {
  if (detail === '') return [];
  return detail.split('#').map((item, i) => {
    const parts = item.split('^');
    if (parts.length !== 3 || parts[0] === '' || parts[1] === '') {
      throw new GatewayError('ILLEGAL_ARGUMENT', `detail_data item ${i + 1} must be trade_no^amount^reason, got "${item}"`, {
        param: 'detail_data',
      });
    }
    return { tradeNo: parts[0]!, amountFen: toFen(parts[1]!, 'detail_data'), reason: parts[2]! };
  });
}
