import type { ResolvedConfig } from '../config.js';
import type { ServiceName } from '../services/schema.js';
import { validateServiceRequest } from '../services/validate.js';
import { buildPageRequest, type PageRequest } from './page-request.js';
import { queryTimestamp } from './server-calls.js';

/**
 * Builds a page request, first fetching an `anti_phishing_key` from `query_timestamp` when the
 * account has anti-phishing switched on (`config.antiPhishing`) and the caller gave none. The key
 * is valid 30 s and once (protocol.md §4.8), so it is fetched per request, never cached, and only
 * after the request has passed validation (a refused request does not spend a key).
 */
export async function buildWithAntiPhishing(config: ResolvedConfig, service: ServiceName, wire: Record<string, string>): Promise<PageRequest> {
  if (!config.antiPhishing || wire.anti_phishing_key) return buildPageRequest(config, service, wire);
  validateServiceRequest({ service, _input_charset: config.charset, partner: config.partner, ...wire }, { now: config.clock.now() });
  const { encryptKey } = await queryTimestamp(config);
  return buildPageRequest(config, service, { ...wire, anti_phishing_key: encryptKey });
}
