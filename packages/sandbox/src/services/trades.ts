import type { Charset, SignType } from 'alipay-legacy';
import type { SandboxDeps } from '../deps.js';
import type { Merchant, Trade, TradeEvent } from './types.js';

export interface OpenTradeInput {
  merchant: Merchant;
  service: string;
  /** The verified request parameters, sign and sign_type removed. */
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
  void deps; void input;
  throw new Error('not implemented');
}
export async function getTrade(deps: SandboxDeps, tradeNo: string): Promise<Trade | undefined> {
  void deps; void tradeNo;
  throw new Error('not implemented');
}
export async function findTrade(deps: SandboxDeps, query: { partner: string; tradeNo?: string; outTradeNo?: string }): Promise<Trade | undefined> {
  void deps; void query;
  throw new Error('not implemented');
}
export async function listTrades(deps: SandboxDeps, query: { partner?: string; outTradeNo?: string; limit?: number } = {}): Promise<Trade[]> {
  void deps; void query;
  throw new Error('not implemented');
}
export async function tradeEvents(deps: SandboxDeps, tradeNo: string): Promise<TradeEvent[]> {
  void deps; void tradeNo;
  throw new Error('not implemented');
}
