import { normalizeCharset } from '../charset.js';
import { GatewayError } from '../errors.js';
import { checkParam, isBlank, missing } from './check-param.js';
import { SERVICES, isServiceName } from './registry.js';
import type { RuleContext, ServiceName, ServiceSchema } from './schema.js';

/** Options of `validateServiceRequest`. */
export interface ValidateOptions {
  /**
   * The current time (ms). With it, time-dependent rules run too (a refund `batch_no` must be dated
   * today); without it they are skipped.
   */
  now?: number;
}

/**
 * Checks a request's parameters against its service's schema: the rules that do not depend on the
 * merchant (partner, permissions, seller, sign and custom-timeout permission are the sandbox's).
 * Throws `GatewayError` with the gateway's own code, `param` naming the parameter, and a message
 * that says what is wrong and how to fix it:
 * - `ILLEGAL_SERVICE`: `service` missing or unknown;
 * - `ILLEGAL_CHARSET`, `ILLEGAL_SIGN_TYPE`: a bad `_input_charset` / `sign_type` when given;
 * - `ILLEGAL_PARTNER`: `partner` missing or not 16 digits;
 * - `PARAMTER_IS_NULL`: a required parameter missing or empty, unless it has a code of its own
 *   (amounts: `ILLEGAL_FEE_PARAM`; logistics: `ILLEGAL_LOGISTICS_FORMAT`; `target_service`:
 *   `ILLEGAL_TARGET_SERVICE`);
 * - `ILLEGAL_ARGUMENT`: a value too long or malformed (URLs with `?`, `=`/`&` in
 *   `extra_common_param`, `it_b_pay`, refund batch rules…);
 * - `ILLEGAL_PAYMENT_TYPE`, `ILLEGAL_FEE_PARAM`, `TOTAL_FEE_LESSEQUAL_ZERO`, `TOTAL_FEE_OUT_OF_RANGE`,
 *   `ILLEGAL_LOGISTICS_FORMAT`, `ROYALTY_FORAMT_ERROR`, `ILLEGAL_EXTER_INVOKE_IP`,
 *   `ILLEGAL_ANTI_PHISHING_KEY`, `ILLEGAL_TARGET_SERVICE` where they fit.
 * Empty values count as absent (they are neither sent nor signed). Parameters outside the schema
 * are allowed, as on the real gateway; `sign` and `sign_type` are not required (builders validate
 * before signing).
 * @example
 * validateServiceRequest({ service: 'single_trade_query', partner: '2088101122136241', out_trade_no: 'A1' })
 * // { service: 'single_trade_query', schema: SERVICES.single_trade_query }
 */
export function validateServiceRequest(
  params: Readonly<Record<string, string | undefined>>,
  options: ValidateOptions = {},
): { service: ServiceName; schema: ServiceSchema } {
  const service = params.service;
  if (isBlank(service)) {
    throw new GatewayError(
      'ILLEGAL_SERVICE',
      'service is missing: name the service (e.g. service=create_direct_pay_by_user). If every parameter is missing, the form body was lost: check the form method and the request charset',
      { param: 'service' },
    );
  }
  if (!isServiceName(service)) {
    throw new GatewayError('ILLEGAL_SERVICE', `unknown service "${service}": use one of ${Object.keys(SERVICES).join(', ')}`, { param: 'service' });
  }
  const schema = SERVICES[service];
  const values = params as Readonly<Record<string, string>>;
  if (!isBlank(values._input_charset)) normalizeCharset(values._input_charset);
  if (schema.kind !== 'unsigned' && !isBlank(values.sign_type) && values.sign_type !== 'MD5' && values.sign_type !== 'RSA') {
    throw new GatewayError('ILLEGAL_SIGN_TYPE', `sign_type="${values.sign_type}" is not supported: use MD5 or RSA, upper-case ("必须大写"; DSA was never implemented)`, {
      param: 'sign_type',
    });
  }
  for (const name of Object.keys(schema.params)) {
    const spec = schema.params[name]!;
    const value = values[name];
    if (isBlank(value)) {
      if (spec.required) missing(name, spec);
      continue;
    }
    checkParam(name, spec, value);
  }
  const context: RuleContext = {};
  if (options.now !== undefined) context.now = options.now;
  for (const rule of schema.rules) rule(values, context);
  return { service, schema };
}

/**
 * The custom-timeout parameters a request carries (`it_b_pay`, `t_s_send_1`, `t_s_send_2`,
 * `t_b_rec_post`): a merchant without the feature gets `SELF_TIMEOUT_NOT_SUPPORT` for any of them
 * ("must be empty unless custom timeout is enabled", protocol.md §4.2, §7.3). Unknown services: none.
 * @example customTimeoutParams({ service: 'create_direct_pay_by_user', it_b_pay: '30m' }) // ['it_b_pay']
 */
export function customTimeoutParams(params: Readonly<Record<string, string | undefined>>): string[] {
  if (!isServiceName(params.service)) return [];
  return SERVICES[params.service].timeoutParams.filter((name) => !isBlank(params[name]));
}
