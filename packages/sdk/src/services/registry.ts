import { alipayAuthAuthorizeSchema } from './alipay-auth-authorize.js';
import { closeTradeSchema } from './close-trade.js';
import { createDirectPayByUserSchema } from './create-direct-pay-by-user.js';
import { createPartnerTradeByBuyerSchema } from './create-partner-trade-by-buyer.js';
import { notifyVerifySchema } from './notify-verify.js';
import { queryTimestampSchema } from './query-timestamp.js';
import { refundFastpayByPlatformPwdSchema } from './refund-fastpay-by-platform-pwd.js';
import type { ServiceName, ServiceSchema } from './schema.js';
import { sendGoodsConfirmByPlatformSchema } from './send-goods-confirm-by-platform.js';
import { singleTradeQuerySchema } from './single-trade-query.js';
import { tradeCreateByBuyerSchema } from './trade-create-by-buyer.js';
import { userLogisticsAddressQuerySchema } from './user-logistics-address-query.js';

/**
 * Every service's request schema by name: which parameters, which are required, their lengths and
 * formats, and the cross-field rules (protocol.md §3–4).
 * @example SERVICES.close_trade.kind // 'server'
 */
export const SERVICES: Readonly<Record<ServiceName, ServiceSchema>> = Object.freeze({
  create_direct_pay_by_user: createDirectPayByUserSchema,
  create_partner_trade_by_buyer: createPartnerTradeByBuyerSchema,
  trade_create_by_buyer: tradeCreateByBuyerSchema,
  'alipay.auth.authorize': alipayAuthAuthorizeSchema,
  'user.logistics.address.query': userLogisticsAddressQuerySchema,
  refund_fastpay_by_platform_pwd: refundFastpayByPlatformPwdSchema,
  send_goods_confirm_by_platform: sendGoodsConfirmByPlatformSchema,
  single_trade_query: singleTradeQuerySchema,
  close_trade: closeTradeSchema,
  query_timestamp: queryTimestampSchema,
  notify_verify: notifyVerifySchema,
});

/**
 * True when the name is one of the services of this SDK.
 * @example isServiceName('close_trade') // true
 */
export function isServiceName(name: string | undefined | null): name is ServiceName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(SERVICES, name);
}
