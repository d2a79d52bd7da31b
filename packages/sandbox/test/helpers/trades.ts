import type { Charset, SignType } from 'alipay-legacy';
import type { SandboxDeps } from '../../src/deps.js';
import { SEED_BUYERS } from '../../src/seed.js';
import { isTradeService } from '../../src/service-catalogue.js';
import { getMerchant, openTrade } from '../../src/services/index.js';
import type { Trade, TradeService } from '../../src/services/index.js';
import { PARTNER, directPayParams, escrowParams as escrowRequestParams, orderNo } from './gateway-client.js';

export const BUYER = SEED_BUYERS[0]!;
export const POOR = SEED_BUYERS[1]!;
export const GBK_BUYER = SEED_BUYERS[2]!;
export const FAMILY = SEED_BUYERS[3]!;
export { PARTNER };

/** A fresh out_trade_no per call. */
export function outTradeNo(): string {
  return orderNo('T');
}

/**
 * What the gateway check hands to openTrade for a request of gateway-client.ts's builders: the
 * request's parameters with partner and charset, without the notify and return URLs unless given.
 */
function verified(request: Record<string, string>, overrides: Record<string, string>): Record<string, string> {
  const params: Record<string, string> = { _input_charset: 'utf-8', partner: PARTNER, ...request };
  for (const url of ['notify_url', 'return_url']) if (!(url in overrides)) delete params[url];
  return params;
}

/** Verified create_direct_pay_by_user parameters: a ¥0.01 test product. */
export function directParams(overrides: Record<string, string> = {}): Record<string, string> {
  return verified(directPayParams({ out_trade_no: outTradeNo(), subject: '测试商品', total_fee: '0.01', ...overrides }), overrides);
}

/** Verified create_partner_trade_by_buyer / trade_create_by_buyer parameters, with three logistics options. */
export function escrowParams(overrides: Record<string, string> = {}, service: TradeService = 'create_partner_trade_by_buyer'): Record<string, string> {
  return verified(
    escrowRequestParams({
      service,
      out_trade_no: outTradeNo(),
      subject: '担保测试',
      logistics_payment_1: 'BUYER_PAY',
      logistics_type_2: 'DIRECT',
      logistics_fee_2: '0.00',
      logistics_payment_2: 'SELLER_PAY',
      ...overrides,
    }),
    overrides,
  );
}

export async function open(deps: SandboxDeps, params: Record<string, string>, options: { charset?: Charset; signType?: SignType } = {}): Promise<Trade> {
  const merchant = await getMerchant(deps, params.partner ?? PARTNER);
  if (!merchant) throw new Error('no merchant');
  const service = params.service ?? '';
  if (!isTradeService(service)) throw new Error(`${service} opens no trade`);
  return openTrade(deps, { merchant, service, params, charset: options.charset ?? 'utf-8', signType: options.signType ?? 'MD5' });
}
