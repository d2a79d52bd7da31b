import type { FaultKind } from '../dispatcher/faults/index.js';
import type { Charset, RefundStatus as SdkRefundStatus, SignType } from 'alipay-legacy';
import type { LogisticsOption as SdkLogisticsOption } from 'alipay-legacy/protocol';
import type { TradeService } from '../service-catalogue.js';

/** The domain objects services hand out (camelCase views of store rows; money in fen, times in ms). */

export interface Merchant {
  partner: string;
  key: string;
  sellerEmail: string;
  sellerId: string;
  displayName: string;
  signTypes: SignType[];
  /** The merchant's RSA public key (PEM), to verify its RSA requests. */
  rsaPublicKey: string | null;
  /** The merchant's RSA private key (PEM), for the CLI to print; never used by the gateway. */
  rsaPrivateKey: string | null;
  /** Enabled (contracted) services. */
  services: string[];
  antiPhishing: boolean;
  ipCheck: boolean;
  advancedInstant: boolean;
  /** Whether custom timeouts (it_b_pay, t_s_send_*, t_b_rec_post) are enabled. */
  selfTimeout: boolean;
  refundWindowDays: number;
}

export type MerchantSettingsPatch = Partial<
  Pick<
    Merchant,
    | 'displayName'
    | 'signTypes'
    | 'rsaPublicKey'
    | 'services'
    | 'antiPhishing'
    | 'ipCheck'
    | 'advancedInstant'
    | 'selfTimeout'
    | 'refundWindowDays'
    | 'sellerEmail'
  >
>;

export interface Buyer {
  userId: string;
  login: string;
  email: string;
  realName: string;
  mobile: string | null;
  balanceFen: number;
}

/** A saved address in the field shape of decisions.md §17. */
export interface Address {
  id: number;
  userId: string;
  position: number;
  fullname: string;
  prov: string;
  city: string;
  area: string;
  address: string;
  addressCode: string;
  mobilePhone: string;
  phone: string;
  post: string;
}

/** The logistics types and freight payers of protocol.md §4.2, as the SDK names them. */
export type LogisticsType = SdkLogisticsOption['type'];
export type LogisticsPayment = SdkLogisticsOption['payment'];

/** One logistics group of an escrow request (logistics_type[_n], logistics_fee[_n], logistics_payment[_n]). */
export interface LogisticsOption {
  type: LogisticsType;
  feeFen: number;
  payment: LogisticsPayment;
}

/** The statuses the sandbox's trades take: the main line of protocol.md §5.1 (a subset of the SDK's `TradeStatus`). */
export type TradeStatus =
  | 'WAIT_BUYER_PAY'
  | 'WAIT_SELLER_SEND_GOODS'
  | 'WAIT_BUYER_CONFIRM_GOODS'
  | 'TRADE_SUCCESS'
  | 'TRADE_FINISHED'
  | 'TRADE_CLOSED';

/** Every refund_status of protocol.md §5.4: the SDK's own union, so both sides name the same values. */
export type RefundStatus = SdkRefundStatus;

/** The payment services, which create trades (service-catalogue.ts). */
export type { TradeService };

export type PayMethod = 'instant' | 'escrow';

/**
 * A trade, as services see it; its row (store/schema.ts `TradesTable`) is derived from it, column
 * by column. What a trade says on the wire (notifications, returns, single_trade_query) is read
 * from it by the field map of trade-fields.ts.
 */
export interface Trade {
  tradeNo: string;
  partner: string;
  outTradeNo: string;
  service: TradeService;
  charset: Charset;
  signType: SignType;
  /** The verified request parameters (sign removed), for the data-match check (decisions.md §15). */
  requestParams: Record<string, string>;
  subject: string;
  body: string | null;
  paymentType: string;
  priceFen: number;
  quantity: number;
  /** What the buyer pays: price × quantity + logistics fee (unless BUYER_PAY_AFTER_RECEIVE) + discount. */
  totalFeeFen: number;
  discountFen: number;
  /** True while total_fee is an estimate (escrow, before the buyer chose logistics). */
  totalFeeAdjust: boolean;
  /** The logistics groups of an escrow request (up to three). */
  logisticsOptions: LogisticsOption[];
  /** Index of the chosen logistics group, once the buyer confirmed the order. */
  logisticsIndex: number | null;
  /** How the buyer paid, once paid. */
  method: PayMethod | null;
  buyerId: string | null;
  buyerEmail: string | null;
  sellerId: string;
  sellerEmail: string;
  tradeStatus: TradeStatus;
  refundStatus: RefundStatus | null;
  addressId: number | null;
  receiveName: string | null;
  receiveAddress: string | null;
  receiveZip: string | null;
  receivePhone: string | null;
  receiveMobile: string | null;
  logisticsName: string | null;
  invoiceNo: string | null;
  transportType: string | null;
  notifyUrl: string | null;
  returnUrl: string | null;
  extraCommonParam: string | null;
  showUrl: string | null;
  gmtCreate: number;
  gmtPayment: number | null;
  gmtSendGoods: number | null;
  gmtLogisticsModify: number | null;
  gmtClose: number | null;
  gmtRefund: number | null;
  /** it_b_pay deadline: an unpaid trade closes then (decisions.md §13). */
  closeAt: number | null;
  /** t_b_rec_post as milliseconds (days with up to two decimals, protocol.md §4.2), when given. */
  tBRecPostMs: number | null;
  /** Escrow auto-finish time once shipped (decisions.md §11). */
  confirmDeadline: number | null;
  /** TRADE_SUCCESS becomes TRADE_FINISHED then (decisions.md §10). */
  refundWindowEnd: number | null;
  refundedFen: number;
  /** Bumped on every change; updates are guarded by it. */
  version: number;
  /** Sequence of the trade's last notification (migration 0002). */
  notifySeq: number;
  updatedAt: number;
}

export type Actor = 'buyer' | 'seller' | 'merchant' | 'system';

export interface TradeEvent {
  id: number;
  tradeNo: string;
  at: number;
  actor: Actor;
  kind: string;
  fromStatus: TradeStatus | null;
  toStatus: TradeStatus;
  refundStatus: RefundStatus | null;
  detail: Record<string, unknown>;
}

export type NotificationState = 'pending' | 'delivering' | 'acknowledged' | 'retrying' | 'given_up';

export interface DeliveryAttempt {
  id: number;
  notificationId: number;
  number: number;
  workerId: string;
  startedAt: number;
  finishedAt: number | null;
  durationMs: number | null;
  requestBody: string;
  httpStatus: number | null;
  responseBody: string | null;
  error: string | null;
  warning: string | null;
  fault: string | null;
  acknowledged: boolean;
}

export interface Notification {
  id: number;
  tradeNo: string | null;
  batchNo: string | null;
  sequence: number;
  partner: string;
  url: string;
  notifyType: string;
  charset: Charset;
  notifyId: string;
  params: Record<string, string>;
  body: string;
  state: NotificationState;
  attempts: number;
  nextAttemptAt: number;
  lockedUntil: number | null;
  replayOf: number | null;
  lastError: string | null;
  createdAt: number;
  acknowledgedAt: number | null;
}

export interface NotificationWithAttempts extends Notification {
  deliveryAttempts: DeliveryAttempt[];
}

/** A refund of one escrow trade (protocol.md §12.8) or one item of a refund batch. */
export interface Refund {
  id: number;
  tradeNo: string;
  kind: 'escrow' | 'batch';
  batchId: number | null;
  amountFen: number;
  reason: string;
  returnGoods: boolean;
  status: string;
  createdAt: number;
  updatedAt: number;
}

export interface RefundBatchItem {
  tradeNo: string;
  amountFen: number;
  reason: string;
}

export interface RefundBatch {
  id: number;
  partner: string;
  batchNo: string;
  charset: Charset;
  signType: SignType;
  notifyUrl: string | null;
  requestParams: Record<string, string>;
  batchNum: number;
  items: RefundBatchItem[];
  status: 'WAIT_SELLER_CONFIRM' | 'DONE';
  successNum: number | null;
  resultDetails: string | null;
  createdAt: number;
  confirmedAt: number | null;
}

/**
 * Fault injection per merchant, applied by the dispatcher: each kind is a file under
 * dispatcher/faults/ (drop: attempts lost, never sent; delay: each first attempt postponed by
 * `seconds` of virtual time; duplicate: each attempt sent twice). `count`: how many attempts (for
 * delay, notifications) it acts on; `seconds` only for the kinds that take it.
 */
export type Fault = { kind: 'none' } | { kind: FaultKind; seconds?: number; count?: number };

/** The sandbox's own "Alipay" RSA key pair (signs RSA returns and notifications). */
export interface KeyPair {
  privateKey: string;
  publicKey: string;
}
