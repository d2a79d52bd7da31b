import { BANKS, bankByCode, type Bank } from 'alipay-legacy';
import type { SandboxDeps } from '../deps.js';
import { toAddress, toBuyer } from '../store/rows.js';
import { SandboxError } from './errors.js';
import { takeCashierFault } from './faults.js';
import { returnUrlIn } from './returns.js';
import { isEscrowService, payMethodsOf } from '../service-catalogue.js';
import { confirmOrderTransition, merchantConsignee, payTransitions, requirePayable, totalAfterConfirm, type Transition } from './trade-rules.js';
import { applyTransitions, inTransaction, loadMerchant, requireTrade, TradeChanged, type Tx } from './trade-store.js';
import type { Address, Buyer, PayMethod, Trade } from './types.js';

export interface ConfirmOrderInput {
  buyerId: string;
  /** Which logistics group (0, 1, 2) the buyer chose. */
  logisticsIndex: number;
  /** One of the buyer's saved addresses; undefined: the consignee the merchant filled in (decisions.md §27). */
  addressId: number | undefined;
}

async function requireBuyer(trx: Tx, userId: string): Promise<Buyer> {
  const row = await trx.selectFrom('buyers').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!row) throw new SandboxError('NOT_FOUND', `no buyer ${userId}`);
  return toBuyer(row);
}

async function requireAddress(trx: Tx, buyer: Buyer, addressId: number | undefined): Promise<Address> {
  let q = trx.selectFrom('addresses').selectAll().where('user_id', '=', buyer.userId);
  q = addressId === undefined ? q.orderBy('position').limit(1) : q.where('id', '=', addressId);
  const row = await q.executeTakeFirst();
  if (!row) throw new SandboxError('NOT_FOUND', addressId === undefined ? `${buyer.login} has no saved address` : `${buyer.login} has no address ${addressId}`);
  return toAddress(row);
}

/** Escrow: the buyer confirmed logistics and address at the cashier; notifies WAIT_BUYER_PAY with logistics_* and receive_* (decisions.md §11). */
export async function confirmOrder(deps: SandboxDeps, tradeNo: string, input: ConfirmOrderInput): Promise<Trade> {
  const now = deps.clock.now();
  return inTransaction(deps, async (tx) => {
    const trx = tx.db;
    const trade = await requireTrade(trx, tradeNo);
    const buyer = await requireBuyer(trx, input.buyerId);
    const address = input.addressId === undefined ? undefined : await requireAddress(trx, buyer, input.addressId);
    const transition = confirmOrderTransition(trade, { buyer, logisticsIndex: input.logisticsIndex, address, now });
    return applyTransitions(tx, await loadMerchant(deps, trx, trade.partner), [transition], now);
  });
}

export interface PayTradeInput {
  buyerId: string;
  /** Default: the service's only way (direct → instant, escrow → escrow); the dual interface defaults to escrow. */
  method?: PayMethod;
  /** Escrow not yet confirmed: the group to confirm with (default 0). */
  logisticsIndex?: number;
  /** Escrow not yet confirmed: the address to confirm with (default the merchant's consignee, else the buyer's first, decisions.md §27). */
  addressId?: number;
  /**
   * Paid through the online bank of this `defaultbank` code (protocol.md §4.1) rather than the
   * balance: the buyer's balance is not touched, the bank pays (decisions.md §27).
   */
  bank?: string;
  /**
   * Paid by the buyer at the cashier (not through the API or the dashboard): a `skip_return` fault
   * set for the merchant then acts on this payment (decisions.md §28).
   */
  atCashier?: boolean;
  /** The buyer as the caller already read it (saves a read; only its identity is used, the balance is checked by the debit). */
  buyer?: Buyer;
  /**
   * The trade as the caller already read it (saves a read). The trade's update is guarded by its
   * version, so if it changed meanwhile the payment starts over once from a fresh read.
   */
  trade?: Trade;
}

export interface PayTradeResult {
  trade: Trade;
  /** The signed return URL with a fresh notify_id (decisions.md §1), when the trade has a return_url. */
  returnUrl?: string;
  /** An injected fault keeps the buyer's browser from going back to return_url (`skip_return`, decisions.md §28). */
  returnSkipped?: true;
}

/**
 * The buyer pays (decisions.md §10–12), in one transaction: the balance is debited, the trade
 * moves on, its events and notifications are written. An escrow-type trade not yet confirmed is
 * confirmed first (with the given or first logistics group and the buyer's first address), as the
 * cashier does, so the same notifications go out.
 */
export async function payTrade(deps: SandboxDeps, tradeNo: string, input: PayTradeInput): Promise<PayTradeResult> {
  if (input.bank !== undefined) requireBank(input.bank);
  if (input.trade?.tradeNo === tradeNo) {
    try {
      return await payOnce(deps, tradeNo, input, input.trade);
    } catch (error) {
      if (!(error instanceof TradeChanged)) throw error;
    }
  }
  return payOnce(deps, tradeNo, input, undefined);
}

async function payOnce(deps: SandboxDeps, tradeNo: string, input: PayTradeInput, known: Trade | undefined): Promise<PayTradeResult> {
  const now = deps.clock.now();
  return inTransaction(deps, async (tx) => {
    const trx = tx.db;
    let current = known ?? (await requireTrade(trx, tradeNo));
    requirePayable(current, now);
    const merchant = await loadMerchant(deps, trx, current.partner);
    const method = input.method ?? payMethodsOf(current.service)[0]!;
    const escrowType = isEscrowService(current.service);
    const reconfirm =
      current.logisticsIndex !== null &&
      ((input.logisticsIndex !== undefined && input.logisticsIndex !== current.logisticsIndex) || (input.addressId !== undefined && input.addressId !== current.addressId));
    const confirming = escrowType && (current.logisticsIndex === null || reconfirm);
    const logisticsIndex = input.logisticsIndex ?? current.logisticsIndex ?? 0;
    const amount = confirming ? totalAfterConfirm(current, logisticsIndex) : current.totalFeeFen;
    // The buyer's row is locked by the debit until commit, and every payment of that buyer waits
    // for it: debit last, so the lock is held for one statement and the commit, not the whole
    // transaction. A refusal anywhere rolls everything back, the debit included.
    const buyer = input.buyer?.userId === input.buyerId ? input.buyer : await requireBuyer(trx, input.buyerId);
    const debit = async (): Promise<void> => {
      const debited = await trx
        .updateTable('buyers')
        .set((eb) => ({ balance_fen: eb('balance_fen', '-', amount) }))
        .where('user_id', '=', input.buyerId)
        .where('balance_fen', '>=', amount)
        .returning('user_id')
        .executeTakeFirst();
      if (!debited) throw new SandboxError('BALANCE_NOT_ENOUGH', `余额不足：${buyer.login} cannot pay ${amount} fen`);
    };
    // Too little balance as last read: let the guarded debit decide now, before any other check
    // (a refused balance is reported first, as when the debit came first).
    const debitedFirst = input.bank === undefined && buyer.balanceFen < amount;
    if (debitedFirst) await debit();
    const steps: Transition[] = [];
    if (confirming) {
      // The merchant's consignee comes first, as at the cashier, unless a saved address was chosen (decisions.md §27).
      const addressId = input.addressId ?? current.addressId ?? undefined;
      const address = addressId === undefined && merchantConsignee(current) ? undefined : await requireAddress(trx, buyer, addressId);
      const confirm = confirmOrderTransition(current, { buyer, logisticsIndex, address, now });
      steps.push(confirm);
      current = confirm.trade;
    }
    const bank = input.bank === undefined ? {} : { bank: input.bank };
    const paySteps = payTransitions(current, { buyer, method, ...bank, now, advancedInstant: merchant.advancedInstant, refundWindowDays: merchant.refundWindowDays });
    // Taken with the payment, so a refused payment leaves its count as it was; the payment's event says it acted.
    const returnSkipped = input.atCashier === true && (await takeCashierFault(trx, current.partner, 'skip_return'));
    if (returnSkipped) paySteps[0]!.event.detail = { ...paySteps[0]!.event.detail, fault: 'skip_return' };
    steps.push(...paySteps);
    const trade = await applyTransitions(tx, merchant, steps, now);
    // The return (and its notify_id) is issued with the payment: one transaction.
    const returnUrl = await returnUrlIn(trx, merchant, trade, now);
    // A bank payment leaves the balance alone: the bank pays (decisions.md §27).
    if (!debitedFirst && input.bank === undefined) await debit();
    return { trade, ...(returnUrl === undefined ? {} : { returnUrl }), ...(returnSkipped ? { returnSkipped: true as const } : {}) };
  });
}

/** The bank of a `defaultbank` code (the SDK's list, protocol.md §4.1), or BAD_INPUT naming the known codes. */
export function requireBank(code: string): Bank {
  const bank = bankByCode(code);
  if (!bank) throw new SandboxError('BAD_INPUT', `unknown bank code ${JSON.stringify(code)}: use one of ${BANKS.map((b) => b.code).join(', ')}`);
  return bank;
}
