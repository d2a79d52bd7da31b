import type { AddressReturnMessage } from 'alipay-legacy';
import type { ShopDeps } from '../deps.js';

/**
 * Keeps the address the buyer chose at Alipay (protocol.md §12.12), for the customer it names, and
 * logs the return. The checkout page matches its region names to the shop's.
 */
export async function saveAlipayAddress(deps: ShopDeps, message: AddressReturnMessage): Promise<boolean> {
  const { raw: _raw, ...address } = message.address;
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('customers')
      .set({ alipay_address: JSON.stringify(address), updated_at: now })
      .where('user_id', '=', message.user_id)
      .executeTakeFirst();
    await trx
      .insertInto('notification_log')
      .values({
        received_at: now,
        kind: 'address_return',
        raw: '(address withheld)',
        charset: deps.alipay.config.charset,
        verified: 1,
        reason: null,
        detail: null,
        message_kind: message.kind,
        out_trade_no: null,
        trade_status: null,
        refund_status: null,
        batch_no: null,
        notify_id: message.notify_id ?? null,
        outcome: Number(result.numUpdatedRows) === 1 ? 'applied' : 'recorded',
      })
      .execute();
    return Number(result.numUpdatedRows) === 1;
  });
}
