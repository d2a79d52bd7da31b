import { parseAddressReturn, type AddressReturnMessage } from './address-return.js';
import { parseAuthReturn, parseEtaoEntry, type AuthReturnMessage, type EtaoEntryMessage } from './auth-return.js';
import { parseBatchRefundNotify, type BatchRefundNotifyMessage } from './batch-refund-notify.js';
import { baseFields, type MessageVia, type OtherMessage } from './message-base.js';
import { parseTradeStatusSync, type TradeStatusSyncMessage } from './trade-status-sync.js';

/** Everything Alipay sends to a merchant, by `kind`. */
export type AlipayMessage =
  | TradeStatusSyncMessage
  | BatchRefundNotifyMessage
  | AuthReturnMessage
  | EtaoEntryMessage
  | AddressReturnMessage
  | OtherMessage;

/** The `kind` of a message. */
export type AlipayMessageKind = AlipayMessage['kind'];

/**
 * Reads verified parameters into a typed message (a union discriminated by `kind`):
 * - `notify_type=trade_status_sync` (or a `trade_status` without `notify_type`): `trade_status_sync`
 * - `notify_type=batch_refund_notify`: `batch_refund_notify`
 * - `user_id` and an XML `receive_address`, no `trade_status`: `address_return`
 * - `user_id` and `token`, no `trade_status`: `auth_return`
 * - `target_url` without a user, no `trade_status`: `etao_entry` (a buyer from etao not signed in)
 * - anything else (`batch_trans_notify`…): `other`, with the basics and `raw`.
 * Every parameter stays in `raw`. A message that is of a known kind but cannot be read as it (no
 * `out_trade_no`, an unknown `trade_status`, a malformed amount) is `VerificationError('malformed')`.
 * @example
 * const m = parseMessage(params, { via: 'notify' });
 * if (m.kind === 'trade_status_sync') console.log(m.out_trade_no, m.trade_status, m.totalFen);
 */
export function parseMessage(params: Readonly<Record<string, string>>, options: { via: MessageVia }): AlipayMessage {
  const raw = Object.freeze({ ...params });
  const via = options.via;
  const type = raw.notify_type;
  if (type === 'trade_status_sync' || (!type && raw.trade_status)) return parseTradeStatusSync(raw, via);
  if (type === 'batch_refund_notify') return parseBatchRefundNotify(raw, via);
  if (!type && raw.user_id && !raw.trade_status) {
    if (raw.receive_address && /^\s*(<|&lt;)/.test(raw.receive_address)) return parseAddressReturn(raw, via);
    if (raw.token) return parseAuthReturn(raw, via);
  }
  if (!type && !raw.user_id && !raw.trade_status && raw.target_url) return parseEtaoEntry(raw, via);
  return { ...baseFields(raw, via), kind: 'other' };
}
