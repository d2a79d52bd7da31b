import type { ResolvedConfig } from '../config.js';
import { encodeForm } from '../form-encoding.js';
import { UsageError } from '../errors.js';
import { SERVICES } from '../services/registry.js';
import type { ServiceName } from '../services/schema.js';
import { validateServiceRequest } from '../services/validate.js';
import { renderAutoSubmitForm, type FormOptions } from './html-form.js';
import { signParams, withQuery } from './sign-params.js';
import { mergeInOrder } from './wire-params.js';

/** A signed request for a page service: send the browser to `url`, or render `form()`. */
export interface PageRequest {
  service: ServiceName;
  /** The signed parameters in wire order, `sign_type` and `sign` last. */
  params: Record<string, string>;
  /** A GET link: gateway + `?` + the parameters percent-encoded in the request charset. Redirect the browser here. */
  url: string;
  /** The form action: gateway + `?_input_charset=<charset>` (protocol.md §1.3). */
  action: string;
  /** An auto-submitting HTML form carrying the parameters, every value HTML-escaped. */
  form(options?: FormOptions): string;
}

/**
 * Builds a page request from wire parameters: adds `service`, `partner` and `_input_charset`
 * first, validates with `validateServiceRequest` (the gateway's rules and codes) before anything
 * is signed, signs, and gives the link and the form. The typed builders
 * (`createDirectPayByUser`…) fill defaults and call this.
 * @example
 * const pay = buildPageRequest(config, 'create_direct_pay_by_user', { seller_id: config.sellerId, payment_type: '1', out_trade_no: 'A1', subject: 'x', total_fee: '0.01' })
 * res.redirect(pay.url)
 */
export function buildPageRequest(config: ResolvedConfig, service: ServiceName, params: Readonly<Record<string, string>>): PageRequest {
  if (SERVICES[service]?.kind !== 'page') {
    throw new UsageError('not_a_page_service', `${service} is not a page service: call it from your server (${SERVICES[service]?.kind ?? 'unknown'} service)`);
  }
  const wire = mergeInOrder({ service, _input_charset: config.charset, partner: config.partner }, { ...params, service });
  validateServiceRequest(wire, { now: config.clock.now() });
  return pageRequestFromSigned(config, service, signParams(config, wire));
}

/**
 * Link and form for already-signed parameters, without validation: for test vectors and for
 * replaying a stored request. Prefer the builders.
 * @example pageRequestFromSigned(config, 'create_direct_pay_by_user', signParams(config, params)).url
 */
export function pageRequestFromSigned(config: ResolvedConfig, service: ServiceName, signed: Record<string, string>): PageRequest {
  const action = withQuery(config.gateway, `_input_charset=${config.charset}`);
  return {
    service,
    params: signed,
    url: withQuery(config.gateway, encodeForm(signed, config.charset)),
    action,
    form: (options) => renderAutoSubmitForm(action, signed, config.charset, options),
  };
}
