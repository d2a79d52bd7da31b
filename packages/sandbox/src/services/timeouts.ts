import type { SandboxDeps } from '../deps.js';
import { closeTransition, finishTransition, isRefundActive, refundWindowEndTransition, type Transition } from './trade-rules.js';
import { applyTransitions, inTransaction, loadMerchant, loadTrade } from './trade-store.js';
import type { Trade } from './types.js';

type Sweep = {
  status: Trade['tradeStatus'];
  column: 'close_at' | 'confirm_deadline' | 'refund_window_end';
  deadline: (t: Trade) => number | null;
  transition: (t: Trade, now: number) => Transition | undefined;
};

/** The timeouts of decisions.md §10, §11, §13. */
const SWEEPS: Sweep[] = [
  {
    status: 'WAIT_BUYER_PAY',
    column: 'close_at',
    deadline: (t) => t.closeAt,
    transition: (t, now) => closeTransition(t, { now, actor: 'system', reason: 'timeout' }),
  },
  {
    status: 'WAIT_BUYER_CONFIRM_GOODS',
    column: 'confirm_deadline',
    deadline: (t) => t.confirmDeadline,
    // A refund in progress holds the trade open (the deadline is checked again once it ends).
    transition: (t, now) => (isRefundActive(t.refundStatus) ? undefined : finishTransition(t, { now, actor: 'system' })),
  },
  {
    status: 'TRADE_SUCCESS',
    column: 'refund_window_end',
    deadline: (t) => t.refundWindowEnd,
    transition: (t, now) => refundWindowEndTransition(t, now),
  },
];

/** Closes unpaid trades at it_b_pay, finishes escrow trades at the confirm deadline, ends refund windows; returns how many trades changed. */
export async function runTimeouts(deps: SandboxDeps): Promise<number> {
  const now = deps.clock.now();
  let changed = 0;
  for (const sweep of SWEEPS) {
    const due = await deps.db
      .selectFrom('trades')
      .select('trade_no')
      .where('trade_status', '=', sweep.status)
      .where(sweep.column, '<=', now)
      .orderBy(sweep.column)
      .limit(1000)
      .execute();
    for (const { trade_no } of due) {
      try {
        const done = await inTransaction(deps, async (tx) => {
          const trx = tx.db;
          const trade = await loadTrade(trx, trade_no);
          const deadline = trade && trade.tradeStatus === sweep.status ? sweep.deadline(trade) : null;
          if (!trade || deadline === null || deadline > now) return false;
          const transition = sweep.transition(trade, now);
          if (!transition) return false;
          await applyTransitions(tx, await loadMerchant(deps, trx, trade.partner), [transition], now);
          return true;
        });
        if (done) changed++;
      } catch {
        // Another worker (or a buyer) changed the trade first; the next sweep sees its new state.
      }
    }
  }
  return changed;
}

/** The earliest deadline after `after` among trades waiting for one. */
export async function nextTimeoutAt(deps: SandboxDeps, after: number): Promise<number | undefined> {
  let next: number | undefined;
  for (const sweep of SWEEPS) {
    const row = await deps.db
      .selectFrom('trades')
      .select((eb) => eb.fn.min(sweep.column).as('at'))
      .where('trade_status', '=', sweep.status)
      .where(sweep.column, '>', after)
      .executeTakeFirst();
    const at = row?.at === null || row?.at === undefined ? undefined : Number(row.at);
    if (at !== undefined && (next === undefined || at < next)) next = at;
  }
  return next;
}
