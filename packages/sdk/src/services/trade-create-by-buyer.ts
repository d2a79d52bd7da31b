import { ESCROW_TIMEOUT_PARAMS, escrowParams, escrowRules } from './escrow-params.js';
import type { ServiceSchema } from './schema.js';

/** `trade_create_by_buyer` (标准双接口, dual): the escrow request table (protocol.md §4.3). */
export const tradeCreateByBuyerSchema: ServiceSchema = {
  service: 'trade_create_by_buyer',
  kind: 'page',
  title: '标准双接口',
  params: escrowParams(),
  rules: escrowRules(),
  timeoutParams: ESCROW_TIMEOUT_PARAMS,
};
