import { decodeBytes, normalizeCharset, type Charset } from '../charset.js';
import type { ResolvedConfig } from '../config.js';
import { AlipayError, GatewayError, type GatewayErrorCode } from '../errors.js';
import { encodeForm } from '../form-encoding.js';
import { parseAlipayXml, type AlipayXmlReply } from '../xml.js';
import { withQuery } from './sign-params.js';

/**
 * One HTTP exchange with the gateway for the server-to-server services (protocol.md §1.3): POST
 * the form to `gateway?_input_charset=<charset>` as the official v3.3 SDK did (or GET, for the
 * unsigned `query_timestamp`), decode the reply in its charset, read the XML, and turn
 * `<is_success>F</is_success><error>CODE</error>` into `GatewayError(CODE)`. Does not validate or
 * sign: pass signed parameters (the typed server calls do both).
 * @example const reply = await callGateway(config, signParams(config, { service: 'single_trade_query', partner, _input_charset: 'utf-8', out_trade_no: 'A1' }))
 */
export async function callGateway(
  config: ResolvedConfig,
  params: Readonly<Record<string, string>>,
  options: { method?: 'GET' | 'POST' } = {},
): Promise<AlipayXmlReply> {
  const method = options.method ?? 'POST';
  const url = method === 'GET' ? withQuery(config.gateway, encodeForm(params, config.charset)) : withQuery(config.gateway, `_input_charset=${config.charset}`);
  const init: RequestInit = { method, signal: AbortSignal.timeout(config.timeoutMs), redirect: 'manual' };
  if (method === 'POST') {
    init.body = encodeForm(params, config.charset);
    init.headers = { 'content-type': `application/x-www-form-urlencoded; charset=${config.charset}` };
  }
  const service = params.service ?? 'the gateway';
  let status: number;
  let contentType: string | null;
  let body: Uint8Array;
  try {
    const res = await config.fetch(url, init);
    status = res.status;
    contentType = res.headers.get('content-type');
    body = new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    if (isTimeout(err)) {
      throw new AlipayError('gateway_timeout', `${service}: no reply from ${config.gateway} within ${config.timeoutMs} ms (config.timeoutMs)`, { cause: err });
    }
    throw new AlipayError('gateway_unreachable', `${service}: could not reach ${config.gateway}: ${describe(err)}. Check config.gateway and the network`, {
      cause: err,
    });
  }
  const text = decodeBytes(body, replyCharset(contentType, body, config.charset));
  let reply: AlipayXmlReply;
  try {
    reply = parseAlipayXml(text);
  } catch (err) {
    if (status < 200 || status >= 300) {
      throw new AlipayError('gateway_http_error', `${service}: the gateway answered HTTP ${status} without an XML reply (${snippet(text)})`, { cause: err });
    }
    const message = err instanceof Error ? err.message : String(err);
    throw new AlipayError('malformed_xml', `${service}: ${message}; the reply began ${snippet(text)}`, { cause: err });
  }
  if (!reply.isSuccess) {
    const code = (reply.error || 'SYSTEM_ERROR') as GatewayErrorCode;
    throw new GatewayError(code, `${service} was refused by the gateway (<is_success>F</is_success><error>${reply.error ?? ''}</error>)`);
  }
  return reply;
}

/**
 * The charset of a reply: the Content-Type's `charset`, else the XML declaration's `encoding`,
 * else the request's charset. Unknown names fall through to the next source.
 * @example replyCharset('text/xml; charset=GBK', body, 'utf-8') // 'gbk'
 */
export function replyCharset(contentType: string | null, body: Uint8Array, fallback: Charset): Charset {
  const fromHeader = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, 100)).toString('latin1');
  const fromDeclaration = /^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1];
  for (const name of [fromHeader, fromDeclaration]) {
    if (!name) continue;
    try {
      return normalizeCharset(name);
    } catch {
      // Not one of ours (e.g. ISO-8859-1): try the next source.
    }
  }
  return fallback;
}

function isTimeout(err: unknown): boolean {
  return err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const code = cause && typeof cause === 'object' && 'code' in cause ? ` (${String((cause as { code: unknown }).code)})` : '';
  return `${err.message}${code}`;
}

function snippet(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return JSON.stringify(t.length > 80 ? `${t.slice(0, 77)}…` : t);
}
