import type { Trade } from '../services/types.js';
import { tradeColumns, tradeRow } from './rows.js';
import type { Tx } from './store-writer.js';

// The trade writes every dialect's writer shares (each runs them its own way).

/** The insert of a new trade; it writes no row when the partner's out_trade_no is taken (the unique key decides, race-free). */
export function tradeInsert(db: Tx, trade: Trade) {
  return db
    .insertInto('trades')
    .values(tradeRow(trade))
    .onConflict((oc) => oc.columns(['partner', 'out_trade_no']).doNothing());
}

/** The update of a trade, guarded by the version it was read at: a concurrent change makes it write no row. */
export function tradeUpdate(db: Tx, trade: Trade) {
  return db
    .updateTable('trades')
    .set(tradeColumns(trade))
    .where('trade_no', '=', trade.tradeNo)
    .where('version', '=', trade.version - 1);
}
