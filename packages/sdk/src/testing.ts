/**
 * Test helpers for merchants (`alipay-legacy/testing`): sign returns and notifications exactly as
 * Alipay would, so handlers can be tested without the gateway, and stub `notify_verify`.
 * The signing is the SDK's own (`sign`), the same code that verifies: one canonical string, two uses.
 */
import { normalizeCharset, type Charset } from './charset.js';
import { formatAlipayTime } from './clock.js';
import { UsageError } from './errors.js';
import { encodeForm } from './form-encoding.js';
import { newNotifyId, newReturnNotifyId } from './identifiers.js';
import { notificationHeaders } from './messages/notification-headers.js';
import type { KeyInput } from './keys.js';
import type { SignType } from './sign.js';
import { signMessage } from './sign-message.js';

/** The parts of a merchant configuration the signer reads (an `AlipayConfig` or `ResolvedConfig` fits). */
export interface TestSignerConfig {
  partner?: string;
  /** The MD5 key shared with Alipay. */
  key?: string;
  signType?: SignType;
  charset?: Charset | string;
}

/** Fields of a message; `undefined` removes a default, `''` is left out (decisions.md §22). */
export type TestFields = Record<string, string | number | undefined | null>;

/** Options of the signers. */
export interface SignedMessageOptions {
  /** The charset the message is encoded in (default config.charset, else utf-8). */
  charset?: Charset | string;
  /** The notify_id (default: a fresh one in Alipay's format). */
  notifyId?: string;
  /** The time for `notify_time`, in ms or a Date (default now). */
  now?: number | Date;
  /** Overrides config.signType. */
  signType?: SignType;
  /** For RSA: the private key of the signer, i.e. Alipay's (its public key is config.alipayPublicKey). */
  privateKey?: KeyInput;
}

/** A signed notification as Alipay POSTs it. */
export interface SignedNotification {
  /** The percent-encoded body in the charset (ASCII text), as sent. */
  body: string;
  /** The parameters, decoded, including `sign` and `sign_type`. */
  params: Record<string, string>;
  /** The real gateway's `application/x-www-form-urlencoded; text/html; charset=…` (decisions.md §26). */
  contentType: string;
}

/**
 * A new async notify_id in Alipay's format: 34 characters of `[0-9a-z]` (the SDK's `newNotifyId`,
 * the same the sandbox uses).
 * @example randomNotifyId() // '1d583bc9cf21ed879bcd428fd53ed5e16w'
 */
export const randomNotifyId: () => string = newNotifyId;

/**
 * A new return notify_id in the real format: base64-like text that is already percent-escaped
 * (`RqPnCoPT3K9%2Fvwbh…`, protocol.md §3.2), so it exercises the decode-once rule (the SDK's
 * `newReturnNotifyId`).
 * @example randomReturnNotifyId() // 'RqPnCoPT3K9%2Fvwbh3In…'
 */
export const randomReturnNotifyId: () => string = newReturnNotifyId;

/**
 * Signs a notification as Alipay POSTs it to notify_url: defaults `notify_time` (now, Beijing
 * time), `notify_type=trade_status_sync` and a fresh 34-character `notify_id`; drops empty values;
 * signs with config.key (MD5) or `options.privateKey` (RSA); encodes the body in the charset.
 * @example
 * const { body, contentType } = signedNotification(config, {
 *   out_trade_no: 'A1', trade_no: '2015…', trade_status: 'TRADE_SUCCESS', total_fee: '0.01', seller_id: config.partner,
 * });
 * await fetch('http://127.0.0.1:3000/alipay/notify', { method: 'POST', headers: { 'content-type': contentType }, body });
 */
export function signedNotification(config: TestSignerConfig, fields: TestFields, options: SignedMessageOptions = {}): SignedNotification {
  const charset = charsetOf(config, options);
  const params = signFields(
    config,
    {
      notify_time: formatAlipayTime(timeOf(options)),
      notify_type: 'trade_status_sync',
      notify_id: options.notifyId ?? newNotifyId(),
      ...fields,
    },
    charset,
    options,
  );
  return { body: encodeForm(params, charset), params, contentType: notificationHeaders(charset)['content-type'] };
}

/**
 * Signs a return as Alipay redirects the buyer to return_url and gives the query string (no `?`).
 * Defaults `is_success=T` and a fresh return notify_id (already percent-escaped inside, as real
 * ones are); when the fields have a `trade_status`, also `notify_type=trade_status_sync` and
 * `notify_time`. Pass `undefined` to leave a default out.
 * @example
 * const query = signedReturnQuery(config, { out_trade_no: 'A1', trade_no: '2015…', trade_status: 'TRADE_FINISHED', total_fee: '0.01' });
 * await verifyReturn(resolveConfig({ ...config, fetch: fakeNotifyVerify() }), query);
 */
export function signedReturnQuery(config: TestSignerConfig, fields: TestFields, options: SignedMessageOptions = {}): string {
  const charset = charsetOf(config, options);
  const defaults: TestFields = { is_success: 'T', notify_id: options.notifyId ?? newReturnNotifyId() };
  if (fields.trade_status !== undefined) {
    defaults.notify_type = 'trade_status_sync';
    defaults.notify_time = formatAlipayTime(timeOf(options));
  }
  return encodeForm(signFields(config, { ...defaults, ...fields }, charset, options), charset);
}

/**
 * The full URL the buyer's browser is redirected to: return_url plus a signed return query.
 * @example signedReturnUrl('http://127.0.0.1:3000/alipay/return', config, { … }) // 'http://127.0.0.1:3000/alipay/return?is_success=T&…'
 */
export function signedReturnUrl(returnUrl: string, config: TestSignerConfig, fields: TestFields, options: SignedMessageOptions = {}): string {
  return `${returnUrl}${returnUrl.includes('?') ? '&' : '?'}${signedReturnQuery(config, fields, options)}`;
}

/** One call the fake notify_verify answered. */
export interface NotifyVerifyCall {
  url: string;
  service?: string;
  partner?: string;
  /** The notify_id, decoded once (as the message carried it). */
  notifyId?: string;
  reply: string;
}

/** A notify_verify reply: `true`, `false`, `invalid`, or anything else (to test bad replies). */
export type NotifyVerifyReply = 'true' | 'false' | 'invalid' | (string & {});

/** A `fetch` that answers notify_verify, with the calls it answered. */
export interface FakeNotifyVerify {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  calls: NotifyVerifyCall[];
}

/** Options of `fakeNotifyVerify`. */
export interface FakeNotifyVerifyOptions {
  /** The reply, or a function of the call (default `true`). */
  reply?: NotifyVerifyReply | ((call: { partner?: string; notifyId?: string; url: string }) => NotifyVerifyReply | Promise<NotifyVerifyReply>);
  /** Answer `true` only the first time per notify_id, then `false`, as the gateway does (decisions.md §1–2). */
  singleUse?: boolean;
}

/**
 * A stand-in for Alipay's notify_verify without a server: put it in the configuration as `fetch`.
 * @example
 * const config = resolveConfig({ partner, key, fetch: fakeNotifyVerify({ singleUse: true }) });
 * await verifyNotification(config, body); // ok
 * await verifyNotification(config, body); // VerificationError notify_verify_false (a replay)
 */
export function fakeNotifyVerify(options: FakeNotifyVerifyOptions | NotifyVerifyReply = {}): FakeNotifyVerify {
  const opts: FakeNotifyVerifyOptions = typeof options === 'string' ? { reply: options } : options;
  const used = new Set<string>();
  const fake = (async (input: string | URL | Request) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const query = new URL(url).searchParams;
    const partner = query.get('partner') ?? undefined;
    const notifyId = query.get('notify_id') ?? undefined;
    const service = query.get('service') ?? undefined;
    let reply: string;
    if (typeof opts.reply === 'function') reply = await opts.reply({ partner, notifyId, url });
    else reply = opts.reply ?? 'true';
    if (opts.singleUse && reply === 'true' && notifyId !== undefined) {
      if (used.has(notifyId)) reply = 'false';
      used.add(notifyId);
    }
    const call: NotifyVerifyCall = { url, reply };
    if (service !== undefined) call.service = service;
    if (partner !== undefined) call.partner = partner;
    if (notifyId !== undefined) call.notifyId = notifyId;
    fake.calls.push(call);
    return new Response(reply, { status: 200, headers: { 'content-type': 'text/plain' } });
  }) as FakeNotifyVerify;
  fake.calls = [];
  return fake;
}

function signFields(config: TestSignerConfig, fields: TestFields, charset: Charset, options: SignedMessageOptions): Record<string, string> {
  const params: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(fields)) params[name] = value === undefined || value === null ? undefined : String(value);
  const signType = options.signType ?? config.signType ?? 'MD5';
  if (signType === 'MD5' && !config.key) throw new UsageError('bad_config', 'the test signer needs config.key for MD5');
  if (signType === 'RSA' && !options.privateKey) {
    throw new UsageError('bad_config', "the test signer needs options.privateKey (the signer's, i.e. Alipay's, RSA private key) for RSA");
  }
  return signMessage(params, { signType, charset, key: config.key, privateKey: options.privateKey });
}

function charsetOf(config: TestSignerConfig, options: SignedMessageOptions): Charset {
  return normalizeCharset(options.charset ?? config.charset);
}

function timeOf(options: SignedMessageOptions): number {
  const now = options.now;
  return now === undefined ? Date.now() : typeof now === 'number' ? now : now.getTime();
}
