import type { ShopDeps } from '../deps.js';
import { isPaymentSetting, type PaymentSetting } from '../payment-services.js';
import { ShopError } from './errors.js';

/** The payment interface new orders go through: the admin's choice, else the configured default. */
export async function paymentSetting(deps: Pick<ShopDeps, 'db' | 'options'>): Promise<PaymentSetting> {
  const row = await deps.db.selectFrom('settings').select('value').where('name', '=', 'payment_service').executeTakeFirst();
  return row && isPaymentSetting(row.value) ? row.value : deps.options.defaultPaymentSetting;
}

/** Changes the payment interface of new orders. */
export async function setPaymentSetting(deps: Pick<ShopDeps, 'db'>, value: string): Promise<void> {
  if (!isPaymentSetting(value)) throw new ShopError('bad_input', 'unknown payment interface');
  await deps.db
    .insertInto('settings')
    .values({ name: 'payment_service', value })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value }))
    .execute();
}
