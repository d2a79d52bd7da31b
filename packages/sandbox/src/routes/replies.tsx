import { AlipayError, type Charset } from 'alipay-legacy';
import { encodeText, renderAlipayXml, type AlipayXmlReplyInput } from 'alipay-legacy/protocol';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ErrorPage } from '../pages/error-page.js';
import type { AppEnv } from './web-context.js';

/** An XML reply of a server-to-server service, encoded in the request's charset (protocol.md §4.9). */
export function xmlReply(c: Context<AppEnv>, reply: AlipayXmlReplyInput, charset: Charset): Response {
  const text = renderAlipayXml(reply, charset);
  return c.body(new Uint8Array(encodeText(text, charset)), 200, { 'Content-Type': `text/xml; charset=${charset}` });
}

const NOT_FOUND = new Set(['NOT_FOUND', 'TRADE_NOT_EXIST', 'ILLEGAL_PARTNER']);
const CONFLICT = new Set(['BAD_STATE', 'TRADE_STATUS_NOT_AVAILD', 'TRADE_NOT_ALLOWED_PAY']);

/** The code and message of anything thrown, and whether it was the caller's fault. */
export function describeError(err: unknown): { code: string; message: string; callerFault: boolean; status: number } {
  if (err instanceof AlipayError) {
    const status = NOT_FOUND.has(err.code) ? 404 : CONFLICT.has(err.code) ? 409 : 400;
    return { code: err.code, message: err.message, callerFault: true, status };
  }
  if (err instanceof HTTPException && err.status < 500) {
    return { code: 'ILLEGAL_ARGUMENT', message: err.message, callerFault: true, status: err.status };
  }
  if (err instanceof SyntaxError) {
    // JSON.parse of a bad request body.
    return { code: 'ILLEGAL_ARGUMENT', message: `the body is not valid JSON: ${err.message}`, callerFault: true, status: 400 };
  }
  return { code: 'SYSTEM_ERROR', message: err instanceof Error ? err.message : String(err), callerFault: false, status: 500 };
}

/**
 * The app's one error mapping: a refusal becomes the 调试错误 page (HTTP 200, decisions.md §19) for
 * a browser, `<is_success>F</is_success><error>CODE</error>` for a server call, and
 * `{error, message}` with a 4xx for the test-helper API. Only the sandbox's own bugs are 5xx.
 */
export function replyToError(err: unknown, c: Context<AppEnv>): Response | Promise<Response> {
  const { code, message, callerFault, status } = describeError(err);
  if (!callerFault) console.error('[sandbox] unexpected error on', c.req.method, c.req.path, err);
  const kind = c.get('replyKind') ?? (c.req.path.startsWith('/sandbox/api') ? 'json' : 'page');
  if (kind === 'json') return c.json({ error: code, message }, status as 400);
  if (kind === 'xml') {
    return xmlReply(c, { isSuccess: false, error: code }, c.get('replyCharset') ?? 'utf-8');
  }
  return c.html(<ErrorPage code={code} detail={message} />, callerFault ? 200 : 500);
}

/** An unknown path: JSON under the API, a plain 404 page elsewhere. */
export function replyNotFound(c: Context<AppEnv>): Response | Promise<Response> {
  if (c.req.path.startsWith('/sandbox/api')) return c.json({ error: 'NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` }, 404);
  return c.html(<ErrorPage code="NOT_FOUND" detail={`no page at ${c.req.path}`} />, 404);
}
