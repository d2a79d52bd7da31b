import { ESCROW_TIMEOUT_PARAMS, escrowParams, escrowRules } from './escrow-params.js';
import type { ServiceSchema } from './schema.js';

/** `create_partner_trade_by_buyer` (纯担保交易接口, escrow), protocol.md §4.2. */
export const createPartnerTradeByBuyerSchema: ServiceSchema = {
  service: 'create_partner_trade_by_buyer',
  kind: 'page',
  title: '纯担保交易接口',
  params: escrowParams(),
  rules: escrowRules(),
  timeoutParams: ESCROW_TIMEOUT_PARAMS,
};
