import { normalizeCharset, type Charset } from 'alipay-legacy';
import { Hono, type Context } from 'hono';
import { checkGatewayRequest } from '../gateway/check-request.js';
import { peekLenient, type RawGatewayRequest } from '../gateway/read-params.js';
import { isServedService, isWordService, replyKindOf } from '../service-catalogue.js';
import { handleChecked, WORD_HANDLERS } from './gateway-handlers.js';
import { urlencodedBody } from './form-body.js';
import { readBody } from './request-body.js';
import { clientIp, type AppEnv, type Web } from './web-context.js';

/**
 * `/gateway.do` (GET and POST) and `/trade/notify_query.do`: every request is checked
 * (gateway/check-request.ts), then handed to its service's handler (gateway-handlers.tsx). Page
 * services answer the buyer's browser (cashier, login, address picker, refund confirmation);
 * server services answer XML; `notify_verify` answers a bare word.
 */
export function gatewayRoutes(web: Web): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { deps } = web;

  app.on(['GET', 'POST'], '/gateway.do', async (c) => {
    // A body that cannot be read (over 1 MiB, a malformed multipart form) is refused in the kind of
    // answer the service in the URL asks for: XML for a server call that names it there.
    if (replyKindOf(peekLenient({ query: rawQuery(c) }, 'service')) === 'xml') c.set('replyKind', 'xml');
    const raw = await readRaw(c);
    // How to answer is decided before (and whatever) the strict reading finds.
    const service = peekLenient(raw, 'service');
    if (isServedService(service) && isWordService(service)) return WORD_HANDLERS[service](c, web, raw);
    c.set('replyKind', replyKindOf(service) === 'xml' ? 'xml' : 'page');
    const charset = safeCharset(raw);
    if (charset) c.set('replyCharset', charset);

    const req = await checkGatewayRequest(deps, raw);
    c.set('replyCharset', req.charset);
    return handleChecked(c, web, req);
  });

  // decisions.md §4: the legacy ATN URL, same answers.
  app.on(['GET', 'POST'], '/trade/notify_query.do', async (c) => WORD_HANDLERS.notify_verify(c, web, await readRaw(c)));

  return app;
}

/** The raw query string (escapes intact) and, for a POST, the raw body bytes. */
async function readRaw(c: Context<AppEnv>): Promise<RawGatewayRequest> {
  const query = rawQuery(c);
  const body = c.req.method === 'POST' ? await urlencodedBody(c.req.header('content-type'), await readBody(c)) : undefined;
  const ip = clientIp(c);
  return { query, ...(body && body.length > 0 ? { body } : {}), ...(ip ? { clientIp: ip } : {}) };
}

function rawQuery(c: Context<AppEnv>): string {
  const url = c.req.url;
  const q = url.indexOf('?');
  const hash = url.indexOf('#', q);
  return q === -1 ? '' : url.slice(q + 1, hash === -1 ? undefined : hash);
}

function safeCharset(raw: RawGatewayRequest): Charset | undefined {
  try {
    return normalizeCharset(peekLenient(raw, '_input_charset'), 'utf-8');
  } catch {
    return undefined;
  }
}
