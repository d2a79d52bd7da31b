import { PAYMENT_SETTINGS, SETTING_LABEL, type PaymentSetting } from '../payment-services.js';
import type { JobRunsTable } from '../store/schema.js';
import type { LogEntry, Order, OrderEvent, RefundBatch } from '../services/rows.js';
import { Csrf } from './layout.js';
import { formatTime, orderStatusLabel, SERVICE_LABELS, yuan } from './labels.js';

type JobRun = { [K in keyof JobRunsTable]: K extends 'id' ? number : JobRunsTable[K] };

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

export interface AdminOrderProps {
  csrf: string;
  order: Order;
  events: OrderEvent[];
  log: LogEntry[];
  batches: RefundBatch[];
  canShip: boolean;
  canRefund: boolean;
  canClose: boolean;
  flash?: string | undefined;
}

export function AdminOrderPage(props: AdminOrderProps) {
  const o = props.order;
  const action = (what: string) => `/admin/orders/${encodeURIComponent(o.out_trade_no)}/${what}`;
  return (
    <>
      <h1>订单 {o.out_trade_no}</h1>
      {props.flash ? <p class="notice" id="flash">{props.flash}</p> : null}
      <table>
        <tr>
          <th>状态</th>
          <td id="admin-order-status" data-trade-status={o.trade_status ?? ''} data-refund-status={o.refund_status ?? ''}>
            {orderStatusLabel(o)}
          </td>
        </tr>
        <tr>
          <th>金额</th>
          <td>{yuan(o.total_fen)}</td>
        </tr>
        <tr>
          <th>接口</th>
          <td>
            {SERVICE_LABELS[o.payment_service] ?? o.payment_service}
            {o.paid_way ? <span id="paid-way">（买家选择{o.paid_way === 'escrow' ? '担保交易' : '即时到账'}）</span> : null}
            {o.paymethod === 'bankPay' ? `（网银 ${o.defaultbank ?? ''}）` : ''}
          </td>
        </tr>
        <tr>
          <th>支付宝交易号</th>
          <td>{o.trade_no ?? ''}</td>
        </tr>
        <tr>
          <th>买家</th>
          <td>
            {o.buyer_email ?? ''} {o.buyer_id ?? ''} {o.customer_user_id ? `（快捷登录 ${o.customer_user_id}）` : ''}
          </td>
        </tr>
        <tr>
          <th>收货信息</th>
          <td>{o.receive_name ? `${o.receive_name}，${o.receive_prov} ${o.receive_city} ${o.receive_area} ${o.receive_address}，${o.receive_mobile}` : ''}</td>
        </tr>
        <tr>
          <th>物流</th>
          <td>{o.logistics_name ? `${o.logistics_name} ${o.invoice_no}` : ''}</td>
        </tr>
      </table>
      <h2>操作</h2>
      <form method="post" action={action('query')} class="inline">
        <Csrf token={props.csrf} />
        <button type="submit" class="small secondary" id="ask-alipay">
          向支付宝查询
        </button>
      </form>{' '}
      {props.canClose ? (
        <form method="post" action={action('close')} class="inline">
          <Csrf token={props.csrf} />
          <button type="submit" class="small" id="close-order">
            关闭交易
          </button>
        </form>
      ) : null}
      {props.canShip ? (
        <form method="post" action={action('ship')}>
          <Csrf token={props.csrf} />
          <fieldset>
            <legend>发货</legend>
            物流公司 <input type="text" name="logistics_name" value="顺丰速运" style="width:120px" /> 运单号{' '}
            <input type="text" name="invoice_no" style="width:160px" />{' '}
            <select name="transport_type">
              <option value="EXPRESS">快递</option>
              <option value="POST">平邮</option>
              <option value="EMS">EMS</option>
            </select>{' '}
            <button type="submit" class="small" id="ship">
              确认发货
            </button>
          </fieldset>
        </form>
      ) : null}
      {props.canRefund ? (
        <form method="post" action={action('refund')}>
          <Csrf token={props.csrf} />
          <fieldset>
            <legend>退款（即时到账批量退款有密）</legend>
            金额 <input type="text" name="amount" style="width:100px" /> 原因 <input type="text" name="reason" value="协商退款" style="width:160px" />{' '}
            <button type="submit" class="small" id="refund">
              去支付宝确认退款
            </button>
          </fieldset>
        </form>
      ) : null}
      <h2>订单历史</h2>
      <table id="order-history">
        <tr>
          <th>时间</th>
          <th>来源</th>
          <th>事件</th>
          <th>状态</th>
          <th>说明</th>
        </tr>
        {props.events.map((e) => (
          <tr>
            <td>{formatTime(Number(e.at))}</td>
            <td>{e.source}</td>
            <td>{e.kind}</td>
            <td>{e.to_status ? `${e.from_status ?? '—'} → ${e.to_status}` : ''}</td>
            <td>{e.detail ?? ''}</td>
          </tr>
        ))}
      </table>
      {props.batches.length ? (
        <>
          <h2>退款批次</h2>
          <table id="refund-batches">
            <tr>
              <th>批次号</th>
              <th>金额</th>
              <th>状态</th>
              <th>结果</th>
            </tr>
            {props.batches.map((b) => (
              <tr>
                <td>{b.batch_no}</td>
                <td>{yuan(b.amount_fen)}</td>
                <td data-batch-status={b.status}>{b.status === 'sent' ? '等待支付宝通知' : b.status === 'succeeded' ? '退款成功' : '退款失败'}</td>
                <td>{b.result_details ?? ''}</td>
              </tr>
            ))}
          </table>
        </>
      ) : null}
      <h2>通知与返回</h2>
      <LogTable entries={props.log} />
    </>
  );
}

export function AdminLogPage(props: { entries: LogEntry[]; outcome: string }) {
  return (
    <>
      <h1>通知日志</h1>
      <p class="muted">每一条收到的异步通知和页面跳转返回：原始内容、编码、验证结果和原因、处理结果（seed 000 §4.5）。</p>
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

function LogTable(props: { entries: LogEntry[] }) {
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
