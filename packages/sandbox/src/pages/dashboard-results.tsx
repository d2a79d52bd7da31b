import type { AttemptActivity, TradeActivity } from '../activity/activity.js';
import type { CheckReport } from '../services/check-merchant.js';
import type { ClockAdvance, Fault, Notification, RecoverResult, Trade, TradeAction } from '../services/index.js';
import { formatDuration } from '../time-input.js';
import { ACTION_LABELS } from './dashboard-labels.js';
import { DashboardLayout } from './dashboard-layout.js';
import { ListTable, NotificationLink, time, TradeLink, TradeStatus } from './dashboard-parts.js';

/** What a dashboard control did, shown at the top of the page the control was posted from. */
export type ControlResult =
  | { kind: 'clock'; seconds: number; advance: ClockAdvance }
  | { kind: 'fault'; partner: string; fault: Fault }
  | { kind: 'recover'; since: number; partner: string | undefined; result: RecoverResult }
  | { kind: 'resend'; originalId: number; replay: Notification }
  | { kind: 'action'; action: TradeAction; trade: Trade }
  | { kind: 'check'; report: CheckReport };

export function faultText(fault: Fault): string {
  if (fault.kind === 'none') return '无 none';
  const left = fault.count === undefined ? '直到清除 until cleared' : `剩余 ${fault.count} 次 ${fault.count} left`;
  return fault.seconds !== undefined ? `${fault.kind} ${formatDuration(fault.seconds)} · ${left}` : `${fault.kind} · ${left}`;
}

function RanLine(props: { item: TradeActivity | AttemptActivity }) {
  const i = props.item;
  if (i.type === 'trade') {
    return (
      <li>
        {i.time} 交易 <a href={`/trades/${encodeURIComponent(i.trade_no)}`}>{i.out_trade_no}</a> {i.kind}: {i.from_status ?? '—'} → {i.to_status}
        {i.refund_status ? ` / ${i.refund_status}` : ''}
      </li>
    );
  }
  return (
    <li>
      {i.time} 通知 <NotificationLink id={i.notification_id} /> {i.out_trade_no ?? i.batch_no} 第 {i.number} 次 →{' '}
      <code>{i.http_status !== null ? `HTTP ${i.http_status} ${JSON.stringify((i.response_body ?? '').slice(0, 40))}` : (i.error ?? '')}</code> {i.state}
      {i.next_attempt_time ? `, next ${i.next_attempt_time}` : ''}
    </li>
  );
}

export function ResultBox(props: { result: ControlResult }) {
  const r = props.result;
  const failed = r.kind === 'check' && r.report.failed > 0;
  return (
    <section id="result" class={`result${failed ? ' failed' : ''}`} data-kind={r.kind}>
      {r.kind === 'clock' ? (
        <>
          <h2>时钟已前进 {formatDuration(r.seconds)} · clock advanced</h2>
          <p>
            {time(r.advance.from)} → <strong>{time(r.advance.to)}</strong>
          </p>
          {r.advance.ran.length === 0 ? (
            <p class="muted">期间没有到期的事项 nothing fell due on the way.</p>
          ) : (
            <>
              <p>期间到期并执行了 {r.advance.ran.length} 项 · what fell due and ran:</p>
              <ul class="ran">
                {r.advance.ran.map((item) => (
                  <RanLine item={item} />
                ))}
              </ul>
            </>
          )}
          <p class="muted">下一项到期 next due: {r.advance.nextDueAt === undefined ? '无 nothing waits' : time(r.advance.nextDueAt)}</p>
        </>
      ) : null}
      {r.kind === 'fault' ? (
        <h2>
          商户 {r.partner} 的故障注入 fault: {faultText(r.fault)}
        </h2>
      ) : null}
      {r.kind === 'recover' ? (
        <>
          <h2>
            补发了 {r.result.recovered.length} 条已放弃的通知 · recovered {r.result.recovered.length} given-up notifications
          </h2>
          <p class="muted">
            自 since {time(r.since)}
            {r.partner ? ` · partner ${r.partner}` : ''}
            {r.result.more ? ' · 还有更多，再次提交 more remain: submit again' : ''}
          </p>
          <ul>
            {r.result.recovered.map(({ original, replay }) => (
              <li>
                <NotificationLink id={replay.id} /> 重发自 replay of <NotificationLink id={original.id} /> {original.tradeNo ? <TradeLink tradeNo={original.tradeNo} /> : original.batchNo}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {r.kind === 'resend' ? (
        <h2>
          已重发 resent <NotificationLink id={r.originalId} /> as <NotificationLink id={r.replay.id} /> (notify_id <code>{r.replay.notifyId}</code>)
        </h2>
      ) : null}
      {r.kind === 'action' ? (
        <h2>
          {ACTION_LABELS[r.action]}: <TradeStatus status={r.trade.tradeStatus} refundStatus={r.trade.refundStatus} />
        </h2>
      ) : null}
      {r.kind === 'check' ? <CheckReportView report={r.report} /> : null}
    </section>
  );
}

const MARK = { passed: '✓', check: '?', failed: '✗' } as const;

function CheckReportView(props: { report: CheckReport }) {
  const { report } = props;
  return (
    <>
      <h2>
        商户接口检查 check-merchant: {report.passed} passed, {report.failed} failed
      </h2>
      <p class="muted">
        notify_url <code>{report.notifyUrl}</code>
        {report.returnUrl ? (
          <>
            {' '}
            · return_url <code>{report.returnUrl}</code>
          </>
        ) : null}{' '}
        · {report.outTradeNo} · {report.charset}
      </p>
      <ListTable class="check-cases" headers={['', '情形 case', '期望 expects', '结果 got']} rows={report.cases.length}>
        {report.cases.map((c) => (
          <tr data-case={c.id} data-outcome={c.outcome}>
            <td data-label="" class={c.outcome === 'failed' ? 'error' : c.outcome === 'passed' ? 'ok' : ''}>
              {MARK[c.outcome]}
            </td>
            <td data-label="情形 case">{c.title}</td>
            <td data-label="期望 expects">{c.expects}</td>
            <td data-label="结果 got">
              <code>{c.got}</code>
              {c.advice ? <div class={c.outcome === 'failed' ? 'error' : 'muted'}>{c.advice}</div> : null}
            </td>
          </tr>
        ))}
      </ListTable>
    </>
  );
}

/** A control or page the sandbox refused (bad input, unknown id, wrong state, another site): nothing changed. */
export function RefusedPage(props: { code: string; message: string; back: string; now: number }) {
  return (
    <DashboardLayout title="未执行 refused" section="/" now={props.now}>
      <section id="result" class="result failed" data-kind="refused">
        <h2>
          未执行，没有任何改变 · refused, nothing changed: <code id="refusal-code">{props.code}</code>
        </h2>
        <p id="refusal-message">{props.message}</p>
        <p>
          <a href={props.back}>← 返回 back</a>
        </p>
      </section>
    </DashboardLayout>
  );
}
