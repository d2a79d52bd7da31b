import { AlipayError, GatewayError, normalizeCharset, type Charset } from 'alipay-legacy';
import { parseForm, peekParam } from 'alipay-legacy/protocol';

/** A `gateway.do` request as it came off the wire, before any decoding. */
export interface RawGatewayRequest {
  /** The URL's query string as received (percent-escapes intact), with or without the leading `?`. */
  query: string;
  /** The body of a POST (`application/x-www-form-urlencoded`), undecoded. */
  body?: Uint8Array | string;
  /** The caller's IP address as seen on the socket, for the `exter_invoke_ip` check. */
  clientIp?: string;
}

/** The request's parameters, decoded once in the request's charset. */
export interface ReadParams {
  charset: Charset;
  /** Every received parameter, `sign` and `sign_type` included. */
  params: Record<string, string>;
}

/**
 * The charset a request declares when it declares none. The 2008–2010 official SDKs fell back to
 * GBK, and the gateway itself most plausibly did the same (protocol.md §1.3, INFERRED).
 */
export const DEFAULT_REQUEST_CHARSET: Charset = 'gbk';

/**
 * Decodes a request's query and body exactly once, in the charset it declares: `_input_charset` is
 * read from the query first, then from the body (protocol.md §1.3: the official SDKs repeat it in
 * the form's action URL so the gateway can learn it before decoding the body).
 *
 * A name that appears twice in the query or twice in the body, or a malformed percent-escape, is
 * `ILLEGAL_ARGUMENT`: the signature cannot say which value was meant. A name present in both the
 * query and the body is accepted when both values are the same (the SDKs' `_input_charset`), and
 * is `ILLEGAL_ARGUMENT` otherwise, and so is a NUL character in a name or value. An unsupported
 * charset is `ILLEGAL_CHARSET`.
 */
export function readGatewayParams(raw: RawGatewayRequest): ReadParams {
  const declared = guard(() => peekParam(raw.query, '_input_charset') ?? (raw.body === undefined ? undefined : peekParam(raw.body, '_input_charset')));
  const charset = normalizeCharset(declared === undefined || declared === '' ? undefined : declared, DEFAULT_REQUEST_CHARSET);
  const fromQuery = guard(() => parseForm(raw.query, charset));
  const fromBody = raw.body === undefined ? {} : guard(() => parseForm(raw.body!, charset));
  const params: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(fromQuery)) params[name] = value;
  for (const [name, value] of Object.entries(fromBody)) {
    if (name in params && params[name] !== value) {
      throw new GatewayError('ILLEGAL_ARGUMENT', `parameter "${name}" has one value in the URL and another in the body`, {
        param: name,
      });
    }
    params[name] = value;
  }
  // No client sends a NUL in a form, and PostgreSQL cannot store one in text: refuse it here
  // rather than fail later with a storage error.
  for (const [name, value] of Object.entries(params)) {
    if (name.includes('\u0000') || value.includes('\u0000')) {
      throw new GatewayError('ILLEGAL_ARGUMENT', `parameter "${name.replaceAll('\u0000', '%00')}" contains a NUL character (%00)`, { param: name });
    }
  }
  return { charset, params };
}

function guard<T>(read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    // The form could not be read (a malformed escape, a parameter twice): the gateway's ILLEGAL_ARGUMENT.
    if (err instanceof AlipayError) throw new GatewayError('ILLEGAL_ARGUMENT', err.message, { cause: err, ...(err.param ? { param: err.param } : {}) });
    throw err;
  }
}

/**
 * A best-effort look at one ASCII parameter (`service`, `_input_charset`) that never throws, even
 * on a request the strict reader refuses: it only decides how to answer (the 调试错误 page or XML,
 * or `notify_verify`'s bare word), never what the request means. The query wins over the body.
 */
export function peekLenient(raw: RawGatewayRequest, name: string): string | undefined {
  for (const source of [raw.query, raw.body]) {
    if (source === undefined) continue;
    const text = typeof source === 'string' ? source : Buffer.from(source).toString('latin1');
    for (const part of text.replace(/^\?/, '').split('&')) {
      const eq = part.indexOf('=');
      if ((eq === -1 ? part : part.slice(0, eq)) !== name) continue;
      const value = eq === -1 ? '' : part.slice(eq + 1).replace(/\+/g, ' ');
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return undefined;
}
