import { GatewayError } from 'alipay-legacy';
import type { SandboxDeps } from '../deps.js';
import { toTrade } from '../store/rows.js';
import { closeTransition, finishTransition, shipTransition } from './trade-rules.js';
import { applyTransitions, inTransaction, loadMerchant, requireTrade } from './trade-store.js';
import { SandboxError } from './errors.js';
import type { Actor, Trade } from './types.js';

export interface ShipTradeInput {
  partner: string;
  tradeNo: string;
  logisticsName: string;
  invoiceNo?: string;
  transportType?: string;
}

/** send_goods_confirm_by_platform or the seller page: WAIT_SELLER_SEND_GOODS → WAIT_BUYER_CONFIRM_GOODS (protocol.md §4.4). */
export async function shipTrade(deps: SandboxDeps, input: ShipTradeInput): Promise<Trade> {
  const now = deps.clock.now();
  return inTransaction(deps, async (tx) => {
    const trx = tx.db;
    const trade = await requireTrade(trx, input.tradeNo, input.partner);
    const transition = shipTransition(trade, {
      now,
      logisticsName: input.logisticsName,
      ...(input.invoiceNo ? { invoiceNo: input.invoiceNo } : {}),
      ...(input.transportType ? { transportType: input.transportType } : {}),
    });
    return applyTransitions(tx, await loadMerchant(deps, trx, trade.partner), [transition], now);
  });
}

/** The buyer confirms receipt: WAIT_BUYER_CONFIRM_GOODS → TRADE_FINISHED. */
export async function confirmReceipt(deps: SandboxDeps, tradeNo: string, input: { buyerId: string }): Promise<Trade> {
  const now = deps.clock.now();
  return inTransaction(deps, async (tx) => {
    const trx = tx.db;
    const trade = await requireTrade(trx, tradeNo);
    if (trade.buyerId !== input.buyerId) throw new SandboxError('BAD_STATE', `only the trade's buyer can confirm receipt`);
    return applyTransitions(tx, await loadMerchant(deps, trx, trade.partner), [finishTransition(trade, { now, actor: 'buyer' })], now);
  });
}

export interface CloseTradeInput {
  partner: string;
  tradeNo?: string;
  outTradeNo?: string;
  /** trade_role: B (buyer) or S (seller). */
  role?: 'B' | 'S';
  actor?: Actor;
}

/** close_trade: WAIT_BUYER_PAY → TRADE_CLOSED (notified for escrow-type trades only, decisions.md §13). */
export async function closeTrade(deps: SandboxDeps, input: CloseTradeInput): Promise<Trade> {
  const now = deps.clock.now();
  return inTransaction(deps, async (tx) => {
    const trx = tx.db;
    let q = trx.selectFrom('trades').selectAll().where('partner', '=', input.partner);
    if (input.tradeNo) q = q.where('trade_no', '=', input.tradeNo);
    else if (input.outTradeNo) q = q.where('out_trade_no', '=', input.outTradeNo);
    else throw new GatewayError('ILLEGAL_ARGUMENT', 'trade_no or out_order_no is required', { param: 'trade_no' });
    const row = await q.executeTakeFirst();
    if (!row) throw new GatewayError('TRADE_NOT_EXIST', `no trade ${input.tradeNo ?? input.outTradeNo} for partner ${input.partner}`, { param: input.tradeNo ? 'trade_no' : 'out_order_no' });
    const trade = toTrade(row);
    const actor: Actor = input.actor ?? (input.role === 'B' ? 'buyer' : 'seller');
    const transition = closeTransition(trade, { now, actor, reason: 'close_trade', ...(input.role ? { role: input.role } : {}) });
    return applyTransitions(tx, await loadMerchant(deps, trx, trade.partner), [transition], now);
  });
}
