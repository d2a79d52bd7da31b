import type { LogEntry, Order, OrderEvent, RefundBatch } from '../services/rows.js';
import { Csrf } from './layout.js';
import { formatTime, orderStatusLabel, SERVICE_LABELS, yuan } from './labels.js';
import { LogTable } from './notification-log.js';

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
