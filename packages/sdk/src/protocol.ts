/**
 * `alipay-legacy/protocol`: the building blocks the root entry is made of, for code that speaks
 * the wire itself (a gateway emulator, a conformance test, a tool that signs by hand): the
 * canonical string, signing, form encoding, charsets, XML replies, the services' parameter
 * schemas and their validation, the per-kind message parsers, page-request assembly and raw
 * gateway calls. A merchant integration needs none of it: `createClient` and the root entry do
 * all of this. Every export named (no `export *`); types that appear in the root entry's signatures
 * (`Charset`, `SignType`, `ServiceName`…) are imported from the root.
 */

// The canonical string and signing (protocol.md §2).
export { canonicalize, compactParams, isSignField } from './canonicalize.js';
export type { Params } from './canonicalize.js';
export { md5Digest, rsaDigest, safeEqual, sign, signPresign, verifyPresign, verifySign } from './sign.js';
export type { SignCheck, SignOptions, VerifyOptions } from './sign.js';
export { loadPrivateKey, loadPublicKey } from './keys.js';
export { signMessage } from './sign-message.js';

// Identifiers in the gateway's formats (protocol.md §3.2; decisions.md §9).
export { beijingDate, newEncryptKey, newNotifyId, newQuickLoginToken, newReturnNotifyId, newTradeNo, newUserId } from './identifiers.js';

// Bytes on the wire: charsets and form encoding (protocol.md §1.4, §2.4).
export { CHARSETS, decodeBytes, encodeText, isAscii } from './charset.js';
export { encodeComponent, encodeForm, parseForm, parseFormPairs, peekParam } from './form-encoding.js';
export type { FormPair } from './form-encoding.js';

// XML replies of server calls (protocol.md §4.4, §4.9, §7.1).
export { escapeXml, parseAlipayXml, parseXml, readXmlElements, renderAlipayXml, textContent } from './xml.js';
export type { AlipayXmlReply, AlipayXmlReplyInput, XmlElement } from './xml.js';

// The services' parameter schemas and the gateway's checks (protocol.md §3, §4).
export { SERVICES, isServiceName } from './services/registry.js';
export { customTimeoutParams, validateServiceRequest } from './services/validate.js';
export type { ValidateOptions } from './services/validate.js';
export type { CrossFieldRule, ParamFormat, ParamSpec, RuleContext, ServiceKind, ServiceSchema } from './services/schema.js';
export { itBPayDeadline, timeoutDaysMs } from './services/formats.js';
export { LOGISTICS_PAYMENTS, LOGISTICS_TYPES, logisticsGroups } from './services/logistics.js';
export type { LogisticsOption } from './services/logistics.js';
export { tradeTotalFen } from './services/fees.js';
export { MAX_REFUND_ITEMS, batchNoProblem, formatRefundDetailData, parseRefundDetailData } from './services/refund-detail.js';
export type { RefundDetailItem } from './services/refund-detail.js';

// Building requests below the builders.
export { buildPageRequest, pageRequestFromSigned } from './requests/page-request.js';
export { escapeHtml, renderAutoSubmitForm } from './requests/html-form.js';
export { signParams } from './requests/sign-params.js';
export { generateBatchNo } from './requests/refund.js';
export { TRADE_AMOUNT_FIELDS } from './requests/server-calls.js';
export { callGateway, replyCharset } from './requests/gateway-call.js';

// Receiving, step by step: what verifyReturn / verifyNotification do, one function a step.
export { readMessageParams } from './verify/read-message.js';
export { verifyMessageSign } from './verify/check-sign.js';
export type { MessageSignOptions } from './verify/check-sign.js';
export { notifyVerifyUrl } from './verify/notify-verify.js';
export type { NotifyVerifyOptions } from './verify/notify-verify.js';
export { parseTradeStatusSync } from './messages/trade-status-sync.js';
export { parseBatchRefundNotify, parseResultDetails, renderResultDetails } from './messages/batch-refund-notify.js';
export type { RefundResultInput } from './messages/batch-refund-notify.js';
export { parseAuthReturn } from './messages/auth-return.js';
export { parseAddressReturn } from './messages/address-return.js';
export { parseReceiveAddress, RECEIVE_ADDRESS_FIELDS, renderReceiveAddress } from './messages/receive-address.js';
export { notificationHeaders } from './messages/notification-headers.js';
