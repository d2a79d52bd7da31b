import { AlipayError, fromFen, GatewayError, isRefundStatus, isTradeStatus, toFen, type PageRequest, type SendGoodsResult, type SingleTradeQueryResult } from 'alipay-legacy';
import type { ShopDeps } from '../deps.js';
import { orderIsPaid } from '../rules/trade-update.js';
import { applyTradeReport, lockOrder, type ApplyOutcome } from './apply-trade-state.js';
import { ShopError } from './errors.js';
import { addOrderEvent } from './order-events.js';
import { orderByNumber } from './orders.js';
import type { Order } from './rows.js';

async function requireOrder(deps: ShopDeps, outTradeNo: string): Promise<Order> {
  const order = await orderByNumber(deps, outTradeNo);
  if (!order) throw new ShopError('not_found', `no order ${outTradeNo}`);
  return order;
}

/** Turns the SDK's failures of a server call into the shop's refusals (never a 5xx). */
function alipayFailure(error: unknown): never {
  if (error instanceof GatewayError) throw new ShopError('alipay_refused', `支付宝拒绝了请求：${error.code}`, { cause: error });
  if (error instanceof AlipayError) throw new ShopError('alipay_unreachable', `无法连接支付宝：${error.code}`, { cause: error });
  throw error;
}

export interface ShipInput {
  logistics_name: string;
  invoice_no: string;
  transport_type: string;
}

/**
 * Ships an escrow order (send_goods_confirm_by_platform, protocol.md §4.4): allowed while Alipay
 * says WAIT_SELLER_SEND_GOODS. The buyer's confirmation then arrives as a notification.
 */
export async function shipOrder(deps: ShopDeps, outTradeNo: string, input: ShipInput): Promise<void> {
  const order = await requireOrder(deps, outTradeNo);
  if (order.trade_status !== 'WAIT_SELLER_SEND_GOODS' || !order.trade_no) throw new ShopError('bad_state', '只有买家已付款、等待发货的担保交易可以发货');
  const name = input.logistics_name.trim();
  const invoice = input.invoice_no.trim();
  if (!name || name.length > 64) throw new ShopError('bad_input', '请填写物流公司');
  if (!/^[A-Za-z0-9-]{1,32}$/.test(invoice)) throw new ShopError('bad_input', '请填写运单号（字母和数字）');
  const transport = ['EXPRESS', 'POST', 'EMS'].includes(input.transport_type) ? input.transport_type : 'EXPRESS';
  let reply: SendGoodsResult;
  try {
    reply = await deps.alipay.sendGoodsConfirmByPlatform({ trade_no: order.trade_no, logistics_name: name, invoice_no: invoice, transport_type: transport });
  } catch (error) {
    alipayFailure(error);
  }
  const status = reply.trade?.trade_status;
  await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('orders').set({ logistics_name: name, invoice_no: invoice }).where('id', '=', order.id).execute();
    await addOrderEvent(deps, trx, { order_id: order.id, at: deps.clock.now(), source: 'admin', kind: 'shipped', detail: `${name} ${invoice}` });
    const locked = await lockOrder(deps, trx, outTradeNo);
    if (locked && status && isTradeStatus(status)) await applyTradeReport(deps, trx, locked, { trade_status: status }, 'admin');
  });
}

/** Fen refunded or being refunded through batches that did not fail. */
async function refundedFen(deps: ShopDeps, orderId: number): Promise<number> {
  const rows = await deps.db.selectFrom('refund_batches').select('amount_fen').where('order_id', '=', orderId).where('status', '!=', 'failed').execute();
  return rows.reduce((s, r) => s + Number(r.amount_fen), 0);
}

/**
 * Starts a refund of a paid instant order (refund_fastpay_by_platform_pwd, protocol.md §4.11):
 * the batch is recorded, and the seller confirms it at Alipay with the payment password; the
 * result arrives as `batch_refund_notify`.
 */
export async function startRefund(deps: ShopDeps, outTradeNo: string, input: { amount: string; reason: string }): Promise<PageRequest> {
  const order = await requireOrder(deps, outTradeNo);
  const instant = order.payment_service === 'create_direct_pay_by_user' || order.paid_way === 'instant';
  if (!instant || !order.trade_no || !orderIsPaid(order)) throw new ShopError('bad_state', '只有已付款的即时到账订单可以这样退款');
  let fen: number;
  try {
    fen = toFen(input.amount.trim(), 'amount');
  } catch {
    throw new ShopError('bad_input', '退款金额格式不对，例如 0.01');
  }
  const left = order.total_fen - (await refundedFen(deps, order.id));
  if (fen <= 0 || fen > left) throw new ShopError('bad_input', `退款金额应在 0.01 到 ${fromFen(left)} 之间`);
  const reason = input.reason.trim().replace(/[\^$|#]/g, ' ') || '协商退款';
  let request: PageRequest;
  try {
    request = await deps.alipay.refundFastpayByPlatformPwd({ detail_data: [{ trade_no: order.trade_no, amount: fromFen(fen), reason: reason.slice(0, 80) }] });
  } catch (error) {
    alipayFailure(error);
  }
  const batchNo = request.params.batch_no!;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('refund_batches')
      .values({ batch_no: batchNo, order_id: order.id, amount_fen: fen, reason, created_at: now, status: 'sent', result_details: null, notified_at: null })
      .execute();
    await addOrderEvent(deps, trx, { order_id: order.id, at: now, source: 'admin', kind: 'refund_sent', detail: `退款批次 ${batchNo}，${fromFen(fen)} 元` });
  });
  return request;
}

/** Closes an unpaid order (close_trade, protocol.md §4.10, with `out_order_no`). */
export async function closeOrder(deps: ShopDeps, outTradeNo: string): Promise<void> {
  const order = await requireOrder(deps, outTradeNo);
  if (order.trade_status !== null && order.trade_status !== 'WAIT_BUYER_PAY') throw new ShopError('bad_state', '只能关闭未付款的订单');
  let note = '已在支付宝关闭';
  if (order.payment_service !== 'cod' && order.pay_started_at !== null) {
    try {
      await deps.alipay.closeTrade({ out_order_no: outTradeNo });
    } catch (error) {
      // The buyer never reached the cashier: there is no trade at Alipay to close.
      if (!(error instanceof GatewayError && error.code === 'TRADE_NOT_EXIST')) alipayFailure(error);
      note = '支付宝没有这笔交易，仅在本店关闭';
    }
  } else {
    note = '本店关闭';
  }
  await deps.db.transaction().execute(async (trx) => {
    const locked = await lockOrder(deps, trx, outTradeNo);
    if (!locked) return;
    await addOrderEvent(deps, trx, { order_id: locked.id, at: deps.clock.now(), source: 'admin', kind: 'closed', detail: note });
    await applyTradeReport(deps, trx, locked, { trade_status: 'TRADE_CLOSED' }, 'admin');
  });
}

/** What asking Alipay about an order found. */
export interface QueryResult {
  found: boolean;
  outcome?: ApplyOutcome | 'mismatch';
  tradeStatus?: string;
}

/**
 * Asks Alipay about an order (single_trade_query, protocol.md §4.9) and applies what it says
 * through the same forward-only update as a notification, after the same amount and seller checks:
 * an order whose notification never came still ends paid.
 */
export async function askAlipay(deps: ShopDeps, outTradeNo: string): Promise<QueryResult> {
  const order = await requireOrder(deps, outTradeNo);
  let result: SingleTradeQueryResult;
  const now = deps.clock.now();
  try {
    result = await deps.alipay.singleTradeQuery({ out_trade_no: outTradeNo });
  } catch (error) {
    if (error instanceof GatewayError && error.code === 'TRADE_NOT_EXIST') {
      await deps.db.updateTable('orders').set({ last_queried_at: now }).where('id', '=', order.id).execute();
      return { found: false };
    }
    alipayFailure(error);
  }
  const trade = result.trade;
  return deps.db.transaction().execute(async (trx) => {
    const locked = await lockOrder(deps, trx, outTradeNo);
    if (!locked) return { found: false };
    await trx.updateTable('orders').set({ last_queried_at: now }).where('id', '=', locked.id).execute();
    const seller = trade.seller_id;
    if (result.fen.total_fee !== locked.total_fen || (seller !== undefined && seller !== locked.seller_id) || !isTradeStatus(trade.trade_status)) {
      await addOrderEvent(deps, trx, {
        order_id: locked.id,
        at: now,
        source: 'query',
        kind: 'query_mismatch',
        detail: `支付宝的交易与订单不符：total_fee=${trade.total_fee ?? ''} seller_id=${seller ?? ''} trade_status=${trade.trade_status}`,
      });
      return { found: true, outcome: 'mismatch' as const, tradeStatus: trade.trade_status };
    }
    const refund = trade.refund_status && isRefundStatus(trade.refund_status) ? trade.refund_status : undefined;
    const fresh = { ...locked, last_queried_at: now };
    const outcome = await applyTradeReport(
      deps,
      trx,
      fresh,
      { trade_status: trade.trade_status, refund_status: refund, trade_no: trade.trade_no, buyer_id: trade.buyer_id, buyer_email: trade.buyer_email },
      'query',
    );
    return { found: true, outcome, tradeStatus: trade.trade_status };
  });
}
