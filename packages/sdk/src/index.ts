// `alipay-legacy`: what a merchant integration calls, every export named (no `export *`). The
// building blocks underneath (canonical string, signing, form encoding, charsets, XML, service
// schemas, per-kind message parsers) are `alipay-legacy/protocol` (src/protocol.ts); the README's
// "Where things go" says which entry a new export belongs to. test/public-surface.test.ts pins
// these names.

// Configuration and the client.
export { createClient } from './client.js';
export type { AlipayClient } from './client.js';
export { DEFAULT_GATEWAY, resolveConfig } from './config.js';
export type { AlipayConfig, ResolvedConfig } from './config.js';
export { normalizeCharset } from './charset.js';
export type { Charset } from './charset.js';
export { parseSignType } from './sign.js';
export type { SignType } from './sign.js';
export type { KeyInput } from './keys.js';
export { systemClock } from './clock.js';
export type { Clock } from './clock.js';

// Errors.
export { AlipayError, GatewayError, UsageError, VerificationError } from './errors.js';
export type { AlipayErrorCode, AlipayErrorOptions, AlipayLocalCode, GatewayErrorCode, UsageErrorCode, VerificationReason } from './errors.js';

// Requests: one builder per service, each also a method of the client.
export { createDirectPayByUser } from './requests/direct-pay.js';
export type { DirectPayInput } from './requests/direct-pay.js';
export { createPartnerTradeByBuyer, tradeCreateByBuyer } from './requests/escrow.js';
export type { EscrowInput } from './requests/escrow.js';
export type { TradeInputBase } from './requests/trade-input.js';
export { authorize, queryAddress } from './requests/quick-login.js';
export type { AuthorizeInput, QueryAddressInput } from './requests/quick-login.js';
export { refundFastpayByPlatformPwd } from './requests/refund.js';
export type { RefundInput, RefundItemInput } from './requests/refund.js';
export { closeTrade, queryTimestamp, sendGoodsConfirmByPlatform, singleTradeQuery } from './requests/server-calls.js';
export type {
  CloseTradeInput,
  QueriedTrade,
  QueryTimestampResult,
  SendGoodsInput,
  SendGoodsResult,
  ServerCallResult,
  SingleTradeQueryInput,
  SingleTradeQueryResult,
  TradeAmountField,
} from './requests/server-calls.js';
export type { PageRequest } from './requests/page-request.js';
export type { FormOptions } from './requests/html-form.js';
export type { ServiceName } from './services/schema.js';
export { BANKS, bankByCode } from './services/banks.js';
export type { Bank } from './services/banks.js';

// Receiving: verification and the typed messages.
export { verifyReturn } from './verify/verify-return.js';
export { verifyNotification } from './verify/verify-notification.js';
export type { VerifyMessageOptions } from './verify/verify-message.js';
export type { RawMessage } from './verify/read-message.js';
export { checkNotifyId } from './verify/notify-verify.js';
export { parseMessage } from './messages/parse-message.js';
export type { AlipayMessage, AlipayMessageKind } from './messages/parse-message.js';
export type { MessageBase, MessageVia, OtherMessage } from './messages/message-base.js';
export type { LogisticsPayment, LogisticsType, TradeStatusSyncMessage, YesNo } from './messages/trade-status-sync.js';
export type { BatchRefundNotifyMessage, RefundFeeResult, RefundResultItem } from './messages/batch-refund-notify.js';
export type { AuthReturnMessage, EtaoEntryMessage } from './messages/auth-return.js';
export type { AddressReturnMessage } from './messages/address-return.js';
export type { ParsedReceiveAddress, ReceiveAddress } from './messages/receive-address.js';
export { LOGIN_STATE_VALIDITY_MS, TOKEN_VALIDITY_MS, tokenExpiresAt } from './quick-login-token.js';

// Handlers: the exactly-once notification handler and its framework adapters, the return page.
export { createNotificationHandler } from './handlers/create-notification-handler.js';
export type { NotificationHandler } from './handlers/create-notification-handler.js';
export { checkExpected } from './handlers/notification-handler.js';
export type {
  ExpectedOrder,
  HandleNotification,
  NotificationContext,
  NotificationErrorContext,
  NotificationHandlerOptions,
  NotificationOutcome,
} from './handlers/notification-handler.js';
export { handleReturn } from './handlers/handle-return.js';
export type { HandleReturnOptions } from './handlers/handle-return.js';
export type { NodeRequestListener } from './handlers/node-http.js';
export type { ExpressLikeMiddleware, ExpressLikeRequest } from './handlers/express.js';
export type {
  FastifyLikeInstance,
  FastifyLikeReply,
  FastifyLikeRequest,
  FastifyNotificationPlugin,
  FastifyNotificationPluginOptions,
} from './handlers/fastify.js';
export type { FetchHandler } from './handlers/web.js';

// Trade status: the order updates are applied in.
export {
  compareProgress,
  isPaid,
  isRefundStatus,
  isTerminalStatus,
  isTradeStatus,
  progressRank,
  REFUND_STATUSES,
  refundStatusRank,
  shouldApply,
  TRADE_STATUSES,
  tradeStatusRank,
  updateOutcome,
} from './trade-status.js';
export type { RefundStatus, TradeProgress, TradeStatus, UpdateOutcome } from './trade-status.js';
export { dualPaymentWay } from './dual-payment-way.js';
export type { DualPaymentWay } from './dual-payment-way.js';

// Money, time and text lengths as they are on the wire.
export { fromFen, isAmount, toFen } from './money.js';
export { docLength } from './services/formats.js';
export { DIRECT_PAY_MAX_FEN, ESCROW_MAX_FEN } from './services/fees.js';
export { formatAlipayTime, parseAlipayTime } from './clock.js';
