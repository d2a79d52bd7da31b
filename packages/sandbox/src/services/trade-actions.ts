import type { SandboxDeps } from '../deps.js';
import { SEED_BUYERS } from '../seed.js';
import { findBuyerByLogin, getBuyer } from './buyers.js';
import { payTrade } from './cashier.js';
import { SandboxError } from './errors.js';
import { agreeRefund, confirmReturnedGoods, markGoodsReturned, refuseRefund, requestRefund } from './escrow-refunds.js';
import { closeTrade, confirmReceipt, shipTrade } from './fulfilment.js';
import { buyerActions, refundableFen, sellerActions } from './trade-rules.js';
import { getTrade } from './trades.js';
import type { PayMethod, Trade } from './types.js';

/**
 * The buyer's and the seller's next actions on a trade, as the dashboard offers them, and taking
 * one through the same services as the cashier, the consoles and the API. Which actions a trade
 * allows is the rules' business (services/trade-rules.ts): `buyerActions` and `sellerActions`,
 * whose protocol part escrow notifications carry and whose refund steps the consoles offer too.
 */

/** The action sets' names, and the refund steps named alike. */
export const TRADE_ACTIONS = ['PAY', 'REFUND', 'CONFIRM_GOODS', 'SEND_GOODS', 'CLOSE_TRADE', 'AGREE_REFUND', 'REFUSE_REFUND', 'RETURN_GOODS', 'CONFIRM_RETURNED_GOODS'] as const;
export type TradeAction = (typeof TRADE_ACTIONS)[number];

export function isTradeAction(name: string): name is TradeAction {
  return (TRADE_ACTIONS as readonly string[]).includes(name);
}

export interface OfferedActions {
  buyer: TradeAction[];
  seller: TradeAction[];
  /** Actions of the sets that the sandbox does not emulate (MODIFY_TRADE, EXTEND_TIMEOUT). */
  notEmulated: string[];
}

/** What the buyer and the seller may do next with the trade, now. */
export function offeredActions(trade: Trade, now: number): OfferedActions {
  const offered: OfferedActions = { buyer: [], seller: [], notEmulated: [] };
  for (const [who, names] of [
    ['buyer', buyerActions(trade, now)],
    ['seller', sellerActions(trade)],
  ] as const) {
    for (const name of names) {
      if (isTradeAction(name)) offered[who].push(name);
      else offered.notEmulated.push(name);
    }
  }
  return offered;
}

/** A trade's offered actions, by the rules at the sandbox's time. */
export async function tradeActions(deps: SandboxDeps, trade: Trade): Promise<OfferedActions> {
  return offeredActions(trade, deps.clock.now());
}

export interface TradeActionInput {
  /** PAY: who pays (a login or a 2088… user id; default the first seeded buyer). */
  buyer?: string;
  /** PAY: the way a dual-interface trade is paid. */
  method?: PayMethod;
  /** SEND_GOODS, RETURN_GOODS. */
  logisticsName?: string;
  invoiceNo?: string;
  /** REFUND: default everything still refundable. */
  amountFen?: number;
  reason?: string;
  returnGoods?: boolean;
}

/** Takes one of the trade's offered actions; refuses one it does not offer now (BAD_STATE). */
export async function takeTradeAction(deps: SandboxDeps, tradeNo: string, action: TradeAction, input: TradeActionInput = {}): Promise<Trade> {
  const trade = await getTrade(deps, tradeNo);
  if (!trade) throw new SandboxError('NOT_FOUND', `no trade ${tradeNo}`);
  const offered = await tradeActions(deps, trade);
  if (!offered.buyer.includes(action) && !offered.seller.includes(action)) {
    const now = [...offered.buyer, ...offered.seller];
    throw new SandboxError('BAD_STATE', `trade ${tradeNo} is ${trade.tradeStatus}${trade.refundStatus ? `/${trade.refundStatus}` : ''}: ${action} is not one of its next actions (${now.join(', ') || 'none'})`);
  }
  const partner = trade.partner;
  // Offered buyer actions other than PAY are on a paid trade, which has its buyer.
  const buyerId = trade.buyerId ?? '';
  switch (action) {
    case 'PAY': {
      const login = input.buyer ?? SEED_BUYERS[0]!.login;
      const buyer = (await findBuyerByLogin(deps, login)) ?? (/^2088\d{12}$/.test(login) ? await getBuyer(deps, login) : undefined);
      if (!buyer) throw new SandboxError('NOT_FOUND', `no buyer "${login}"`);
      return (await payTrade(deps, tradeNo, { buyerId: buyer.userId, buyer, trade, ...(input.method ? { method: input.method } : {}) })).trade;
    }
    case 'REFUND':
      return requestRefund(deps, tradeNo, {
        buyerId,
        amountFen: input.amountFen ?? refundableFen(trade),
        reason: input.reason || '沙箱退款',
        returnGoods: input.returnGoods ?? false,
      });
    case 'CONFIRM_GOODS':
      return confirmReceipt(deps, tradeNo, { buyerId });
    case 'SEND_GOODS':
      return shipTrade(deps, { partner, tradeNo, logisticsName: input.logisticsName || '沙箱快递', ...(input.invoiceNo ? { invoiceNo: input.invoiceNo } : {}) });
    case 'CLOSE_TRADE':
      return closeTrade(deps, { partner, tradeNo, role: 'S', actor: 'seller' });
    case 'AGREE_REFUND':
      return agreeRefund(deps, tradeNo, { partner });
    case 'REFUSE_REFUND':
      return refuseRefund(deps, tradeNo, { partner });
    case 'RETURN_GOODS':
      return markGoodsReturned(deps, tradeNo, { buyerId, ...(input.logisticsName ? { logisticsName: input.logisticsName } : {}), ...(input.invoiceNo ? { invoiceNo: input.invoiceNo } : {}) });
    case 'CONFIRM_RETURNED_GOODS':
      return confirmReturnedGoods(deps, tradeNo, { partner });
  }
}
