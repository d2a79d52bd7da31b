// Every export of the package, named (STYLE.md §4).
export { canonicalize, compactParams, isSignField } from './canonicalize.js';
export type { Params } from './canonicalize.js';
export { CHARSETS, decodeBytes, encodeText, isAscii, normalizeCharset } from './charset.js';
export type { Charset } from './charset.js';
export { formatAlipayTime, parseAlipayTime, systemClock } from './clock.js';
export type { Clock } from './clock.js';
export { DEFAULT_GATEWAY, resolveConfig } from './config.js';
export type { AlipayConfig, ResolvedConfig } from './config.js';
export { AlipayError, GatewayError, UsageError, VerificationError } from './errors.js';
export type { AlipayErrorCode, AlipayErrorOptions, AlipayLocalCode, GatewayErrorCode, UsageErrorCode, VerificationReason } from './errors.js';
export { encodeComponent, encodeForm, parseForm, parseFormPairs, peekParam } from './form-encoding.js';
export type { FormPair } from './form-encoding.js';
export { loadPrivateKey, loadPublicKey } from './keys.js';
export type { KeyInput } from './keys.js';
export { fromFen, isAmount, toFen } from './money.js';
export {
  md5Digest,
  parseSignType,
  rsaDigest,
  safeEqual,
  sign,
  signPresign,
  verifyPresign,
  verifySign,
} from './sign.js';
export type { SignCheck, SignOptions, SignType, VerifyOptions } from './sign.js';
export { signMessage } from './sign-message.js';
export { beijingDate, newEncryptKey, newNotifyId, newQuickLoginToken, newReturnNotifyId, newTradeNo, newUserId } from './identifiers.js';
export { escapeXml, parseAlipayXml, parseXml, readXmlElements, renderAlipayXml, textContent } from './xml.js';
export type { AlipayXmlReply, AlipayXmlReplyInput, XmlElement } from './xml.js';
// Receiving side: messages, verification, trade status order.
export { parseAddressReturn } from './messages/address-return.js';
export type { AddressReturnMessage } from './messages/address-return.js';
export { parseAuthReturn } from './messages/auth-return.js';
export type { AuthReturnMessage } from './messages/auth-return.js';
export { parseBatchRefundNotify, parseResultDetails, renderResultDetails } from './messages/batch-refund-notify.js';
export type { BatchRefundNotifyMessage, RefundFeeResult, RefundResultInput, RefundResultItem } from './messages/batch-refund-notify.js';
export type { MessageBase, MessageVia, OtherMessage } from './messages/message-base.js';
export { parseMessage } from './messages/parse-message.js';
export type { AlipayMessage, AlipayMessageKind } from './messages/parse-message.js';
export { parseReceiveAddress, RECEIVE_ADDRESS_FIELDS, renderReceiveAddress } from './messages/receive-address.js';
export type { ParsedReceiveAddress, ReceiveAddress } from './messages/receive-address.js';
export { parseTradeStatusSync } from './messages/trade-status-sync.js';
export type { LogisticsPayment, LogisticsType, TradeStatusSyncMessage, YesNo } from './messages/trade-status-sync.js';
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
export { verifyMessageSign } from './verify/check-sign.js';
export type { MessageSignOptions } from './verify/check-sign.js';
export { checkNotifyId, notifyVerifyUrl } from './verify/notify-verify.js';
export type { NotifyVerifyOptions } from './verify/notify-verify.js';
export { readMessageParams } from './verify/read-message.js';
export type { RawMessage } from './verify/read-message.js';
export type { VerifyMessageOptions } from './verify/verify-message.js';
export { verifyNotification } from './verify/verify-notification.js';
export { verifyReturn } from './verify/verify-return.js';
export { SERVICES, isServiceName } from './services/registry.js';
export { customTimeoutParams, validateServiceRequest } from './services/validate.js';
export type { ValidateOptions } from './services/validate.js';
export type { CrossFieldRule, ParamFormat, ParamSpec, RuleContext, ServiceKind, ServiceName, ServiceSchema } from './services/schema.js';
export { LOGISTICS_PAYMENTS, LOGISTICS_TYPES, logisticsGroups } from './services/logistics.js';
export type { LogisticsOption } from './services/logistics.js';
export { DIRECT_PAY_MAX_FEN, ESCROW_MAX_FEN, tradeTotalFen } from './services/fees.js';
export { MAX_REFUND_ITEMS, batchNoProblem, formatRefundDetailData, parseRefundDetailData } from './services/refund-detail.js';
export type { RefundDetailItem } from './services/refund-detail.js';
export { docLength, itBPayDeadline, timeoutDaysMs } from './services/formats.js';
export { createNotificationHandler } from './handlers/create-notification-handler.js';
export type { NotificationHandler } from './handlers/create-notification-handler.js';
export type { ExpressLikeMiddleware, ExpressLikeRequest } from './handlers/express.js';
export type {
  FastifyLikeInstance,
  FastifyLikeReply,
  FastifyLikeRequest,
  FastifyNotificationPlugin,
  FastifyNotificationPluginOptions,
} from './handlers/fastify.js';
export { handleReturn } from './handlers/handle-return.js';
export type { HandleReturnOptions } from './handlers/handle-return.js';
export type { NodeRequestListener } from './handlers/node-http.js';
export { checkExpected } from './handlers/notification-handler.js';
export type {
  ExpectedOrder,
  HandleNotification,
  NotificationContext,
  NotificationErrorContext,
  NotificationHandlerOptions,
  NotificationOutcome,
} from './handlers/notification-handler.js';
export type { FetchHandler } from './handlers/web.js';
export { buildPageRequest, pageRequestFromSigned } from './requests/page-request.js';
export type { PageRequest } from './requests/page-request.js';
export { escapeHtml, renderAutoSubmitForm } from './requests/html-form.js';
export type { FormOptions } from './requests/html-form.js';
export { signParams } from './requests/sign-params.js';
export { createDirectPayByUser } from './requests/direct-pay.js';
export type { DirectPayInput } from './requests/direct-pay.js';
export type { TradeInputBase } from './requests/trade-input.js';
export { createPartnerTradeByBuyer, tradeCreateByBuyer } from './requests/escrow.js';
export type { EscrowInput } from './requests/escrow.js';
export { authorize, queryAddress } from './requests/quick-login.js';
export type { AuthorizeInput, QueryAddressInput } from './requests/quick-login.js';
export { generateBatchNo, refundFastpayByPlatformPwd } from './requests/refund.js';
export type { RefundInput, RefundItemInput } from './requests/refund.js';
export { closeTrade, queryTimestamp, sendGoodsConfirmByPlatform, singleTradeQuery, TRADE_AMOUNT_FIELDS } from './requests/server-calls.js';
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
export { callGateway, replyCharset } from './requests/gateway-call.js';
export { createClient } from './client.js';
export type { AlipayClient } from './client.js';
export { dualPaymentWay } from './dual-payment-way.js';
export type { DualPaymentWay } from './dual-payment-way.js';
export { BANKS, bankByCode } from './services/banks.js';
export type { Bank } from './services/banks.js';
export { LOGIN_STATE_VALIDITY_MS, TOKEN_VALIDITY_MS, tokenExpiresAt } from './quick-login-token.js';
