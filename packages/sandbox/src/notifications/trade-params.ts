import { formatAlipayTime } from 'alipay-legacy';
import { isEscrowService } from '../service-catalogue.js';
import type { Trade } from '../services/types.js';
import { tradeNotificationFields } from '../trade-fields.js';

/**
 * A trade_status_sync notification: its own fields, then the trade's (trade-fields.ts, the
 * protocol.md §4.1 and §4.2 tables). Values that do not apply are left out rather than sent empty
 * (decisions.md §22).
 */
export function tradeStatusParams(trade: Trade, input: { notifyId: string; notifyTime: number }): Record<string, string | undefined> {
  const own = { notify_time: formatAlipayTime(input.notifyTime), notify_type: 'trade_status_sync', notify_id: input.notifyId };
  return tradeNotificationFields(trade, input.notifyTime, own);
}

/** Fields of a direct-pay return (protocol.md §4.1 return table). */
const DIRECT_RETURN_FIELDS = [
  'notify_id',
  'notify_time',
  'notify_type',
  'out_trade_no',
  'subject',
  'payment_type',
  'trade_no',
  'trade_status',
  'seller_email',
  'buyer_email',
  'seller_id',
  'buyer_id',
  'total_fee',
  'body',
  'extra_common_param',
  'refund_status',
  'gmt_refund',
] as const;

/**
 * The parameters of a trade's return to return_url (decisions.md §1; protocol.md §4.1, §4.2):
 * `is_success=T`, `exterface`, a fresh notify_id and the trade fields (the direct-pay return's
 * table for direct pay, the observed escrow return for the escrow services).
 */
export function tradeReturnParams(trade: Trade, input: { notifyId: string; notifyTime: number }): Record<string, string | undefined> {
  const all = tradeStatusParams(trade, input);
  const params: Record<string, string | undefined> = { is_success: 'T', exterface: trade.service };
  if (isEscrowService(trade.service)) return { ...params, ...all };
  for (const name of DIRECT_RETURN_FIELDS) params[name] = all[name];
  return params;
}
