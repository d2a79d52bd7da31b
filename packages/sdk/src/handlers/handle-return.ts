import type { ResolvedConfig } from '../config.js';
import type { AlipayMessage } from '../messages/parse-message.js';
import type { TradeStatusSyncMessage } from '../messages/trade-status-sync.js';
import { checkNotifyId } from '../verify/notify-verify.js';
import type { RawMessage } from '../verify/read-message.js';
import { verifyMessage, type VerifyMessageOptions } from '../verify/verify-message.js';
import { checkExpected, type ExpectedOrder } from './notification-handler.js';

/** Options of `handleReturn`. */
export interface HandleReturnOptions extends VerifyMessageOptions {
  /** As for notifications: the order of a trade_status_sync return, for the amount and seller checks. */
  expect?(message: TradeStatusSyncMessage): Promise<ExpectedOrder | undefined> | ExpectedOrder | undefined;
}

/**
 * Verifies a return (the buyer's browser back at return_url) with the same checks as a
 * notification: sign, then `expect`'s amount and seller checks for a trade_status_sync return,
 * then notify_verify. Resolves to the message; refusals are `VerificationError`. Show the buyer
 * the result; let the notification change the order (a return may never arrive: protocol.md §12.1).
 * @example
 * app.get('/alipay/return', async (req, res) => {
 *   try {
 *     const m = await handleReturn(config, req.url, { expect: (m) => orders.expected(m.out_trade_no) });
 *     res.send(m.kind === 'trade_status_sync' && isPaid(m.trade_status) ? '支付成功' : '处理中');
 *   } catch (err) { res.status(400).send('支付结果无法确认'); }
 * });
 */
export async function handleReturn(config: ResolvedConfig, input: RawMessage, options: HandleReturnOptions = {}): Promise<AlipayMessage> {
  const { expect, ...verify } = options;
  const message = await verifyMessage(config, input, 'return', { ...verify, notifyVerify: false });
  if (message.kind === 'trade_status_sync' && expect) checkExpected(config, message, await expect(message));
  if ((verify.notifyVerify ?? config.notifyVerify) && message.notify_id) {
    await checkNotifyId(config, message.notify_id, verify.signal ? { signal: verify.signal } : {});
  }
  return message;
}
