import { DELIVERY_STATES, type ListPage, type NotificationWithAttempts, type TradeRow } from '../services/index.js';
import { TRADE_STATUS_LABELS } from './labels.js';
import { DashboardLayout } from './dashboard-layout.js';
import { DELIVERY_LABELS, NotificationTable, Pager, TradeTable } from './dashboard-parts.js';
import { ResultBox, type ControlResult } from './dashboard-results.js';

/** The filters of a list as typed (empty when not set). */
export interface ListQuery {
  partner: string;
  status: string;
  out_trade_no: string;
  delivery: string;
}

interface ListPageProps<T> {
  query: ListQuery;
  partners: string[];
  list: ListPage<T>;
  now: number;
  /** This page's path and query, for the controls' way back. */
  here: string;
  result?: ControlResult | undefined;
}

/** The list's URL with its filters and another page number. */
function pageHref(path: string, query: ListQuery, page: number): string {
  const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== ''));
  if (page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

function Filters(props: { action: string; query: ListQuery; partners: string[] }) {
  const q = props.query;
  return (
    <form class="row filters" method="get" action={props.action} id="filters">
      <label>
        商户 partner
        <select name="partner">
          <option value="">全部 all</option>
          {props.partners.map((p) => (
            <option value={p} selected={q.partner === p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <label>
        状态 status
        <select name="status">
          <option value="">全部 all</option>
          {Object.entries(TRADE_STATUS_LABELS).map(([status, label]) => (
            <option value={status} selected={q.status === status}>
              {status} {label}
            </option>
          ))}
        </select>
      </label>
      <label>
        out_trade_no
        <input type="text" name="out_trade_no" value={q.out_trade_no} />
      </label>
      <label>
        投递 delivery
        <select name="delivery">
          <option value="">全部 all</option>
          {DELIVERY_STATES.map((state) => (
            <option value={state} selected={q.delivery === state}>
              {DELIVERY_LABELS[state]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" class="small" id="filter-submit">
        筛选 filter
      </button>
      <a href={props.action} class="muted">
        清除 reset
      </a>
    </form>
  );
}

/** `/trades`: every trade, newest first, filtered and paged. */
export function TradeListPage(props: ListPageProps<TradeRow>) {
  return (
    <DashboardLayout title="交易 Trades" section="/trades" now={props.now}>
      {props.result ? <ResultBox result={props.result} /> : null}
      <h1>交易 Trades</h1>
      <Filters action="/trades" query={props.query} partners={props.partners} />
      <section id="live-list" data-live>
        <TradeTable trades={props.list.items} />
        <Pager page={props.list} href={(page) => pageHref('/trades', props.query, page)} noun="笔交易 trades" />
      </section>
    </DashboardLayout>
  );
}

/** `/notifications`: every notification, newest first, filtered and paged; a replay links to its original. */
export function NotificationListPage(props: ListPageProps<NotificationWithAttempts>) {
  return (
    <DashboardLayout title="通知 Notifications" section="/notifications" now={props.now}>
      {props.result ? <ResultBox result={props.result} /> : null}
      <h1>异步通知 Notifications</h1>
      <p class="muted">状态 status：通知所报告的 trade_status。投递 delivery：pending 未投递 · failing 失败重试中 · given up 已放弃 · acknowledged 商户已确认。</p>
      <Filters action="/notifications" query={props.query} partners={props.partners} />
      <section id="live-list" data-live>
        <NotificationTable notifications={props.list.items} here={props.here} />
        <Pager page={props.list} href={(page) => pageHref('/notifications', props.query, page)} noun="条通知 notifications" />
      </section>
    </DashboardLayout>
  );
}
