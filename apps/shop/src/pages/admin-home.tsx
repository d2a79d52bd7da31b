import { PAYMENT_SETTINGS, SETTING_LABEL, type PaymentSetting } from '../payment-services.js';
import type { JobRun, Order } from '../services/rows.js';
import { Csrf } from './layout.js';
import { formatTime, orderStatusLabel, SERVICE_LABELS, yuan } from './labels.js';

export function AdminLoginPage(props: { csrf: string; error?: string | undefined }) {
  return (
    <>
      <h1>卖家管理登录</h1>
      {props.error ? <p class="error">{props.error}</p> : null}
      <form method="post" action="/admin/login">
        <Csrf token={props.csrf} />
        <label>
          管理密码 <input type="password" name="password" autocomplete="current-password" />
        </label>
        <button type="submit" id="admin-login">
          登录
        </button>
      </form>
    </>
  );
}

export interface AdminHomeProps {
  csrf: string;
  orders: Order[];
  filter: string;
  page: number;
  hasMore: boolean;
  setting: PaymentSetting;
  runs: JobRun[];
  reconcileAfterMinutes: number;
  reconcileEverySeconds: number;
  flash?: string | undefined;
}

const FILTERS: Array<[string, string]> = [
  ['all', '全部'],
  ['unpaid', '未付款'],
  ['paid', '已付款'],
  ['closed', '已关闭'],
];

export function AdminHomePage(props: AdminHomeProps) {
  return (
    <>
      <h1>订单管理</h1>
      {props.flash ? <p class="notice" id="flash">{props.flash}</p> : null}
      <h2>付款接口</h2>
      <form method="post" action="/admin/settings">
        <Csrf token={props.csrf} />
        <select name="payment_service" id="payment-service">
          {PAYMENT_SETTINGS.map((s) => (
            <option value={s} selected={s === props.setting}>
              {SETTING_LABEL[s]}
            </option>
          ))}
        </select>{' '}
        <button type="submit" class="small">
          保存
        </button>
        <span class="muted"> 新订单使用此接口付款。</span>
      </form>
      <h2>对账任务</h2>
      <p class="muted">
        买家去付款 {props.reconcileAfterMinutes} 分钟后仍未付款的订单，每 {props.reconcileEverySeconds} 秒用 single_trade_query 向支付宝查询一次，补上丢失的通知。
      </p>
      <form method="post" action="/admin/reconcile">
        <Csrf token={props.csrf} />
        <button type="submit" class="small secondary" id="reconcile-now">
          立即对账
        </button>
      </form>
      <table id="job-runs">
        <tr>
          <th>开始</th>
          <th>结束</th>
          <th>查询订单数</th>
          <th>更新订单数</th>
          <th>错误</th>
        </tr>
        {props.runs.map((r) => (
          <tr>
            <td>{formatTime(Number(r.started_at))}</td>
            <td>{r.finished_at === null ? '进行中' : formatTime(Number(r.finished_at))}</td>
            <td>{r.checked}</td>
            <td>{r.updated}</td>
            <td>{r.error ?? ''}</td>
          </tr>
        ))}
      </table>
      <h2>订单</h2>
      <p>
        {FILTERS.map(([value, label]) => (
          <>
            {value === props.filter ? <strong>{label}</strong> : <a href={`/admin?filter=${value}`}>{label}</a>}{' '}
          </>
        ))}
      </p>
      <table id="admin-orders">
        <tr>
          <th>订单号</th>
          <th>商品</th>
          <th>金额</th>
          <th>接口</th>
          <th>状态</th>
          <th>买家</th>
          <th>下单时间</th>
        </tr>
        {props.orders.map((o) => (
          <tr>
            <td>
              <a href={`/admin/orders/${encodeURIComponent(o.out_trade_no)}`}>{o.out_trade_no}</a>
            </td>
            <td>{o.subject}</td>
            <td>{yuan(o.total_fen)}</td>
            <td>{SERVICE_LABELS[o.payment_service] ?? o.payment_service}</td>
            <td>{orderStatusLabel(o)}</td>
            <td>{o.buyer_email ?? o.customer_user_id ?? ''}</td>
            <td>{formatTime(Number(o.created_at))}</td>
          </tr>
        ))}
      </table>
      <p>
        {props.page > 1 ? <a href={`/admin?filter=${props.filter}&page=${props.page - 1}`}>上一页</a> : null}{' '}
        {props.hasMore ? <a href={`/admin?filter=${props.filter}&page=${props.page + 1}`}>下一页</a> : null}
      </p>
    </>
  );
}
