import { formatAlipayTime } from 'alipay-legacy';
import type { MiddlewareHandler } from 'hono';
import { peekLenient } from '../gateway/read-params.js';
import { describeError } from './replies.js';
import type { AppEnv, Web } from './web-context.js';

/**
 * Reports each gateway request to the activity feed once answered (service, out_trade_no, result
 * code), for the terminal and `listen`. Costs nothing while nobody listens. The parameters are
 * peeked leniently from the bytes the handler read (request-body.ts keeps them), never decoded a
 * second time for real.
 */
export function logGatewayRequests(web: Web): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!web.activity.listening()) return next();
    const at = web.deps.clock.now();
    const started = performance.now();
    await next();
    const url = c.req.url;
    const q = url.indexOf('?');
    const raw = { query: q === -1 ? '' : url.slice(q + 1), ...(c.get('requestBody') ? { body: c.get('requestBody') } : {}) };
    const service = c.req.path === '/trade/notify_query.do' ? 'notify_verify' : (peekLenient(raw, 'service') ?? null);
    let result = 'OK';
    if (c.error) result = describeError(c.error).code;
    else if (service === 'notify_verify') result = (await c.res.clone().text()).slice(0, 16);
    const tradeNo = /^\/cashier\/(\d+)$/.exec(c.res.headers.get('location') ?? '')?.[1] ?? null;
    web.activity.publish({
      type: 'request',
      at,
      time: formatAlipayTime(at),
      method: c.req.method,
      service,
      partner: peekLenient(raw, 'partner') ?? null,
      out_trade_no: peekLenient(raw, 'out_trade_no') ?? null,
      trade_no: tradeNo,
      result,
      http_status: c.res.status,
      duration_ms: Math.round(performance.now() - started),
    });
  };
}
