import { type Charset, GatewayError, type SignType } from 'alipay-legacy';
import { newTradeNo } from 'alipay-legacy/protocol';
import type { SandboxDeps } from '../deps.js';
import { toTrade, toTradeEvent } from '../store/rows.js';
import { applyTransition, inTransaction, loadMerchant, TradeExists } from './trade-store.js';
import { newTrade, requestDataMismatch, requirePayable } from './trade-rules.js';
import type { Merchant, Trade, TradeEvent, TradeService } from './types.js';

export interface OpenTradeInput {
  merchant: Merchant;
  service: TradeService;
  /** The request parameters, sign and sign_type removed, as the gateway checked them (the SDK's `validateServiceRequest` included). */
  params: Record<string, string>;
  charset: Charset;
  signType: SignType;
}

/**
 * Creates the trade of a payment request, or shows the same trade again (decisions.md §15: same
 * out_trade_no + same data → same trade; different data → TRADE_DATA_MATCH_ERROR; paid or closed →
 * TRADE_NOT_ALLOWED_PAY).
 */
export async function openTrade(deps: SandboxDeps, input: OpenTradeInput): Promise<Trade> {
  const { merchant, service, params } = input;
  const outTradeNo = params.out_trade_no ?? '';
  const now = deps.clock.now();
  // Built before looking for an existing trade so a malformed request is refused either way.
  const created = newTrade({
    tradeNo: newTradeNo(now),
    partner: merchant.partner,
    service,
    params,
    charset: input.charset,
    signType: input.signType,
    sellerId: merchant.sellerId,
    sellerEmail: merchant.sellerEmail,
    now,
  });
  try {
    // One write (the trade, its event and any notification): no BEGIN/COMMIT where the store allows.
    return await inTransaction(deps, async (tx) => applyTransition(tx, await loadMerchant(deps, tx.db, merchant.partner), created, now, { insert: true }), {
      oneStatement: true,
    });
  } catch (error) {
    if (!(error instanceof TradeExists)) throw error;
    // The buyer came back, or the merchant resent the request: decisions.md §15.
    const existing = await findTrade(deps, { partner: merchant.partner, outTradeNo });
    if (!existing) throw error;
    return sameTradeAgain(existing, params, now);
  }
}

function sameTradeAgain(existing: Trade, params: Record<string, string>, now: number): Trade {
  requirePayable(existing, now);
  const differing = requestDataMismatch(existing.requestParams, params);
  if (differing !== undefined) {
    throw new GatewayError(
      'TRADE_DATA_MATCH_ERROR',
      `out_trade_no ${existing.outTradeNo} was first requested with other data (${differing}: "${existing.requestParams[differing] ?? ''}" then "${params[differing] ?? ''}")`,
      { param: differing },
    );
  }
  return existing;
}

export async function getTrade(deps: SandboxDeps, tradeNo: string): Promise<Trade | undefined> {
  const row = await deps.db.selectFrom('trades').selectAll().where('trade_no', '=', tradeNo).executeTakeFirst();
  return row ? toTrade(row) : undefined;
}

/** A merchant's trade by trade_no or out_trade_no (trade_no wins when both are given, as single_trade_query). */
export async function findTrade(deps: SandboxDeps, query: { partner: string; tradeNo?: string; outTradeNo?: string }): Promise<Trade | undefined> {
  let q = deps.db.selectFrom('trades').selectAll().where('partner', '=', query.partner);
  if (query.tradeNo) q = q.where('trade_no', '=', query.tradeNo);
  else if (query.outTradeNo) q = q.where('out_trade_no', '=', query.outTradeNo);
  else return undefined;
  const row = await q.executeTakeFirst();
  return row ? toTrade(row) : undefined;
}

/** Trades, newest first. */
export async function listTrades(deps: SandboxDeps, query: { partner?: string; outTradeNo?: string; limit?: number } = {}): Promise<Trade[]> {
  let q = deps.db.selectFrom('trades').selectAll();
  if (query.partner) q = q.where('partner', '=', query.partner);
  if (query.outTradeNo) q = q.where('out_trade_no', '=', query.outTradeNo);
  const rows = await q.orderBy('gmt_create', 'desc').orderBy('trade_no', 'desc').limit(query.limit ?? 200).execute();
  return rows.map(toTrade);
}

/** A trade's history, oldest first. */
export async function tradeEvents(deps: SandboxDeps, tradeNo: string): Promise<TradeEvent[]> {
  const rows = await deps.db.selectFrom('trade_events').selectAll().where('trade_no', '=', tradeNo).orderBy('id').execute();
  return rows.map(toTradeEvent);
}
