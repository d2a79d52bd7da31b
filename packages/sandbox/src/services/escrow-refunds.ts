import type { SandboxDeps } from '../deps.js';
import { toRefund } from '../store/rows.js';
import { SandboxError } from './errors.js';
import {
  agreeRefundTransition,
  confirmReturnedGoodsTransition,
  goodsReturnedTransition,
  refuseRefundTransition,
  requestRefundTransition,
  type Transition,
} from './trade-rules.js';
import { applyTransitions, inTransaction, loadMerchant, requireTrade, type Tx } from './trade-store.js';
import type { Refund, Trade } from './types.js';

export interface RequestRefundInput {
  buyerId: string;
  amountFen: number;
  reason: string;
  returnGoods: boolean;
}

async function latestRefund(trx: Tx, tradeNo: string): Promise<Refund | undefined> {
  const row = await trx.selectFrom('refunds').selectAll().where('trade_no', '=', tradeNo).where('kind', '=', 'escrow').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? toRefund(row) : undefined;
}

async function requireActiveRefund(trx: Tx, trade: Trade): Promise<Refund> {
  const refund = await latestRefund(trx, trade.tradeNo);
  if (!refund || refund.status !== trade.refundStatus) throw new SandboxError('BAD_STATE', `trade ${trade.tradeNo} has no refund in progress`);
  return refund;
}

async function setRefundStatus(trx: Tx, refund: Refund, status: string, now: number): Promise<void> {
  await trx.updateTable('refunds').set({ status, updated_at: now }).where('id', '=', refund.id).execute();
}

/** Runs one refund step: the trade transition and the refund row's status, in one transaction. */
async function refundStep(
  deps: SandboxDeps,
  tradeNo: string,
  partner: string | undefined,
  step: (trade: Trade, refund: Refund, now: number) => Transition,
): Promise<Trade> {
  const now = deps.clock.now();
  return inTransaction(deps, async (tx) => {
    const trx = tx.db;
    const trade = await requireTrade(trx, tradeNo, partner);
    const refund = await requireActiveRefund(trx, trade);
    const transition = step(trade, refund, now);
    if (transition.trade.refundStatus === 'REFUND_SUCCESS') {
      await trx
        .updateTable('buyers')
        .set((eb) => ({ balance_fen: eb('balance_fen', '+', refund.amountFen) }))
        .where('user_id', '=', trade.buyerId ?? '')
        .execute();
    }
    await setRefundStatus(trx, refund, transition.trade.refundStatus ?? refund.status, now);
    return applyTransitions(tx, await loadMerchant(deps, trx, trade.partner), [transition], now);
  });
}

/**
 * The buyer asks for a refund (protocol.md §12.8): refund_status WAIT_SELLER_AGREE. After
 * SELLER_REFUSE_BUYER the buyer may ask again: the refused request is revised.
 */
export async function requestRefund(deps: SandboxDeps, tradeNo: string, input: RequestRefundInput): Promise<Trade> {
  const now = deps.clock.now();
  return inTransaction(deps, async (tx) => {
    const trx = tx.db;
    const trade = await requireTrade(trx, tradeNo);
    const transition = requestRefundTransition(trade, { buyerId: input.buyerId, amountFen: input.amountFen, returnGoods: input.returnGoods, now });
    const previous = await latestRefund(trx, tradeNo);
    const values = { amount_fen: input.amountFen, reason: input.reason, return_goods: input.returnGoods ? 1 : 0, status: 'WAIT_SELLER_AGREE', updated_at: now };
    if (previous && previous.status === 'SELLER_REFUSE_BUYER') {
      await trx.updateTable('refunds').set(values).where('id', '=', previous.id).execute();
    } else {
      await trx.insertInto('refunds').values({ trade_no: tradeNo, kind: 'escrow', batch_id: null, created_at: now, ...values }).execute();
    }
    return applyTransitions(tx, await loadMerchant(deps, trx, trade.partner), [transition], now);
  });
}

/** The seller agrees: WAIT_BUYER_RETURN_GOODS (goods to return) or REFUND_SUCCESS. */
export async function agreeRefund(deps: SandboxDeps, tradeNo: string, input: { partner: string }): Promise<Trade> {
  return refundStep(deps, tradeNo, input.partner, (trade, refund, now) => agreeRefundTransition(trade, refund, now));
}

/** The seller refuses: SELLER_REFUSE_BUYER (the buyer may ask again). */
export async function refuseRefund(deps: SandboxDeps, tradeNo: string, input: { partner: string }): Promise<Trade> {
  return refundStep(deps, tradeNo, input.partner, (trade, _refund, now) => refuseRefundTransition(trade, now));
}

/** The buyer sent the goods back: WAIT_SELLER_CONFIRM_GOODS. */
export async function markGoodsReturned(deps: SandboxDeps, tradeNo: string, input: { buyerId: string; logisticsName?: string; invoiceNo?: string }): Promise<Trade> {
  return refundStep(deps, tradeNo, undefined, (trade, _refund, now) =>
    goodsReturnedTransition(trade, {
      buyerId: input.buyerId,
      now,
      ...(input.logisticsName ? { logisticsName: input.logisticsName } : {}),
      ...(input.invoiceNo ? { invoiceNo: input.invoiceNo } : {}),
    }),
  );
}

/** The seller received the returned goods: REFUND_SUCCESS. */
export async function confirmReturnedGoods(deps: SandboxDeps, tradeNo: string, input: { partner: string }): Promise<Trade> {
  return refundStep(deps, tradeNo, input.partner, (trade, refund, now) => confirmReturnedGoodsTransition(trade, refund, now));
}

/** Every refund of a trade (escrow requests and batch items), oldest first. */
export async function listRefunds(deps: SandboxDeps, tradeNo: string): Promise<Refund[]> {
  const rows = await deps.db.selectFrom('refunds').selectAll().where('trade_no', '=', tradeNo).orderBy('id').execute();
  return rows.map(toRefund);
}

/**
 * The latest escrow refund request of each trade that has one: what the seller decides on (amount,
 * reason, goods back) and what the buyer asked for, as the consoles show them.
 */
export async function latestEscrowRefunds(deps: SandboxDeps, tradeNos: readonly string[]): Promise<Map<string, Refund>> {
  const out = new Map<string, Refund>();
  if (tradeNos.length === 0) return out;
  const rows = await deps.db.selectFrom('refunds').selectAll().where('trade_no', 'in', [...tradeNos]).where('kind', '=', 'escrow').orderBy('id').execute();
  for (const row of rows) out.set(row.trade_no, toRefund(row));
  return out;
}
