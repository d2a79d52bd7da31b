/** The shop's setting for which payment interface orders are sent through. */
export type PaymentSetting = 'instant' | 'escrow' | 'dual';

export const PAYMENT_SETTINGS: readonly PaymentSetting[] = ['instant', 'escrow', 'dual'];

/** The gateway service of each setting. */
export const SERVICE_OF: Readonly<Record<PaymentSetting, string>> = {
  instant: 'create_direct_pay_by_user',
  escrow: 'create_partner_trade_by_buyer',
  dual: 'trade_create_by_buyer',
};

/** The Chinese name of each interface, for pages. */
export const SETTING_LABEL: Readonly<Record<PaymentSetting, string>> = {
  instant: '即时到账',
  escrow: '担保交易',
  dual: '标准双接口',
};

export function isPaymentSetting(value: unknown): value is PaymentSetting {
  return value === 'instant' || value === 'escrow' || value === 'dual';
}
