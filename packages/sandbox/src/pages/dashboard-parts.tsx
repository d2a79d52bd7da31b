import { formatAlipayTime } from 'alipay-legacy';
import type { Child } from 'hono/jsx';
import type { DeliveryAttempt, DeliveryState, ListPage, NotificationWithAttempts, TradeRow } from '../services/index.js';
import { deliveryStateOf } from '../services/index.js';
import { SERVICE_FACTS } from '../service-catalogue.js';
import { REFUND_STATUS_LABELS, TRADE_STATUS_LABELS, yuan } from './labels.js';

/** Pieces the dashboard's pages share: status badges, the trade and notification tables, a notification with its attempts, paging. */

export const time = (ms: number | null | undefined) => (ms === null || ms === undefined ? '' : formatAlipayTime(ms));

export const DELIVERY_LABELS: Record<DeliveryState, string> = {
  pending: '待投递 pending',
  failing: '投递失败，重试中 failing',
  given_up: '已放弃 given up',
  acknowledged: '已确认 acknowledged',
};

const TRADE_STATUS_TONE: Record<string, string> = {
  WAIT_BUYER_PAY: 's-off',
  WAIT_SELLER_SEND_GOODS: 's-wait',
  WAIT_BUYER_CONFIRM_GOODS: 's-wait',
  TRADE_SUCCESS: 's-ok',
  TRADE_FINISHED: 's-ok',
  TRADE_CLOSED: 's-bad',
};

const DELIVERY_TONE: Record<DeliveryState, string> = { pending: 's-wait', failing: 's-warn', given_up: 's-bad', acknowledged: 's-ok' };

export function TradeStatus(props: { status: string; refundStatus?: string | null }) {
  return (
    <>
      <span class={`badge trade-status ${TRADE_STATUS_TONE[props.status] ?? ''}`} data-status={props.status} title={(TRADE_STATUS_LABELS as Record<string, string | undefined>)[props.status] ?? ''}>
        {props.status}
      </span>
      {props.refundStatus ? (
        <span class={`badge refund-status ${props.refundStatus === 'REFUND_SUCCESS' ? 's-ok' : 's-warn'}`} data-status={props.refundStatus} title={(REFUND_STATUS_LABELS as Record<string, string | undefined>)[props.refundStatus] ?? ''}>
          {props.refundStatus}
        </span>
      ) : null}
    </>
  );
}

export function DeliveryBadge(props: { state: DeliveryState; count?: number }) {
  return (
    <span class={`badge delivery ${DELIVERY_TONE[props.state]}`} data-delivery={props.state}>
      {props.count !== undefined ? `${props.count} ` : ''}
      {DELIVERY_LABELS[props.state]}
    </span>
  );
}

export function TradeLink(props: { tradeNo: string }) {
  return (
    <a class="trade-link" href={`/trades/${encodeURIComponent(props.tradeNo)}`}>
      {props.tradeNo}
    </a>
  );
}

export function NotificationLink(props: { id: number }) {
  return <a href={`/notifications/${props.id}`}>#{props.id}</a>;
}

/** What the notification reports: its type and the statuses it carries. */
export function reported(n: NotificationWithAttempts): string {
  return [n.notifyType, n.params.trade_status, n.params.refund_status].filter(Boolean).join(' ');
}

/** A merchant's answer as text with its whitespace visible (`"success\n"`). */
export function answerOf(a: DeliveryAttempt): string {
  if (a.finishedAt === null) return '投递中 in flight';
  if (a.httpStatus === null) return a.error ?? 'no answer';
  return `HTTP ${a.httpStatus} ${JSON.stringify(a.responseBody ?? '')}`;
}

/** The hidden field that brings a control's result back to the page it was posted from. */
export function Back(props: { here: string }) {
  return <input type="hidden" name="back" value={props.here} />;
}

export function ResendButton(props: { id: number; here: string }) {
  return (
    <form class="inline" method="post" action={`/notifications/${props.id}/resend`}>
      <Back here={props.here} />
      <button type="submit" class="small secondary resend">
        重发 resend
      </button>
    </form>
  );
}

/**
 * A table that turns into cards on a narrow screen: each cell says its column (`data-label`), the
 * header row hides. `empty` stands in for no rows.
 */
export function ListTable(props: { id?: string; class?: string; headers: string[]; empty?: string; rows: number; children?: Child }) {
  return (
    <table class={`list ${props.class ?? ''}`} id={props.id}>
      <thead>
        <tr>
          {props.headers.map((h) => (
            <th>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows === 0 && props.empty ? (
          <tr>
            <td colspan={props.headers.length} class="muted">
              {props.empty}
            </td>
          </tr>
        ) : null}
        {props.children}
      </tbody>
    </table>
  );
}

/** Parameters, name and value, in their order. */
export function ParamsTable(props: { id?: string; params: Record<string, string> }) {
  return (
    <ListTable id={props.id} headers={['参数 name', '值 value']} rows={Object.keys(props.params).length}>
      {Object.entries(props.params).map(([name, value]) => (
        <tr>
          <td data-label="参数 name">
            <code>{name}</code>
          </td>
          <td data-label={name}>
            <code>{value}</code>
          </td>
        </tr>
      ))}
    </ListTable>
  );
}

export function TradeTable(props: { trades: TradeRow[] }) {
  return (
    <ListTable
      id="trades-table"
      headers={['trade_no / out_trade_no', '商户 partner', '接口 / 商品', '金额', '状态 status', '通知 notifications', '创建 created']}
      empty="没有交易 no trades"
      rows={props.trades.length}
    >
      {props.trades.map((t) => (
        <tr data-trade-no={t.tradeNo}>
          <td data-label="trade_no / out_trade_no">
            <TradeLink tradeNo={t.tradeNo} />
            <br />
            <span class="muted out-trade-no">{t.outTradeNo}</span>
          </td>
          <td data-label="商户 partner">
            <code>{t.partner}</code>
          </td>
          <td data-label="接口 / 商品">
            <span class="muted">{SERVICE_FACTS[t.service].label}</span>
            <br />
            {t.subject}
          </td>
          <td data-label="金额">{yuan(t.totalFeeFen)}</td>
          <td data-label="状态 status">
            <TradeStatus status={t.tradeStatus} refundStatus={t.refundStatus} />
          </td>
          <td data-label="通知 notifications">
            {(Object.entries(t.deliveries) as [DeliveryState, number][]).map(([state, count]) => (
              <DeliveryBadge state={state} count={count} />
            ))}
          </td>
          <td data-label="创建 created">{time(t.gmtCreate)}</td>
        </tr>
      ))}
    </ListTable>
  );
}

export function NotificationTable(props: { notifications: NotificationWithAttempts[]; here: string }) {
  return (
    <ListTable
      id="notifications-table"
      headers={['#', '交易 trade', '内容 reports', '投递 delivery', '最后应答 last answer', '操作']}
      empty="没有通知 no notifications"
      rows={props.notifications.length}
    >
      {props.notifications.map((n) => {
        const state = deliveryStateOf(n.state, n.lastError);
        const last = n.deliveryAttempts.at(-1);
        return (
          <tr data-notification-id={String(n.id)} data-delivery={state}>
            <td data-label="#" class="nowrap">
              <NotificationLink id={n.id} />
              {n.replayOf !== null ? (
                <div class="muted replay-of">
                  重发自 replay of <NotificationLink id={n.replayOf} />
                </div>
              ) : null}
            </td>
            <td data-label="交易 trade">
              {n.tradeNo ? <TradeLink tradeNo={n.tradeNo} /> : <span>batch {n.batchNo}</span>}
              {n.params.out_trade_no ? (
                <>
                  <br />
                  <span class="muted">{n.params.out_trade_no}</span>
                </>
              ) : null}
            </td>
            <td data-label="内容 reports">{reported(n)}</td>
            <td data-label="投递 delivery">
              <DeliveryBadge state={state} />
              <br />
              <span class="muted">
                {n.attempts} 次尝试 attempts
                {state === 'pending' || state === 'failing' ? ` · 下次 next ${time(n.nextAttemptAt)}` : ''}
              </span>
            </td>
            <td data-label="最后应答 last answer">
              {last ? (
                <>
                  <code>{answerOf(last).slice(0, 80)}</code>
                  {last.durationMs !== null ? <span class="muted"> {last.durationMs} ms</span> : null}
                  {last.warning ? <div class="error warning">{last.warning}</div> : null}
                  {last.fault ? <div class="muted">[fault: {last.fault}]</div> : null}
                </>
              ) : (
                <span class="muted">—</span>
              )}
            </td>
            <td data-label="操作">
              <ResendButton id={n.id} here={props.here} />
            </td>
          </tr>
        );
      })}
    </ListTable>
  );
}

/** One notification with every attempt: request body, the merchant's status and answer, duration, warnings, faults. */
export function NotificationCard(props: { n: NotificationWithAttempts; here: string }) {
  const { n } = props;
  const state = deliveryStateOf(n.state, n.lastError);
  return (
    <div class="card notification" id={`notification-${n.id}`} data-notification-id={String(n.id)} data-delivery={state}>
      <div>
        <strong>
          <NotificationLink id={n.id} />
        </strong>{' '}
        {reported(n)} <DeliveryBadge state={state} />
        {n.replayOf !== null ? (
          <span class="muted replay-of">
            {' '}
            重发自 replay of <NotificationLink id={n.replayOf} />
          </span>
        ) : null}
      </div>
      <div class="muted">
        → <code>{n.url}</code> · notify_id <code>{n.notifyId}</code> · {n.charset}
        {state === 'pending' || state === 'failing' ? ` · 下次 next ${time(n.nextAttemptAt)}` : ''}
      </div>
      {n.deliveryAttempts.length === 0 ? <div class="muted">尚未投递 not sent yet</div> : null}
      {n.deliveryAttempts.map((a) => (
        <div class={`attempt ${a.acknowledged ? 'ok' : a.finishedAt === null ? '' : 'bad'}`} data-attempt={String(a.number)}>
          <div>
            第 {a.number} 次 attempt {a.number} · {time(a.startedAt)} → <code class="answer">{answerOf(a)}</code>
            {a.durationMs !== null ? <span class="muted"> · {a.durationMs} ms</span> : null}
          </div>
          {a.warning ? <div class="error warning">⚠ {a.warning}</div> : null}
          {a.fault ? <div class="error fault">注入故障 injected fault: {a.fault}</div> : null}
          {a.error && a.httpStatus !== null ? <div class="error">{a.error}</div> : null}
          <details>
            <summary>请求 request body</summary>
            <pre>{a.requestBody}</pre>
          </details>
          {a.responseBody ? (
            <details>
              <summary>应答 merchant's answer ({a.responseBody.length} chars)</summary>
              <pre>{a.responseBody}</pre>
            </details>
          ) : null}
        </div>
      ))}
      <ResendButton id={n.id} here={props.here} />
    </div>
  );
}

/** Previous / next links over a list, keeping its filters. */
export function Pager(props: { page: ListPage<unknown>; href: (page: number) => string; noun: string }) {
  const { page, perPage, total } = props.page;
  const pages = Math.max(1, Math.ceil(total / perPage));
  return (
    <div class="pager">
      {page > 1 ? (
        <a href={props.href(page - 1)} rel="prev" class="prev">
          ← 上一页 newer
        </a>
      ) : null}
      <span class="muted">
        第 {page} / {pages} 页 · 共 {total} {props.noun}
      </span>
      {page < pages ? (
        <a href={props.href(page + 1)} rel="next" class="next">
          下一页 older →
        </a>
      ) : null}
    </div>
  );
}
