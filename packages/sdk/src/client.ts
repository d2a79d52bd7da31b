import { resolveConfig, type AlipayConfig, type ResolvedConfig } from './config.js';
import { createNotificationHandler, type NotificationHandler } from './handlers/create-notification-handler.js';
import { handleReturn, type HandleReturnOptions } from './handlers/handle-return.js';
import type { NotificationHandlerOptions } from './handlers/notification-handler.js';
import type { AlipayMessage } from './messages/parse-message.js';
import { createDirectPayByUser, type DirectPayInput } from './requests/direct-pay.js';
import { createPartnerTradeByBuyer, tradeCreateByBuyer, type EscrowInput } from './requests/escrow.js';
import type { PageRequest } from './requests/page-request.js';
import { authorize, queryAddress, type AuthorizeInput, type QueryAddressInput } from './requests/quick-login.js';
import { refundFastpayByPlatformPwd, type RefundInput } from './requests/refund.js';
import {
  closeTrade,
  queryTimestamp,
  sendGoodsConfirmByPlatform,
  singleTradeQuery,
  type CloseTradeInput,
  type QueryTimestampResult,
  type SendGoodsInput,
  type SendGoodsResult,
  type ServerCallResult,
  type SingleTradeQueryInput,
  type SingleTradeQueryResult,
} from './requests/server-calls.js';
import { checkNotifyId } from './verify/notify-verify.js';
import type { RawMessage } from './verify/read-message.js';
import type { VerifyMessageOptions } from './verify/verify-message.js';
import { verifyNotification } from './verify/verify-notification.js';
import { verifyReturn } from './verify/verify-return.js';

/**
 * A merchant's Alipay client: the configuration given once, then every service. Each method is a
 * thin call of the standalone function of the same name with the resolved configuration, so the
 * functions can be used directly too (`createDirectPayByUser(resolveConfig(cfg), input)`).
 */
export interface AlipayClient {
  readonly config: ResolvedConfig;
  /** `create_direct_pay_by_user` (即时到账): a signed link and auto-submitting form. */
  createDirectPayByUser(input: DirectPayInput): Promise<PageRequest>;
  /** `create_partner_trade_by_buyer` (纯担保交易). */
  createPartnerTradeByBuyer(input: EscrowInput): Promise<PageRequest>;
  /** `trade_create_by_buyer` (标准双接口): the buyer chooses instant or escrow. */
  tradeCreateByBuyer(input: EscrowInput): Promise<PageRequest>;
  /** `alipay.auth.authorize` (快捷登录). */
  authorize(input: AuthorizeInput): Promise<PageRequest>;
  /** `user.logistics.address.query` (物流地址查询) with the quick-login token. */
  queryAddress(input: QueryAddressInput): Promise<PageRequest>;
  /** `refund_fastpay_by_platform_pwd` (即时到账批量退款有密). */
  refundFastpayByPlatformPwd(input: RefundInput): Promise<PageRequest>;
  /** `send_goods_confirm_by_platform` (确认发货), server to server. */
  sendGoodsConfirmByPlatform(input: SendGoodsInput): Promise<SendGoodsResult>;
  /** `single_trade_query` (单笔交易查询). */
  singleTradeQuery(input: SingleTradeQueryInput): Promise<SingleTradeQueryResult>;
  /** `close_trade` (关闭交易); its parameter is `out_order_no`. */
  closeTrade(input: CloseTradeInput): Promise<ServerCallResult>;
  /** `query_timestamp` (防钓鱼时间戳). */
  queryTimestamp(): Promise<QueryTimestampResult>;
  /** Asks `notify_verify` whether a notify_id is genuine; throws VerificationError otherwise. */
  checkNotifyId(notifyId: string): Promise<void>;
  /** Verifies a return (the raw query string of the GET to return_url, or the raw POST body of an address-query return). */
  verifyReturn(input: RawMessage, options?: VerifyMessageOptions): Promise<AlipayMessage>;
  /** Verifies an asynchronous notification from its raw POST body bytes. */
  verifyNotification(body: string | Uint8Array, options?: VerifyMessageOptions): Promise<AlipayMessage>;
  /** Verifies a return and applies it through the same exactly-once path as notifications. */
  handleReturn(input: RawMessage, options?: HandleReturnOptions): Promise<AlipayMessage>;
  /** An exactly-once notification handler with adapters for Node http, Express, Fastify and Web Request/Response. */
  notificationHandler(options: NotificationHandlerOptions): NotificationHandler;
}

/**
 * Creates a client from the merchant's configuration.
 * @example
 * const alipay = createClient({ partner: '2088101122136241', key: process.env.ALIPAY_KEY!, sellerEmail: 'shop@example.com',
 *   gateway: 'http://127.0.0.1:7000/gateway.do', notifyUrl: 'https://shop.example.com/alipay/notify' });
 * const pay = await alipay.createDirectPayByUser({ out_trade_no: 'A1001', subject: '《三体》', total_fee: '88.00',
 *   return_url: 'https://shop.example.com/alipay/return' });
 * res.redirect(pay.url);
 */
export function createClient(config: AlipayConfig): AlipayClient {
  const resolved = resolveConfig(config);
  return {
    config: resolved,
    createDirectPayByUser: (input) => createDirectPayByUser(resolved, input),
    createPartnerTradeByBuyer: (input) => createPartnerTradeByBuyer(resolved, input),
    tradeCreateByBuyer: (input) => tradeCreateByBuyer(resolved, input),
    authorize: (input) => authorize(resolved, input),
    queryAddress: (input) => queryAddress(resolved, input),
    refundFastpayByPlatformPwd: (input) => refundFastpayByPlatformPwd(resolved, input),
    sendGoodsConfirmByPlatform: (input) => sendGoodsConfirmByPlatform(resolved, input),
    singleTradeQuery: (input) => singleTradeQuery(resolved, input),
    closeTrade: (input) => closeTrade(resolved, input),
    queryTimestamp: () => queryTimestamp(resolved),
    checkNotifyId: (notifyId) => checkNotifyId(resolved, notifyId),
    verifyReturn: (input, options) => verifyReturn(resolved, input, options),
    verifyNotification: (body, options) => verifyNotification(resolved, body, options),
    handleReturn: (input, options) => handleReturn(resolved, input, options),
    notificationHandler: (options) => createNotificationHandler(resolved, options),
  };
}
