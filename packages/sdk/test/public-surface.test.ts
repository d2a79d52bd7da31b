import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as root from '../src/index.js';
import * as protocol from '../src/protocol.js';

/**
 * The names each entry exports. A change here is a change of the published surface: make it on
 * purpose, in the entry the README's "Where things go" names, and update these lists with it.
 */
const ROOT_VALUES = [
  'AlipayError', 'BANKS', 'DEFAULT_GATEWAY', 'DIRECT_PAY_MAX_FEN', 'ESCROW_MAX_FEN', 'GatewayError',
  'LOGIN_STATE_VALIDITY_MS', 'REFUND_STATUSES', 'TOKEN_VALIDITY_MS', 'TRADE_STATUSES', 'VerificationError',
  'authorize', 'bankByCode', 'checkExpected', 'checkNotifyId', 'closeTrade', 'compareProgress', 'createClient',
  'createDirectPayByUser', 'createNotificationHandler', 'createPartnerTradeByBuyer', 'docLength', 'dualPaymentWay',
  'formatAlipayTime', 'fromFen', 'handleReturn', 'isAmount', 'isPaid', 'isRefundStatus', 'isTerminalStatus',
  'isTradeStatus', 'normalizeCharset', 'parseAlipayTime', 'parseMessage', 'parseSignType', 'progressRank',
  'queryAddress', 'queryTimestamp', 'refundFastpayByPlatformPwd', 'refundStatusRank', 'resolveConfig',
  'sendGoodsConfirmByPlatform', 'shouldApply', 'singleTradeQuery', 'systemClock', 'toFen', 'tokenExpiresAt',
  'tradeCreateByBuyer', 'tradeStatusRank', 'updateOutcome', 'verifyNotification', 'verifyReturn', 'UsageError',
];

const ROOT_TYPES = [
  'AddressReturnMessage', 'AlipayClient', 'AlipayConfig', 'AlipayMessage', 'AlipayMessageKind', 'AuthReturnMessage',
  'AuthorizeInput', 'Bank', 'BatchRefundNotifyMessage', 'Charset', 'Clock', 'CloseTradeInput', 'DirectPayInput',
  'DualPaymentWay', 'EscrowInput', 'EtaoEntryMessage', 'ExpectedOrder', 'ExpressLikeMiddleware', 'ExpressLikeRequest',
  'FastifyLikeInstance', 'FastifyLikeReply', 'FastifyLikeRequest', 'FastifyNotificationPlugin',
  'FastifyNotificationPluginOptions', 'FetchHandler', 'FormOptions', 'GatewayErrorCode', 'HandleNotification',
  'HandleReturnOptions', 'KeyInput', 'LogisticsPayment', 'LogisticsType', 'MessageBase', 'MessageVia',
  'NodeRequestListener', 'NotificationContext', 'NotificationErrorContext', 'NotificationHandler',
  'NotificationHandlerOptions', 'NotificationOutcome', 'OtherMessage', 'PageRequest', 'ParsedReceiveAddress',
  'QueriedTrade', 'QueryAddressInput', 'QueryTimestampResult', 'RawMessage', 'ReceiveAddress', 'RefundFeeResult',
  'RefundInput', 'RefundItemInput', 'RefundResultItem', 'RefundStatus', 'ResolvedConfig', 'SendGoodsInput',
  'SendGoodsResult', 'ServerCallResult', 'ServiceName', 'SignType', 'SingleTradeQueryInput', 'SingleTradeQueryResult',
  'TradeAmountField', 'TradeInputBase', 'TradeProgress', 'TradeStatus', 'TradeStatusSyncMessage', 'UpdateOutcome',
  'VerificationReason', 'VerifyMessageOptions', 'YesNo', 'AlipayErrorCode', 'AlipayErrorOptions', 'AlipayLocalCode',
  'UsageErrorCode',
];

const PROTOCOL_VALUES = [
  'CHARSETS', 'LOGISTICS_PAYMENTS', 'LOGISTICS_TYPES', 'MAX_REFUND_ITEMS', 'RECEIVE_ADDRESS_FIELDS', 'SERVICES',
  'TRADE_AMOUNT_FIELDS', 'batchNoProblem', 'buildPageRequest', 'callGateway', 'canonicalize', 'compactParams',
  'customTimeoutParams', 'decodeBytes', 'notificationHeaders', 'encodeComponent', 'encodeForm', 'encodeText', 'escapeHtml',
  'escapeXml', 'formatRefundDetailData', 'generateBatchNo', 'isAscii', 'isServiceName', 'isSignField',
  'loadPrivateKey', 'loadPublicKey', 'logisticsGroups', 'md5Digest', 'notifyVerifyUrl', 'pageRequestFromSigned',
  'parseAddressReturn', 'parseAlipayXml', 'parseAuthReturn', 'parseBatchRefundNotify', 'parseForm', 'parseFormPairs',
  'parseReceiveAddress', 'parseRefundDetailData', 'parseResultDetails', 'parseTradeStatusSync', 'parseXml',
  'peekParam', 'readMessageParams', 'readXmlElements', 'renderAlipayXml', 'renderAutoSubmitForm',
  'renderReceiveAddress', 'renderResultDetails', 'replyCharset', 'rsaDigest', 'safeEqual', 'sign', 'signParams',
  'signPresign', 'textContent', 'tradeTotalFen', 'validateServiceRequest', 'verifyMessageSign', 'verifyPresign',
  'verifySign', 'signMessage', 'beijingDate', 'newEncryptKey', 'newNotifyId', 'newQuickLoginToken',
  'newReturnNotifyId', 'newTradeNo', 'newUserId', 'itBPayDeadline', 'timeoutDaysMs',
];

const PROTOCOL_TYPES = [
  'AlipayXmlReply', 'AlipayXmlReplyInput', 'CrossFieldRule', 'FormPair', 'LogisticsOption', 'MessageSignOptions',
  'NotifyVerifyOptions', 'ParamFormat', 'ParamSpec', 'Params', 'RefundDetailItem', 'RefundResultInput', 'RuleContext',
  'ServiceKind', 'ServiceSchema', 'SignCheck', 'SignOptions', 'ValidateOptions', 'VerifyOptions', 'XmlElement',
];

const sorted = (names: Iterable<string>) => [...names].sort();

/** The type-only exports of each entry, as the compiler sees them (types leave nothing at run time). */
function typeExports(): Record<'root' | 'protocol', string[]> {
  const files = { root: fileURLToPath(new URL('../src/index.ts', import.meta.url)), protocol: fileURLToPath(new URL('../src/protocol.ts', import.meta.url)) };
  const program = ts.createProgram(Object.values(files), {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const typesOf = (file: string) => {
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
    return sorted(
      checker
        .getExportsOfModule(moduleSymbol)
        .filter((s) => !((s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s).flags & ts.SymbolFlags.Value))
        .map((s) => s.name),
    );
  };
  return { root: typesOf(files.root), protocol: typesOf(files.protocol) };
}

describe('the public surface', () => {
  it('exports exactly the pinned values from the root entry', () => {
    expect(sorted(Object.keys(root))).toEqual(sorted(ROOT_VALUES));
  });

  it('exports exactly the pinned values from alipay-legacy/protocol', () => {
    expect(sorted(Object.keys(protocol))).toEqual(sorted(PROTOCOL_VALUES));
  });

  it('exports exactly the pinned types from both entries', { timeout: 30_000 }, () => {
    expect(typeExports()).toEqual({ root: sorted(ROOT_TYPES), protocol: sorted(PROTOCOL_TYPES) });
  });

  it('gives every name one home: nothing is exported from both entries', () => {
    const rootNames = new Set([...ROOT_VALUES, ...ROOT_TYPES]);
    expect([...PROTOCOL_VALUES, ...PROTOCOL_TYPES].filter((name) => rootNames.has(name))).toEqual([]);
  });

  it('keeps the root entry for merchants: no signing, encoding or parsing internals', () => {
    for (const name of ['sign', 'canonicalize', 'encodeForm', 'parseForm', 'verifySign', 'parseXml', 'validateServiceRequest']) {
      expect(root).not.toHaveProperty(name);
      expect(protocol).toHaveProperty(name);
    }
  });
});
