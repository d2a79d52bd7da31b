import { fromFen } from 'alipay-legacy';
import type { Buyer, NotificationWithAttempts, OfferedActions, TradeAction, TradeHistory } from '../services/index.js';
import { SERVICE_FACTS } from '../service-catalogue.js';
import { yuan } from './labels.js';
import { DashboardLayout } from './dashboard-layout.js';
import { ACTION_LABELS, ACTOR_LABELS, EVENT_LABELS } from './dashboard-labels.js';
import { Back, NotificationCard, NotificationLink, ParamsTable, time, TradeStatus } from './dashboard-parts.js';
import { ResultBox, type ControlResult } from './dashboard-results.js';

export interface TradePageProps {
  history: TradeHistory;
  actions: OfferedActions;
  buyers: Buyer[];
  now: number;
  here: string;
  result?: ControlResult | undefined;
}

/** The fields an action asks for besides its button. */
function ActionFields(props: { action: TradeAction; props: TradePageProps }) {
  const { trade } = props.props.history;
  switch (props.action) {
    case 'PAY':
      return (
        <>
          <select name="buyer" aria-label="buyer">
            {props.props.buyers.map((b) => (
              <option value={b.login}>
                {b.login}（{yuan(b.balanceFen)}）
              </option>
            ))}
          </select>
          {trade.service === 'trade_create_by_buyer' ? (
            <select name="method" aria-label="method">
              <option value="escrow">担保交易 escrow</option>
              <option value="instant">即时到账 instant</option>
            </select>
          ) : null}
        </>
      );
    case 'REFUND':
      return (
        <>
          <input type="text" name="amount" value={fromFen(trade.totalFeeFen - trade.refundedFen)} aria-label="amount" />
          <input type="text" name="reason" placeholder="原因 reason" aria-label="reason" />
          <label>
            <input type="checkbox" name="return_goods" value="1" /> 退货 goods back
          </label>
        </>
      );
    case 'SEND_GOODS':
    case 'RETURN_GOODS':
      return (
        <>
          <input type="text" name="logistics_name" placeholder="物流公司 logistics_name" aria-label="logistics_name" />
          <input type="text" name="invoice_no" placeholder="运单号 invoice_no" aria-label="invoice_no" />
        </>
      );
    default:
      return null;
  }
}

function ActionForms(props: { who: string; actions: TradeAction[]; page: TradePageProps }) {
  const { trade } = props.page.history;
  return (
    <div class={`actor-actions`}>
      <h3>{props.who}</h3>
      {props.actions.length === 0 ? <p class="muted">无 none now</p> : null}
      {props.actions.map((action) => (
        <form class="row trade-action" method="post" action={`/trades/${encodeURIComponent(trade.tradeNo)}/actions/${action}`} data-action={action}>
          <Back here={props.page.here} />
          <ActionFields action={action} props={props.page} />
          <button type="submit" class="small">
            {ACTION_LABELS[action]}
          </button>
        </form>
      ))}
    </div>
  );
}

function Notifications(props: { list: NotificationWithAttempts[]; here: string }) {
  return (
    <>
      {props.list.map((n) => (
        <NotificationCard n={n} here={props.here} />
      ))}
    </>
  );
}

/**
 * `/trades/:trade_no`: one trade — its parameters as the merchant sent them, its timeline with each
 * event beside the notifications it caused and every delivery attempt, the buyer's and the seller's
 * next actions, and a check of the merchant's endpoints.
 */
export function TradePage(props: TradePageProps) {
  const { trade, timeline, unexplained, refunds } = props.history;
  const tradePath = `/trades/${encodeURIComponent(trade.tradeNo)}`;
  return (
    <DashboardLayout title={`交易 ${trade.outTradeNo}`} section="/trades" now={props.now}>
      {props.result ? <ResultBox result={props.result} /> : null}
      <h1>
        交易 <span id="trade-no">{trade.tradeNo}</span>
      </h1>
      <section id="live-summary" data-live>
        <p>
          <TradeStatus status={trade.tradeStatus} refundStatus={trade.refundStatus} /> <span class="amount">{yuan(trade.totalFeeFen)}</span>
          {trade.refundedFen > 0 ? <span class="muted"> · 已退 refunded {yuan(trade.refundedFen)}</span> : null}
        </p>
        <dl class="facts">
          <dt>out_trade_no</dt>
          <dd id="out-trade-no">{trade.outTradeNo}</dd>
          <dt>商户 partner</dt>
          <dd>
            <code>{trade.partner}</code> · {trade.sellerEmail}
          </dd>
          <dt>接口 service</dt>
          <dd>
            {trade.service}（{SERVICE_FACTS[trade.service].label}）· {trade.charset} · {trade.signType}
          </dd>
          <dt>商品 subject</dt>
          <dd>{trade.subject}</dd>
          <dt>买家 buyer</dt>
          <dd>{trade.buyerEmail ? `${trade.buyerEmail}（${trade.buyerId}）` : '—'}</dd>
          <dt>创建 / 付款</dt>
          <dd>
            {time(trade.gmtCreate)} / {time(trade.gmtPayment) || '—'}
          </dd>
          <dt>notify_url</dt>
          <dd>
            <code>{trade.notifyUrl ?? '—'}</code>
          </dd>
          <dt>return_url</dt>
          <dd>
            <code>{trade.returnUrl ?? '—'}</code>
          </dd>
          {refunds.length > 0 ? (
            <>
              <dt>退款 refunds</dt>
              <dd>
                {refunds.map((r) => (
                  <div>
                    {r.kind} {yuan(r.amountFen)} {r.status} {r.returnGoods ? '（退货）' : ''}
                  </div>
                ))}
              </dd>
            </>
          ) : null}
          <dt>JSON</dt>
          <dd>
            <a href={`/sandbox/api/trades/${encodeURIComponent(trade.tradeNo)}`}>/sandbox/api/trades/{trade.tradeNo}</a>
            {trade.tradeStatus === 'WAIT_BUYER_PAY' ? (
              <>
                {' '}
                · <a href={`/cashier/${encodeURIComponent(trade.tradeNo)}`}>收银台 cashier</a>
              </>
            ) : null}
          </dd>
        </dl>
      </section>

      <h2>下一步 next actions</h2>
      <section id="live-actions" data-live class="actions">
        <ActionForms who="买家 buyer" actions={props.actions.buyer} page={props} />
        <ActionForms who="卖家 seller" actions={props.actions.seller} page={props} />
        {props.actions.notEmulated.length > 0 ? <p class="muted">沙箱不模拟 not emulated: {props.actions.notEmulated.join(', ')}</p> : null}
      </section>

      <h2>时间线 timeline</h2>
      <section id="live-timeline" data-live>
        <ol class="timeline">
          {timeline.map(({ event, notifications }) => (
            <li class="event" data-kind={event.kind}>
              <div>
                <strong>{time(event.at)}</strong> {ACTOR_LABELS[event.actor] ?? event.actor} · {EVENT_LABELS[event.kind] ?? event.kind} <span class="muted">{event.kind}</span>
              </div>
              <div>
                {event.fromStatus && event.fromStatus !== event.toStatus ? (
                  <>
                    <TradeStatus status={event.fromStatus} /> →{' '}
                  </>
                ) : null}
                <TradeStatus status={event.toStatus} refundStatus={event.refundStatus} />
              </div>
              {typeof event.detail.bank === 'string' ? <div class="muted">网上银行 bank: {event.detail.bank}</div> : null}
              {typeof event.detail.fault === 'string' ? <div class="event-fault">注入故障 fault: {event.detail.fault}</div> : null}
              {notifications.length === 0 ? <div class="muted">不发送通知 no notification</div> : <Notifications list={notifications} here={props.here} />}
            </li>
          ))}
        </ol>
        {unexplained.length > 0 ? (
          <>
            <h3>其他通知 other notifications</h3>
            <Notifications list={unexplained} here={props.here} />
          </>
        ) : null}
      </section>

      <h2>请求参数 request parameters</h2>
      <p class="muted">商户请求中的参数（已验签，不含 sign、sign_type），按收到的顺序。</p>
      <ParamsTable id="request-params" params={trade.requestParams} />

      <h2>检查商户接口 check merchant endpoints</h2>
      <p class="muted">
        向商户的 notify_url（和 return_url）发送商户必须正确处理的各种情形（真实通知、重复、伪造签名、金额不符……），以本交易为准，并报告如何修正。不改变交易和投递记录。
      </p>
      <form class="row" method="post" action={`${tradePath}/check-merchant`} id="check-form">
        <Back here={props.here} />
        <label class="wide">
          notify_url
          <input type="text" name="notify_url" value={trade.notifyUrl ?? ''} required />
        </label>
        <label class="wide">
          return_url
          <input type="text" name="return_url" placeholder={trade.returnUrl ?? '（可选 optional）'} />
        </label>
        <button type="submit" class="small" id="check-submit">
          检查 check
        </button>
      </form>
    </DashboardLayout>
  );
}

/** `/notifications/:id`: one notification with every attempt, its replays, and its trade. */
export function NotificationPage(props: { n: NotificationWithAttempts; replays: NotificationWithAttempts[]; now: number; here: string; result?: ControlResult | undefined }) {
  const { n } = props;
  return (
    <DashboardLayout title={`通知 #${n.id}`} section="/notifications" now={props.now}>
      {props.result ? <ResultBox result={props.result} /> : null}
      <h1>异步通知 notification #{n.id}</h1>
      <p>
        {n.tradeNo ? (
          <>
            交易 trade <a href={`/trades/${encodeURIComponent(n.tradeNo)}`}>{n.tradeNo}</a>
          </>
        ) : (
          <>batch_no {n.batchNo}</>
        )}{' '}
        · 第 {n.sequence} 条 · 写入 written {time(n.createdAt)}
        {n.replayOf !== null ? (
          <>
            {' '}
            · 重发自 replay of <NotificationLink id={n.replayOf} />
          </>
        ) : null}
      </p>
      <section id="live-notification" data-live>
        <NotificationCard n={n} here={props.here} />
        {props.replays.length > 0 ? (
          <>
            <h2>重发 replays</h2>
            {props.replays.map((r) => (
              <NotificationCard n={r} here={props.here} />
            ))}
          </>
        ) : null}
      </section>
      <h2>参数 signed parameters</h2>
      <ParamsTable params={n.params} />
    </DashboardLayout>
  );
}
