import type { LogEntry } from '../services/rows.js';
import { formatTime } from './labels.js';

export function AdminLogPage(props: { entries: LogEntry[]; outcome: string }) {
  return (
    <>
      <h1>通知日志</h1>
      <p class="muted">每一条收到的异步通知和页面跳转返回：原始内容、编码、验证结果和原因、处理结果（protocol.md §12.3）。</p>
      <p>
        {['all', 'applied', 'duplicate', 'stale', 'refused', 'recorded'].map((v) =>
          v === props.outcome ? (
            <>
              <strong>{v}</strong>{' '}
            </>
          ) : (
            <>
              <a href={`/admin/notifications?outcome=${v}`}>{v}</a>{' '}
            </>
          ),
        )}
      </p>
      <LogTable entries={props.entries} />
    </>
  );
}

/** Log entries, newest first, with their raw content folded away. */
export function LogTable(props: { entries: LogEntry[] }) {
  return (
    <table id="notification-log">
      <tr>
        <th>收到时间</th>
        <th>类型</th>
        <th>订单 / 批次</th>
        <th>状态</th>
        <th>验证</th>
        <th>处理</th>
        <th>原始内容</th>
      </tr>
      {props.entries.map((e) => (
        <tr data-outcome={e.outcome} data-reason={e.reason ?? ''}>
          <td>{formatTime(Number(e.received_at))}</td>
          <td>{e.kind}</td>
          <td>{e.out_trade_no ?? e.batch_no ?? ''}</td>
          <td>
            {e.trade_status ?? ''} {e.refund_status ?? ''}
          </td>
          <td>{e.verified ? <span class="ok">通过</span> : <span title={e.detail ?? ''}>拒绝：{e.reason}</span>}</td>
          <td>{e.outcome}</td>
          <td>
            <details>
              <summary class="muted">{e.charset}</summary>
              <pre>{e.raw}</pre>
              {e.detail ? <pre>{e.detail}</pre> : null}
            </details>
          </td>
        </tr>
      ))}
    </table>
  );
}
