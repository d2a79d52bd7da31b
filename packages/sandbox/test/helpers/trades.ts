import type { Charset, SignType } from 'alipay-legacy';
import type { SandboxDeps } from '../../src/deps.js';
import { SEED_BUYERS, SEED_MERCHANT } from '../../src/seed.js';
import { isTradeService } from '../../src/service-catalogue.js';
import { getMerchant, openTrade } from '../../src/services/index.js';
import type { Trade, TradeService } from '../../src/services/index.js';

export const BUYER = SEED_BUYERS[0]!;
export const POOR = SEED_BUYERS[1]!;
export const GBK_BUYER = SEED_BUYERS[2]!;
export const FAMILY = SEED_BUYERS[3]!;
export const PARTNER = SEED_MERCHANT.partner;

let counter = 0;
/** A fresh out_trade_no per call. */
export function outTradeNo(): string {
  counter++;
  return `T${Date.now()}${String(counter).padStart(4, '0')}`;
}

/** Verified create_direct_pay_by_user parameters (what the gateway check hands to openTrade). */
export function directParams(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    service: 'create_direct_pay_by_user',
    partner: PARTNER,
    _input_charset: 'utf-8',
    seller_id: PARTNER,
    payment_type: '1',
    out_trade_no: outTradeNo(),
    subject: '测试商品',
    total_fee: '0.01',
    ...overrides,
  };
}

/** Verified create_partner_trade_by_buyer / trade_create_by_buyer parameters. */
export function escrowParams(overrides: Record<string, string> = {}, service: TradeService = 'create_partner_trade_by_buyer'): Record<string, string> {
  return {
    service,
    partner: PARTNER,
    _input_charset: 'utf-8',
    seller_email: SEED_MERCHANT.sellerEmail,
    payment_type: '1',
    out_trade_no: outTradeNo(),
    subject: '担保测试',
    price: '10.00',
    quantity: '1',
    logistics_type: 'EXPRESS',
    logistics_fee: '5.00',
    logistics_payment: 'BUYER_PAY',
    logistics_type_1: 'POST',
    logistics_fee_1: '2.00',
    logistics_payment_1: 'BUYER_PAY',
    logistics_type_2: 'DIRECT',
    logistics_fee_2: '0.00',
    logistics_payment_2: 'SELLER_PAY',
    ...overrides,
  };
}

export async function open(deps: SandboxDeps, params: Record<string, string>, options: { charset?: Charset; signType?: SignType } = {}): Promise<Trade> {
  const merchant = await getMerchant(deps, params.partner ?? PARTNER);
  if (!merchant) throw new Error('no merchant');
  const service = params.service ?? '';
  if (!isTradeService(service)) throw new Error(`${service} opens no trade`);
  return openTrade(deps, { merchant, service, params, charset: options.charset ?? 'utf-8', signType: options.signType ?? 'MD5' });
}
