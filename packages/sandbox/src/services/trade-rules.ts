import { bankByCode, GatewayError, toFen, type Bank } from 'alipay-legacy';
import { itBPayDeadline, logisticsGroups, timeoutDaysMs, tradeTotalFen } from 'alipay-legacy/protocol';
import { isEscrowService, payMethodsOf } from '../service-catalogue.js';
import { SandboxError } from './errors.js';
import type {
  Actor,
  Address,
  Buyer,
  LogisticsOption,
  PayMethod,
  Refund,
  RefundStatus,
  Trade,
  TradeService,
  TradeStatus,
} from './types.js';

/**
 * The trade state machines of decisions.md §9–15 and protocol.md §12.8, as pure functions: a trade
 * and an input in, the changed trade and what to record and notify out. No database, no clock
 * (times are arguments), so every transition is unit-tested on its own.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** What a transition produced: the trade after it, the event to record, whether to notify. */
export interface Transition {
  trade: Trade;
  event: EventDraft;
  /** Whether a trade_status_sync goes out for this change (when the trade has a notify_url). */
  notify: boolean;
}

export interface EventDraft {
  actor: Actor;
  kind: string;
  fromStatus: TradeStatus | null;
  toStatus: TradeStatus;
  refundStatus: RefundStatus | null;
  detail: Record<string, unknown>;
}

export const UNPAID_TIMEOUT_DEFAULT_MS = 15 * DAY;

/** Parameters that do not count in the data-match check (decisions.md §15): they change per request by design. */
const VOLATILE_PARAMS = new Set(['sign', 'sign_type', 'anti_phishing_key', 'exter_invoke_ip', 'token', '_input_charset']);

/** decisions.md §15: the same out_trade_no must carry the same data. Returns the first differing name. */
export function requestDataMismatch(stored: Record<string, string>, incoming: Record<string, string>): string | undefined {
  const names = new Set([...Object.keys(stored), ...Object.keys(incoming)]);
  for (const name of [...names].sort()) {
    if (VOLATILE_PARAMS.has(name)) continue;
    const a = stored[name] ?? '';
    const b = incoming[name] ?? '';
    if (a !== b) return name;
  }
  return undefined;
}

/**
 * When an unpaid trade closes: at its it_b_pay (the SDK reads the value, protocol.md §4.1), or
 * after 15 days without one (decisions.md §13).
 */
export function unpaidDeadline(itBPay: string | undefined, createdAt: number): number {
  return itBPay === undefined || itBPay === '' ? createdAt + UNPAID_TIMEOUT_DEFAULT_MS : itBPayDeadline(itBPay, createdAt);
}

/** The logistics options of an escrow request (the SDK reads the groups, protocol.md §4.2), freight in fen. */
export function logisticsOptionsOf(params: Readonly<Record<string, string>>): LogisticsOption[] {
  return logisticsGroups(params).map((group) => ({ type: group.type, feeFen: toFen(group.fee, `logistics_fee${group.suffix}`), payment: group.payment }));
}

/** An absent parameter: not sent, or sent empty (protocol.md §2.1). */
const blank = (value: string | undefined): boolean => value === undefined || value === '';

export interface NewTradeInput {
  tradeNo: string;
  partner: string;
  service: TradeService;
  params: Record<string, string>;
  charset: Trade['charset'];
  signType: Trade['signType'];
  sellerId: string;
  sellerEmail: string;
  now: number;
}

/**
 * A new WAIT_BUYER_PAY trade from a payment request's parameters. They have passed the SDK's
 * `validateServiceRequest` (the gateway check runs it), so amounts, logistics groups and timeouts
 * are read here, not checked again.
 */
export function newTrade(input: NewTradeInput): Transition {
  const { params, service, now } = input;
  const escrow = isEscrowService(service);
  // The SDK's amount rule (protocol.md §4.1, §4.2): direct pay total_fee or price × quantity;
  // escrow price × quantity + the first logistics group's freight + discount until the buyer
  // chooses a group. A direct-pay total_fee request is reported back as price = total_fee,
  // quantity = 1.
  const totalFeeFen = tradeTotalFen({ ...params, service });
  const byTotal = !escrow && !blank(params.total_fee);
  const priceFen = byTotal ? totalFeeFen : toFen(params.price ?? '', 'price');
  const quantity = byTotal || blank(params.quantity) ? 1 : Number(params.quantity);
  const discountFen = escrow && !blank(params.discount) ? toFen(params.discount!, 'discount') : 0;
  const logisticsOptions = escrow ? logisticsOptionsOf(params) : [];

  const opt = (name: string): string | null => (params[name] ? params[name]! : null);
  const tBRecPost = params.t_b_rec_post;
  const trade: Trade = {
    tradeNo: input.tradeNo,
    partner: input.partner,
    outTradeNo: params.out_trade_no ?? '',
    service,
    charset: input.charset,
    signType: input.signType,
    requestParams: { ...params },
    subject: params.subject ?? '',
    body: opt('body'),
    paymentType: params.payment_type || '1',
    priceFen,
    quantity,
    totalFeeFen,
    discountFen,
    totalFeeAdjust: escrow,
    logisticsOptions,
    logisticsIndex: null,
    method: null,
    buyerId: null,
    buyerEmail: null,
    sellerId: input.sellerId,
    sellerEmail: input.sellerEmail,
    tradeStatus: 'WAIT_BUYER_PAY',
    refundStatus: null,
    addressId: null,
    receiveName: opt('receive_name'),
    receiveAddress: opt('receive_address'),
    receiveZip: opt('receive_zip'),
    receivePhone: opt('receive_phone'),
    receiveMobile: opt('receive_mobile'),
    logisticsName: null,
    invoiceNo: null,
    transportType: null,
    notifyUrl: opt('notify_url'),
    returnUrl: opt('return_url'),
    extraCommonParam: opt('extra_common_param'),
    showUrl: opt('show_url'),
    gmtCreate: now,
    gmtPayment: null,
    gmtSendGoods: null,
    gmtLogisticsModify: null,
    gmtClose: null,
    gmtRefund: null,
    closeAt: unpaidDeadline(params.it_b_pay, now),
    tBRecPostMs: blank(tBRecPost) ? null : timeoutDaysMs(tBRecPost!, 't_b_rec_post'),
    confirmDeadline: null,
    refundWindowEnd: null,
    refundedFen: 0,
    version: 1,
    notifySeq: 0,
    updatedAt: now,
  };
  // decisions.md §10: direct pay never notifies WAIT_BUYER_PAY; escrow notifies it once the
  // buyer confirmed the order (§11), not at creation.
  return { trade, event: draft('merchant', 'created', null, trade, {}), notify: false };
}

function draft(actor: Actor, kind: string, from: TradeStatus | null, trade: Trade, detail: Record<string, unknown>): EventDraft {
  return { actor, kind, fromStatus: from, toStatus: trade.tradeStatus, refundStatus: trade.refundStatus, detail };
}

function changed(trade: Trade, patch: Partial<Trade>, now: number): Trade {
  return { ...trade, ...patch, version: trade.version + 1, updatedAt: now };
}

/**
 * Whether the buyer may pay the trade now: it is unpaid and its it_b_pay has not passed
 * (decisions.md §13). Otherwise the refusal, TRADE_NOT_ALLOWED_PAY ("该笔交易已经关闭或已经付过款，
 * 不能再付款", protocol.md §7.3): the cashier, the payment request sent again (decisions.md §15),
 * the API and the payment itself all ask this.
 */
export function payRefusal(trade: Trade, now: number): GatewayError | undefined {
  const late = trade.tradeStatus === 'WAIT_BUYER_PAY' && trade.closeAt !== null && now >= trade.closeAt;
  if (trade.tradeStatus === 'WAIT_BUYER_PAY' && !late) return undefined;
  const why = late ? 'its payment deadline (it_b_pay) has passed' : `it is ${trade.tradeStatus}: paid or closed`;
  return new GatewayError('TRADE_NOT_ALLOWED_PAY', `trade ${trade.tradeNo} (out_trade_no ${trade.outTradeNo}) cannot be paid: ${why}`);
}

/** Throws payRefusal's refusal, if any. */
export function requirePayable(trade: Trade, now: number): void {
  const refusal = payRefusal(trade, now);
  if (refusal) throw refusal;
}

/** The buyer may not be the seller (BUYER_SELLER_EQUAL, protocol.md §7.3). */
export function requireBuyerNotSeller(trade: Trade, buyer: Buyer): void {
  if (buyer.userId === trade.sellerId || buyer.email === trade.sellerEmail || buyer.login === trade.sellerEmail) {
    throw new GatewayError('BUYER_SELLER_EQUAL', `the buyer ${buyer.login} is the seller of trade ${trade.tradeNo}`);
  }
}

/** The total once the buyer chose logistics group `logisticsIndex` (the SDK's amount rule, protocol.md §4.2). */
export function totalAfterConfirm(trade: Trade, logisticsIndex: number): number {
  if (!isEscrowService(trade.service)) return trade.totalFeeFen;
  return tradeTotalFen({ ...trade.requestParams, service: trade.service }, { logisticsOption: logisticsIndex });
}

/**
 * How much of logistics group `logisticsIndex`'s freight the buyer pays: what the SDK's amount rule
 * adds to the total for it (protocol.md §4.2), measured against the same group without freight.
 */
export function freightChargedFen(trade: Trade, logisticsIndex: number): number {
  const group = logisticsGroups(trade.requestParams)[logisticsIndex];
  if (!group || !isEscrowService(trade.service)) return 0;
  const withoutFreight = { ...trade.requestParams, service: trade.service, [`logistics_fee${group.suffix}`]: '0' };
  return totalAfterConfirm(trade, logisticsIndex) - tradeTotalFen(withoutFreight, { logisticsOption: logisticsIndex });
}

/**
 * The online-bank channel the cashier offers a trade: a direct-pay request with
 * `paymethod=bankPay` (protocol.md §4.1, §12.6). `bank` is its `defaultbank` when the SDK's list
 * knows the code; an unknown or missing code leaves the choice to the buyer (decisions.md §27).
 * Undefined when the request did not ask for bank payment.
 */
export function bankChannel(trade: Trade): { bank?: Bank; unknownCode?: string } | undefined {
  if (trade.service !== 'create_direct_pay_by_user' || trade.requestParams.paymethod !== 'bankPay') return undefined;
  const code = trade.requestParams.defaultbank;
  if (blank(code)) return {};
  const bank = bankByCode(code!);
  return bank ? { bank } : { unknownCode: code! };
}

/** Escrow-type trades are paid after the buyer confirmed logistics and address (decisions.md §11). */
export function awaitsOrderConfirmation(trade: Trade): boolean {
  return isEscrowService(trade.service) && trade.logisticsIndex === null;
}

/** A consignee the merchant filled in (receive_* of protocol.md §4.2). */
export interface Consignee {
  name: string;
  address: string;
  zip: string | null;
  phone: string | null;
  mobile: string | null;
}

/**
 * The consignee an escrow-type request filled in (`receive_name`, `receive_address`, `receive_zip`,
 * `receive_phone`, `receive_mobile`, protocol.md §4.2), when it gave the two the documentation
 * requires for the feature ("至少保证receive_name、receive_address有值"); else undefined.
 */
export function merchantConsignee(trade: Trade): Consignee | undefined {
  const p = trade.requestParams;
  if (!isEscrowService(trade.service) || blank(p.receive_name) || blank(p.receive_address)) return undefined;
  const opt = (name: string): string | null => (blank(p[name]) ? null : p[name]!);
  return { name: p.receive_name!, address: p.receive_address!, zip: opt('receive_zip'), phone: opt('receive_phone'), mobile: opt('receive_mobile') };
}

export interface ConfirmInput {
  buyer: Buyer;
  logisticsIndex: number;
  /** One of the buyer's saved addresses; undefined: the merchant's consignee (decisions.md §27). */
  address: Address | undefined;
  now: number;
}

/**
 * Escrow: the buyer chose a logistics group and an address at the cashier. The status stays
 * WAIT_BUYER_PAY but is notified with logistics_* and receive_* (decisions.md §11; protocol.md
 * §5.2 shows the repeated WAIT_BUYER_PAY). Confirming again (another address) notifies again.
 */
export function confirmOrderTransition(trade: Trade, input: ConfirmInput): Transition {
  if (!isEscrowService(trade.service)) throw new SandboxError('BAD_STATE', `${trade.service} trades have no logistics to confirm`);
  requirePayable(trade, input.now);
  requireBuyerNotSeller(trade, input.buyer);
  const option = trade.logisticsOptions[input.logisticsIndex];
  if (!option) throw new SandboxError('BAD_INPUT', `trade ${trade.tradeNo} has no logistics group ${input.logisticsIndex}`);
  const a = input.address;
  if (a && a.userId !== input.buyer.userId) throw new SandboxError('BAD_INPUT', `address ${a.id} is not one of ${input.buyer.login}'s`);
  const consignee = a ? undefined : merchantConsignee(trade);
  if (!a && !consignee) throw new SandboxError('BAD_INPUT', `trade ${trade.tradeNo} has no consignee from the merchant (receive_name and receive_address): choose an address`);
  const receive = a
    ? {
        addressId: a.id,
        receiveName: a.fullname,
        receiveAddress: `${a.prov}${a.city === a.prov ? '' : a.city}${a.area}${a.address}`,
        receiveZip: a.post,
        receivePhone: a.phone || null,
        receiveMobile: a.mobilePhone || null,
      }
    : { addressId: null, receiveName: consignee!.name, receiveAddress: consignee!.address, receiveZip: consignee!.zip, receivePhone: consignee!.phone, receiveMobile: consignee!.mobile };
  const next = changed(
    trade,
    {
      buyerId: input.buyer.userId,
      buyerEmail: input.buyer.email,
      logisticsIndex: input.logisticsIndex,
      ...receive,
      totalFeeFen: totalAfterConfirm(trade, input.logisticsIndex),
      totalFeeAdjust: false,
      gmtLogisticsModify: input.now,
    },
    input.now,
  );
  const chosen = a ? { addressId: a.id } : { consignee: 'merchant' };
  return { trade: next, event: draft('buyer', 'order_confirmed', trade.tradeStatus, next, { logistics: option, ...chosen }), notify: true };
}

export interface PayInput {
  buyer: Buyer;
  method: PayMethod;
  /** Paid through this online bank (a `defaultbank` code, protocol.md §4.1) instead of the balance (decisions.md §27). */
  bank?: string;
  now: number;
  advancedInstant: boolean;
  refundWindowDays: number;
}

/**
 * The buyer pays (decisions.md §10–12). Direct pay: TRADE_FINISHED, or TRADE_SUCCESS on advanced
 * instant pay. Escrow: WAIT_SELLER_SEND_GOODS, then at once WAIT_BUYER_CONFIRM_GOODS when the
 * chosen logistics is DIRECT. The dual interface's instant way: TRADE_FINISHED directly.
 * Returns one transition per status change, in order.
 */
export function payTransitions(trade: Trade, input: PayInput): Transition[] {
  requirePayable(trade, input.now);
  requireBuyerNotSeller(trade, input.buyer);
  if (!payMethodsOf(trade.service).includes(input.method)) {
    throw new SandboxError('BAD_INPUT', `${trade.service} cannot be paid by ${input.method}`);
  }
  if (awaitsOrderConfirmation(trade)) {
    throw new SandboxError('BAD_STATE', `trade ${trade.tradeNo}: the buyer must confirm logistics and address before paying`);
  }
  if (trade.buyerId !== null && trade.buyerId !== input.buyer.userId) {
    throw new SandboxError('BAD_STATE', `trade ${trade.tradeNo} was confirmed by another buyer`);
  }
  const buyerPatch = { buyerId: input.buyer.userId, buyerEmail: input.buyer.email, method: input.method, gmtPayment: input.now };
  const detail = { method: input.method, amountFen: trade.totalFeeFen, ...(input.bank ? { bank: input.bank } : {}) };
  if (input.method === 'instant') {
    // Advanced instant pay applies to direct pay only: the dual interface's instant way finishes (decisions.md §12).
    const advanced = !isEscrowService(trade.service) && input.advancedInstant;
    const next = changed(
      trade,
      advanced
        ? { ...buyerPatch, tradeStatus: 'TRADE_SUCCESS', refundWindowEnd: input.now + input.refundWindowDays * DAY }
        : { ...buyerPatch, tradeStatus: 'TRADE_FINISHED', gmtClose: input.now },
      input.now,
    );
    return [{ trade: next, event: draft('buyer', 'paid', trade.tradeStatus, next, detail), notify: true }];
  }
  const paid = changed(trade, { ...buyerPatch, tradeStatus: 'WAIT_SELLER_SEND_GOODS' }, input.now);
  const steps: Transition[] = [{ trade: paid, event: draft('buyer', 'paid', trade.tradeStatus, paid, detail), notify: true }];
  const option = trade.logisticsOptions[trade.logisticsIndex ?? 0];
  if (option?.type === 'DIRECT') {
    // decisions.md §11: no goods to send, so the trade ships itself at payment.
    steps.push(shipTransition(paid, { now: input.now, logisticsName: '无需物流', transportType: 'DIRECT', actor: 'system' }));
  }
  return steps;
}

export interface ShipInput {
  now: number;
  logisticsName: string;
  invoiceNo?: string;
  transportType?: string;
  actor?: Actor;
}

/** How long the buyer has to confirm receipt (decisions.md §11): 30 days for POST (or t_b_rec_post), 10 otherwise. */
export function confirmPeriodMs(trade: Trade): number {
  const type = trade.logisticsOptions[trade.logisticsIndex ?? 0]?.type;
  if (type === 'POST') return trade.tBRecPostMs ?? 30 * DAY;
  return 10 * DAY;
}

/** send_goods_confirm_by_platform: WAIT_SELLER_SEND_GOODS → WAIT_BUYER_CONFIRM_GOODS (protocol.md §4.4). */
export function shipTransition(trade: Trade, input: ShipInput): Transition {
  refuse(shipRefusal(trade));
  const next = changed(
    trade,
    {
      tradeStatus: 'WAIT_BUYER_CONFIRM_GOODS',
      gmtSendGoods: input.now,
      logisticsName: input.logisticsName,
      invoiceNo: input.invoiceNo ?? null,
      transportType: input.transportType ?? trade.logisticsOptions[trade.logisticsIndex ?? 0]?.type ?? null,
      confirmDeadline: input.now + confirmPeriodMs(trade),
    },
    input.now,
  );
  return {
    trade: next,
    event: draft(input.actor ?? 'seller', 'shipped', trade.tradeStatus, next, { logisticsName: input.logisticsName, invoiceNo: input.invoiceNo ?? null }),
    notify: true,
  };
}

/** A refund the seller or buyer still has to act on freezes the trade (no receipt, no auto-finish). */
export function isRefundActive(status: RefundStatus | null): boolean {
  return status === 'WAIT_SELLER_AGREE' || status === 'WAIT_BUYER_RETURN_GOODS' || status === 'WAIT_SELLER_CONFIRM_GOODS';
}

/** The buyer confirms receipt, or the confirm timeout ends: WAIT_BUYER_CONFIRM_GOODS → TRADE_FINISHED. */
export function finishTransition(trade: Trade, input: { now: number; actor: Actor }): Transition {
  refuse(receiptRefusal(trade));
  const next = changed(trade, { tradeStatus: 'TRADE_FINISHED', gmtClose: input.now, confirmDeadline: null }, input.now);
  const kind = input.actor === 'system' ? 'confirm_timeout' : 'receipt_confirmed';
  return { trade: next, event: draft(input.actor, kind, trade.tradeStatus, next, {}), notify: true };
}

/**
 * close_trade or the unpaid timeout: WAIT_BUYER_PAY → TRADE_CLOSED. Notified for escrow-type
 * trades only (decisions.md §13; protocol.md §5.2).
 */
export function closeTransition(trade: Trade, input: { now: number; actor: Actor; reason: 'close_trade' | 'timeout'; role?: 'B' | 'S' }): Transition {
  refuse(closeRefusal(trade));
  const next = changed(trade, { tradeStatus: 'TRADE_CLOSED', gmtClose: input.now, closeAt: null }, input.now);
  const detail = input.role ? { role: input.role } : {};
  return { trade: next, event: draft(input.actor, input.reason === 'timeout' ? 'pay_timeout' : 'closed', trade.tradeStatus, next, detail), notify: isEscrowService(trade.service) };
}

/** decisions.md §10: TRADE_SUCCESS becomes TRADE_FINISHED when the refund window ends. */
export function refundWindowEndTransition(trade: Trade, now: number): Transition {
  if (trade.tradeStatus !== 'TRADE_SUCCESS') throw new SandboxError('BAD_STATE', `trade ${trade.tradeNo} is ${trade.tradeStatus}, not TRADE_SUCCESS`);
  const next = changed(trade, { tradeStatus: 'TRADE_FINISHED', gmtClose: now, refundWindowEnd: null }, now);
  return { trade: next, event: draft('system', 'refund_window_ended', trade.tradeStatus, next, {}), notify: true };
}

// ---- Escrow refunds (protocol.md §12.8, decisions.md §14) ----

/** How much of a trade can still be refunded. */
export function refundableFen(trade: Trade): number {
  return trade.totalFeeFen - trade.refundedFen;
}

export interface RefundRequestInput {
  buyerId: string;
  amountFen: number;
  returnGoods: boolean;
  now: number;
}

/** The buyer asks for a refund: refund_status WAIT_SELLER_AGREE (also after SELLER_REFUSE_BUYER, to ask again). */
export function requestRefundTransition(trade: Trade, input: RefundRequestInput): Transition {
  refuse(refundRequestRefusal(trade));
  if (trade.buyerId !== input.buyerId) throw new SandboxError('BAD_STATE', `only the trade's buyer can ask for a refund`);
  if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0 || input.amountFen > refundableFen(trade)) {
    throw new GatewayError('REFUND_AMOUNT_NOT_VALID', `refund amount must be between 0.01 and the ${refundableFen(trade)} fen still refundable`);
  }
  if (input.returnGoods && trade.tradeStatus === 'WAIT_SELLER_SEND_GOODS') {
    throw new SandboxError('BAD_INPUT', 'goods that were not sent cannot be returned');
  }
  const next = changed(trade, { refundStatus: 'WAIT_SELLER_AGREE' }, input.now);
  return {
    trade: next,
    event: draft('buyer', 'refund_requested', trade.tradeStatus, next, { amountFen: input.amountFen, returnGoods: input.returnGoods }),
    notify: true,
  };
}

/** Completes a refund of `amountFen`: REFUND_SUCCESS, and TRADE_CLOSED once everything is refunded. */
export function refundSuccessTransition(trade: Trade, input: { amountFen: number; now: number; actor: Actor; kind: string }): Transition {
  const refundedFen = trade.refundedFen + input.amountFen;
  const full = refundedFen >= trade.totalFeeFen;
  const next = changed(
    trade,
    {
      refundStatus: 'REFUND_SUCCESS',
      refundedFen,
      gmtRefund: input.now,
      ...(full ? { tradeStatus: 'TRADE_CLOSED' as TradeStatus, gmtClose: input.now, confirmDeadline: null, refundWindowEnd: null } : {}),
    },
    input.now,
  );
  return { trade: next, event: draft(input.actor, input.kind, trade.tradeStatus, next, { amountFen: input.amountFen, full }), notify: true };
}

function requireRefundStatus(trade: Trade, status: RefundStatus, action: string): void {
  refuse(refundStepRefusal(trade, status, action));
}

/** The seller agrees: WAIT_BUYER_RETURN_GOODS when goods go back, otherwise REFUND_SUCCESS at once. */
export function agreeRefundTransition(trade: Trade, refund: Refund, now: number): Transition {
  requireRefundStatus(trade, 'WAIT_SELLER_AGREE', 'agreeing');
  if (refund.returnGoods) {
    const next = changed(trade, { refundStatus: 'WAIT_BUYER_RETURN_GOODS' }, now);
    return { trade: next, event: draft('seller', 'refund_agreed', trade.tradeStatus, next, { refundId: refund.id }), notify: true };
  }
  return refundSuccessTransition(trade, { amountFen: refund.amountFen, now, actor: 'seller', kind: 'refund_agreed' });
}

/** The seller refuses: SELLER_REFUSE_BUYER. */
export function refuseRefundTransition(trade: Trade, now: number): Transition {
  requireRefundStatus(trade, 'WAIT_SELLER_AGREE', 'refusing');
  const next = changed(trade, { refundStatus: 'SELLER_REFUSE_BUYER' }, now);
  return { trade: next, event: draft('seller', 'refund_refused', trade.tradeStatus, next, {}), notify: true };
}

/** The buyer sent the goods back: WAIT_SELLER_CONFIRM_GOODS. */
export function goodsReturnedTransition(trade: Trade, input: { buyerId: string; now: number; logisticsName?: string; invoiceNo?: string }): Transition {
  requireRefundStatus(trade, 'WAIT_BUYER_RETURN_GOODS', 'returning goods');
  if (trade.buyerId !== input.buyerId) throw new SandboxError('BAD_STATE', `only the trade's buyer can return the goods`);
  const next = changed(trade, { refundStatus: 'WAIT_SELLER_CONFIRM_GOODS' }, input.now);
  return {
    trade: next,
    event: draft('buyer', 'goods_returned', trade.tradeStatus, next, { logisticsName: input.logisticsName ?? null, invoiceNo: input.invoiceNo ?? null }),
    notify: true,
  };
}

/** The seller received the returned goods: REFUND_SUCCESS. */
export function confirmReturnedGoodsTransition(trade: Trade, refund: Refund, now: number): Transition {
  requireRefundStatus(trade, 'WAIT_SELLER_CONFIRM_GOODS', 'confirming returned goods');
  return refundSuccessTransition(trade, { amountFen: refund.amountFen, now, actor: 'seller', kind: 'returned_goods_received' });
}

// ---- Direct-pay refunds (refund_fastpay_by_platform_pwd, protocol.md §4.11) ----

/**
 * One item of a refund batch: the refund transition, or the result code written in
 * result_details when the item cannot be refunded.
 */
export function batchRefundItem(trade: Trade | undefined, input: { partner: string; amountFen: number; now: number }): Transition | { code: string } {
  if (!trade || trade.partner !== input.partner) return { code: 'TRADE_NOT_EXIST' };
  if (trade.tradeStatus !== 'TRADE_SUCCESS') return { code: trade.tradeStatus === 'TRADE_CLOSED' ? 'TRADE_HAS_CLOSED' : 'TRADE_STATUS_NOT_AVAILD' };
  if (input.amountFen <= 0 || input.amountFen > refundableFen(trade)) return { code: 'REFUND_AMOUNT_NOT_VALID' };
  return refundSuccessTransition(trade, { amountFen: input.amountFen, now: input.now, actor: 'seller', kind: 'batch_refund' });
}

// ---- Who may do what next: the refusals the transitions throw, and the actions they allow ----

function refuse(refusal: Error | undefined): void {
  if (refusal) throw refusal;
}

/** send_goods_confirm_by_platform only in WAIT_SELLER_SEND_GOODS (protocol.md §4.4), not while a refund waits (decisions.md §14). */
export function shipRefusal(trade: Trade): GatewayError | undefined {
  if (trade.tradeStatus !== 'WAIT_SELLER_SEND_GOODS' || trade.method !== 'escrow') {
    return new GatewayError('TRADE_STATUS_NOT_AVAILD', `trade ${trade.tradeNo} is ${trade.tradeStatus}: goods can be sent only in WAIT_SELLER_SEND_GOODS`);
  }
  if (isRefundActive(trade.refundStatus)) return new GatewayError('TRADE_STATUS_NOT_AVAILD', `trade ${trade.tradeNo} has a refund in progress (${trade.refundStatus})`);
  return undefined;
}

/** Receipt is confirmed in WAIT_BUYER_CONFIRM_GOODS, not while a refund waits. */
export function receiptRefusal(trade: Trade): SandboxError | undefined {
  if (trade.tradeStatus !== 'WAIT_BUYER_CONFIRM_GOODS') {
    return new SandboxError('BAD_STATE', `trade ${trade.tradeNo} is ${trade.tradeStatus}: receipt can be confirmed only in WAIT_BUYER_CONFIRM_GOODS`);
  }
  if (isRefundActive(trade.refundStatus)) return new SandboxError('BAD_STATE', `trade ${trade.tradeNo} has a refund in progress (${trade.refundStatus})`);
  return undefined;
}

/** Only an unpaid trade closes (close_trade, protocol.md §4.10). */
export function closeRefusal(trade: Trade): GatewayError | undefined {
  if (trade.tradeStatus === 'WAIT_BUYER_PAY') return undefined;
  return new GatewayError('TRADE_STATUS_NOT_AVAILD', `trade ${trade.tradeNo} is ${trade.tradeStatus}: only an unpaid trade can be closed`);
}

/**
 * A refund is asked for on a paid escrow trade before it finishes, one at a time: again after
 * SELLER_REFUSE_BUYER (the request is revised) or after a partial refund (protocol.md §12.8).
 */
export function refundRequestRefusal(trade: Trade): SandboxError | undefined {
  if (trade.method !== 'escrow' || (trade.tradeStatus !== 'WAIT_SELLER_SEND_GOODS' && trade.tradeStatus !== 'WAIT_BUYER_CONFIRM_GOODS')) {
    return new SandboxError('BAD_STATE', `trade ${trade.tradeNo} is ${trade.tradeStatus}: a refund can be asked for on a paid escrow trade before it finishes`);
  }
  if (isRefundActive(trade.refundStatus)) return new SandboxError('BAD_STATE', `trade ${trade.tradeNo} already has a refund in progress (${trade.refundStatus})`);
  return undefined;
}

/** Each later refund step needs the refund_status before it (protocol.md §12.8). */
function refundStepRefusal(trade: Trade, status: RefundStatus, action: string): SandboxError | undefined {
  if (trade.refundStatus === status) return undefined;
  return new SandboxError('BAD_STATE', `trade ${trade.tradeNo} refund is ${trade.refundStatus ?? 'not requested'}: ${action} needs ${status}`);
}

/**
 * What the buyer may do with a trade at `now`: the protocol's actions (protocol.md §5.3) and the
 * escrow refund step that is the buyer's (RETURN_GOODS, protocol.md §12.8). Each is offered exactly
 * when its transition would accept it; the buyer console renders its forms from this.
 */
export type BuyerAction = 'PAY' | 'REFUND' | 'CONFIRM_GOODS' | 'RETURN_GOODS';

/** What the seller may do: the protocol's actions and the refund steps that are the seller's. */
export type SellerAction = 'MODIFY_TRADE' | 'CLOSE_TRADE' | 'SEND_GOODS' | 'EXTEND_TIMEOUT' | 'AGREE_REFUND' | 'REFUSE_REFUND' | 'CONFIRM_RETURNED_GOODS';

export function buyerActions(trade: Trade, now: number): BuyerAction[] {
  const actions: BuyerAction[] = [];
  if (!payRefusal(trade, now)) actions.push('PAY');
  if (!refundRequestRefusal(trade)) actions.push('REFUND');
  if (!receiptRefusal(trade)) actions.push('CONFIRM_GOODS');
  if (!refundStepRefusal(trade, 'WAIT_BUYER_RETURN_GOODS', 'returning goods')) actions.push('RETURN_GOODS');
  return actions;
}

export function sellerActions(trade: Trade): SellerAction[] {
  const actions: SellerAction[] = [];
  // Changing the price of an unpaid trade: offered on the wire as Alipay did, no sandbox page for it.
  if (trade.tradeStatus === 'WAIT_BUYER_PAY') actions.push('MODIFY_TRADE');
  if (!closeRefusal(trade)) actions.push('CLOSE_TRADE');
  if (!shipRefusal(trade)) actions.push('SEND_GOODS');
  // Giving the buyer more time to confirm: on the wire as the real return showed, no sandbox page for it.
  if (trade.tradeStatus === 'WAIT_BUYER_CONFIRM_GOODS') actions.push('EXTEND_TIMEOUT');
  if (!refundStepRefusal(trade, 'WAIT_SELLER_AGREE', 'agreeing')) actions.push('AGREE_REFUND', 'REFUSE_REFUND');
  if (!refundStepRefusal(trade, 'WAIT_SELLER_CONFIRM_GOODS', 'confirming returned goods')) actions.push('CONFIRM_RETURNED_GOODS');
  return actions;
}

/** The actions the protocol names (protocol.md §5.3): the only ones `buyer_actions` / `seller_actions` carry. */
const PROTOCOL_ACTIONS: ReadonlySet<string> = new Set(['PAY', 'REFUND', 'CONFIRM_GOODS', 'SEND_GOODS', 'MODIFY_TRADE', 'CLOSE_TRADE', 'EXTEND_TIMEOUT']);

/** The actions of a list that go on the wire, in order. */
export function protocolActions(actions: readonly string[]): string[] {
  return actions.filter((action) => PROTOCOL_ACTIONS.has(action));
}
