import type { Child } from 'hono/jsx';
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

/** A list's page: its filters, then its rows (live) and its pages. */
function ListFrame(props: { props: ListPageProps<unknown>; path: '/trades' | '/notifications'; title: string; noun: string; note?: string; children?: Child }) {
  const p = props.props;
  return (
    <DashboardLayout title={props.title} section={props.path} now={p.now}>
      {p.result ? <ResultBox result={p.result} /> : null}
      <h1>{props.title}</h1>
      {props.note ? <p class="muted">{props.note}</p> : null}
      <Filters action={props.path} query={p.query} partners={p.partners} />
      <section id="live-list" data-live>
        {props.children}
        <Pager page={p.list} href={(page) => pageHref(props.path, p.query, page)} noun={props.noun} />
      </section>
    </DashboardLayout>
  );
}

/** `/trades`: every trade, newest first, filtered and paged. */
export function TradeListPage(props: ListPageProps<TradeRow>) {
  return (
    <ListFrame props={props} path="/trades" title="交易 Trades" noun="笔交易 trades">
      <TradeTable trades={props.list.items} />
    </ListFrame>
  );
}

/** `/notifications`: every notification, newest first, filtered and paged; a replay links to its original. */
export function NotificationListPage(props: ListPageProps<NotificationWithAttempts>) {
  return (
    <ListFrame
      props={props}
      path="/notifications"
      title="异步通知 Notifications"
      noun="条通知 notifications"
      note="状态 status：通知所报告的 trade_status。投递 delivery：pending 未投递 · failing 失败重试中 · given up 已放弃 · acknowledged 商户已确认。"
    >
      <NotificationTable notifications={props.list.items} here={props.here} />
    </ListFrame>
  );
}
