import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { MessagePage } from '../pages/orders.js';
import { ShopError, statusOf } from '../services/errors.js';
import type { ShopEnv, Web } from '../web/context.js';
import { renderPage } from '../web/render.js';

/**
 * The shop's one error mapping: a refusal (bad input, a missing order, Alipay saying no) is a page
 * with a 4xx (or 502 when Alipay could not be reached) and changed nothing; only the shop's own
 * bugs are a 500, logged without request data.
 */
export function replyToError(web: Web) {
  return async (err: unknown, c: Context<ShopEnv>): Promise<Response> => {
    let status: 400 | 403 | 404 | 409 | 500 | 502 = 500;
    let text = '系统繁忙，请稍后再试。';
    if (err instanceof ShopError) {
      status = statusOf(err.code);
      text = err.message;
    } else if (err instanceof HTTPException && err.status < 500) {
      status = 400;
      text = '请求无效。';
    } else {
      console.error('[shop] unexpected error on', c.req.method, c.req.path, err instanceof Error ? err.stack : err);
    }
    if (!c.get('csrf')) return c.text(text, status);
    return renderPage(c, web, '出错了', <MessagePage title="出错了" text={text} link={{ href: '/', label: '返回首页' }} />, {
      status: status === 500 ? 502 : status,
    }).then((r) => (status === 500 ? new Response(r.body, { status: 500, headers: r.headers }) : r));
  };
}

export function replyNotFound(web: Web) {
  return (c: Context<ShopEnv>) => {
    if (!c.get('csrf')) return c.text('not found', 404);
    return renderPage(c, web, '页面不存在', <MessagePage title="页面不存在" text="没有这个页面。" link={{ href: '/', label: '返回首页' }} />, { status: 404 });
  };
}
