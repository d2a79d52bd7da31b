// Every service of the sandbox, named. Plain async functions over SandboxDeps; each
// owns its transaction (trade update + trade_events + notifications), then nudges the dispatcher.
export { SandboxError } from './errors.js';
export type { SandboxErrorCode } from './errors.js';
export { getAlipayKeys, getMerchant, listMerchants, requireMerchant, unknownPartner, updateMerchantSettings } from './merchants.js';
export { checkLoginPassword, checkPayPassword, findBuyerByLogin, getBuyer, listAddresses, listBuyers } from './buyers.js';
export { findTrade, getTrade, listTrades, openTrade, tradeEvents } from './trades.js';
export type { OpenTradeInput } from './trades.js';
export { confirmOrder, payTrade, requireBank } from './cashier.js';
export type { ConfirmOrderInput, PayTradeInput, PayTradeResult } from './cashier.js';
export { closeTrade, confirmReceipt, shipTrade } from './fulfilment.js';
export type { CloseTradeInput, ShipTradeInput } from './fulfilment.js';
export { agreeRefund, confirmReturnedGoods, latestEscrowRefunds, listRefunds, markGoodsReturned, refuseRefund, requestRefund } from './escrow-refunds.js';
export type { RequestRefundInput } from './escrow-refunds.js';
export { confirmRefundBatch, createRefundBatch, getRefundBatch, listRefundBatches } from './refund-batches.js';
export type { CreateRefundBatchInput } from './refund-batches.js';
export { buildReturnUrl } from './returns.js';
export { verifyNotifyId } from './notify-ids.js';
export { buildAddressReturnForm, buildAuthReturnUrl, issueToken, resolveToken } from './quick-login.js';
export type { AddressReturnInput, AuthReturnInput } from './quick-login.js';
export { addressQueryForm, authorizeReturnUrl, etaoEntryUrl } from './quick-login-helpers.js';
export { consumeAntiPhishingKey, issueAntiPhishingKey } from './anti-phishing.js';
export { listNotifications, recoverGivenUp, replayNotification } from './observation.js';
export type { RecoverInput, RecoverResult } from './observation.js';
export { faultKindsText, faultParameters, getFault, setFault } from './faults.js';
export type { FaultInput } from './faults.js';
export { activityCursor, readActivity } from './activity.js';
export type { ActivityCursor } from './activity.js';
export { advanceClock, nextDueAt } from './clock-control.js';
export type { ClockAdvance } from './clock-control.js';
export { DELIVERY_STATES, deliveryStateOf, getNotification, replaysOf, searchNotifications, searchTrades } from './lists.js';
export type { DeliveryState, ListFilter, ListPage, Paging, TradeRow } from './lists.js';
export { TRADE_ACTIONS, isTradeAction, offeredActions, takeTradeAction, tradeActions } from './trade-actions.js';
export type { OfferedActions, TradeAction, TradeActionInput } from './trade-actions.js';
export { pairEvents, tradeHistory } from './trade-history.js';
export type { TimelineEntry, TradeHistory } from './trade-history.js';
export { nextTimeoutAt, runTimeouts } from './timeouts.js';
export type {
  Actor,
  Address,
  Buyer,
  DeliveryAttempt,
  Fault,
  KeyPair,
  LogisticsOption,
  LogisticsPayment,
  LogisticsType,
  Merchant,
  MerchantSettingsPatch,
  Notification,
  NotificationState,
  NotificationWithAttempts,
  PayMethod,
  Refund,
  RefundBatch,
  RefundBatchItem,
  RefundStatus,
  Trade,
  TradeEvent,
  TradeService,
  TradeStatus,
} from './types.js';
