import { formatAlipayTime, GatewayError } from 'alipay-legacy';
import { Hono, type Context } from 'hono';
import { DashboardPage } from '../pages/dashboard.js';
import { NotificationListPage, TradeListPage, type ListQuery } from '../pages/dashboard-lists.js';
import { TradePage, NotificationPage } from '../pages/trade-page.js';
import { TRADE_STATUS_LABELS } from '../pages/labels.js';
import { SEED_BUYERS } from '../seed.js';
import {
  DELIVERY_STATES,
  SandboxError,
  getFault,
  getNotification,
  listBuyers,
  listMerchants,
  nextDueAt,
  replaysOf,
  searchNotifications,
  searchTrades,
  tradeActions,
  tradeHistory,
  type DeliveryState,
  type ListFilter,
} from '../services/index.js';
import { RefusedPage } from '../pages/dashboard-results.js';
import { controlRoutes } from './dashboard-controls.js';
import { createControlResults, type ControlResults } from './control-results.js';
import { describeError, replyToError } from './replies.js';
import { hasNul } from './text-guards.js';
import type { AppEnv, Web } from './web-context.js';

const PER_PAGE = 25;
const DAY_MS = 86_400_000;

/** This page's path and query without a control's result: where its forms come back to. */
function here(c: Context<AppEnv>): string {
  const url = new URL(c.req.url);
  url.searchParams.delete('result');
  return `${url.pathname}${url.search}`;
}

function refuse(message: string, param: string): never {
  throw new GatewayError('ILLEGAL_ARGUMENT', message, { param });
}

/** A list's filters and page from the query; a value that can match nothing is refused (400). */
function readList(c: Context<AppEnv>): { query: ListQuery; filter: ListFilter; page: number } {
  const query: ListQuery = {
    partner: c.req.query('partner') ?? '',
    status: c.req.query('status') ?? '',
    out_trade_no: c.req.query('out_trade_no') ?? '',
    delivery: c.req.query('delivery') ?? '',
  };
  if (hasNul(...Object.values(query))) refuse('the filters contain a NUL character', 'filter');
  if (query.status && !(query.status in TRADE_STATUS_LABELS)) refuse(`status must be one of ${Object.keys(TRADE_STATUS_LABELS).join(', ')}`, 'status');
  if (query.delivery && !(DELIVERY_STATES as readonly string[]).includes(query.delivery)) refuse(`delivery must be one of ${DELIVERY_STATES.join(', ')}`, 'delivery');
  const pageText = c.req.query('page') ?? '1';
  const page = /^[1-9]\d{0,5}$/.test(pageText) ? Number(pageText) : refuse('page must be a whole number from 1', 'page');
  const filter: ListFilter = {
    ...(query.partner ? { partner: query.partner } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.out_trade_no ? { outTradeNo: query.out_trade_no.trim() } : {}),
    ...(query.delivery ? { delivery: query.delivery as DeliveryState } : {}),
  };
  return { query, filter, page };
}

/**
 * The dashboard (server-rendered; every control a plain form, see dashboard-controls.tsx):
 * `/` the overview and controls, `/trades` and `/notifications` the lists, `/trades/:trade_no`
 * a trade's page, `/notifications/:id` a notification's. The seeded buyers' passwords are public
 * knowledge (README), so the overview shows them.
 */
export function dashboardRoutes(web: Web): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { deps } = web;
  const results: ControlResults = createControlResults();
  const resultOf = (c: Context<AppEnv>) => results.get(c.req.query('result'));
  const partners = async () => (await listMerchants(deps)).map((m) => m.partner);

  app.get('/', async (c) => {
    const [merchants, buyers, trades, notifications, due] = await Promise.all([
      listMerchants(deps),
      listBuyers(deps),
      searchTrades(deps, {}, { page: 1, perPage: 10 }),
      searchNotifications(deps, {}, { page: 1, perPage: 10 }),
      nextDueAt(deps),
    ]);
    const faults = await Promise.all(merchants.map((m) => getFault(deps, m.partner)));
    const passwords = new Map(SEED_BUYERS.map((b) => [b.userId, `${b.loginPassword} / ${b.payPassword}`]));
    const now = deps.clock.now();
    return c.html(
      <DashboardPage
        publicUrl={deps.publicUrl}
        merchants={merchants.map((m, i) => ({ ...m, fault: faults[i]! }))}
        buyers={buyers.map((b) => ({ ...b, ...(passwords.has(b.userId) ? { passwords: passwords.get(b.userId)! } : {}) }))}
        trades={trades.items}
        notifications={notifications.items}
        now={now}
        offsetMs={deps.clock.offsetMs()}
        nextDueAt={due}
        recoverSince={formatAlipayTime(now - DAY_MS)}
        result={resultOf(c)}
      />,
    );
  });

  app.get('/trades', async (c) => {
    const { query, filter, page } = readList(c);
    const [list, known] = await Promise.all([searchTrades(deps, filter, { page, perPage: PER_PAGE }), partners()]);
    return c.html(<TradeListPage query={query} partners={known} list={list} now={deps.clock.now()} here={here(c)} result={resultOf(c)} />);
  });

  app.get('/notifications', async (c) => {
    const { query, filter, page } = readList(c);
    const [list, known] = await Promise.all([searchNotifications(deps, filter, { page, perPage: PER_PAGE }), partners()]);
    return c.html(<NotificationListPage query={query} partners={known} list={list} now={deps.clock.now()} here={here(c)} result={resultOf(c)} />);
  });

  app.get('/trades/:trade_no', async (c) => {
    const tradeNo = c.req.param('trade_no');
    const history = hasNul(tradeNo) ? undefined : await tradeHistory(deps, tradeNo);
    if (!history) throw new SandboxError('NOT_FOUND', `no trade ${tradeNo}`);
    const [actions, buyers] = await Promise.all([tradeActions(deps, history.trade), listBuyers(deps)]);
    return c.html(<TradePage history={history} actions={actions} buyers={buyers} now={deps.clock.now()} here={here(c)} result={resultOf(c)} />);
  });

  app.get('/notifications/:id', async (c) => {
    const id = Number(c.req.param('id'));
    const n = Number.isSafeInteger(id) && id > 0 ? await getNotification(deps, id) : undefined;
    if (!n) throw new SandboxError('NOT_FOUND', `no notification ${c.req.param('id')}`);
    return c.html(<NotificationPage n={n} replays={await replaysOf(deps, n.id)} now={deps.clock.now()} here={here(c)} result={resultOf(c)} />);
  });

  app.route('/', controlRoutes(web, results));
  // A page asked for with a bad filter or an unknown id: 4xx with the reason (not the gateway's
  // 调试错误 page, which answers 200 as the real gateway did).
  app.onError((err, c) => {
    const { code, message, callerFault, status } = describeError(err);
    if (!callerFault) return replyToError(err, c);
    return c.html(<RefusedPage code={code} message={message} back="/" now={deps.clock.now()} />, status as 400 | 404 | 409);
  });
  return app;
}
