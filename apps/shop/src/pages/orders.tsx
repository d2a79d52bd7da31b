import type { Order } from '../services/rows.js';
import { orderItems } from '../services/rows.js';
import { Csrf } from './layout.js';
import { formatTime, orderStatusLabel, SERVICE_LABELS, yuan } from './labels.js';

export function OrdersPage(props: { orders: Order[] }) {
  return (
    <>
      <h1>我的订单</h1>
      {props.orders.length === 0 ? (
        <p>还没有订单。</p>
      ) : (
        <table>
          <tr>
            <th>订单号</th>
            <th>商品</th>
            <th>金额</th>
            <th>状态</th>
            <th>下单时间</th>
          </tr>
          {props.orders.map((o) => (
            <tr>
              <td>
                <a href={`/orders/${encodeURIComponent(o.out_trade_no)}`}>{o.out_trade_no}</a>
              </td>
              <td>{o.subject}</td>
              <td>{yuan(o.total_fen)}</td>
              <td data-status={o.out_trade_no}>{orderStatusLabel(o)}</td>
              <td>{formatTime(Number(o.created_at))}</td>
            </tr>
          ))}
        </table>
      )}
    </>
  );
}

export interface OrderPageProps {
  order: Order;
  csrf: string;
  /** Shown above the order when the buyer just came back from Alipay. */
  banner?: string | undefined;
  canPay: boolean;
}

/** One order, from the shop's own database (protocol.md §12.1: the return page is not the source of truth). */
export function OrderPage(props: OrderPageProps) {
  const o = props.order;
  const items = orderItems(o);
  return (
    <>
      <h1>订单 {o.out_trade_no}</h1>
      {props.banner ? <p class="notice">{props.banner}</p> : null}
      <table>
        <tr>
          <th>状态</th>
          <td id="order-status" data-trade-status={o.trade_status ?? ''}>
            {orderStatusLabel(o)}
          </td>
        </tr>
        <tr>
          <th>商品</th>
          <td>{o.subject}</td>
        </tr>
        {items.length ? (
          <tr>
            <th>明细</th>
            <td>
              {items.map((i) => (
                <div>
                  {i.name} × {i.quantity}（{yuan(i.price_fen)}）
                </div>
              ))}
            </td>
          </tr>
        ) : null}
        {o.body && !items.length ? (
          <tr>
            <th>备注</th>
            <td>{o.body}</td>
          </tr>
        ) : null}
        <tr>
          <th>金额</th>
          <td class="price">{yuan(o.total_fen)}</td>
        </tr>
        <tr>
          <th>付款方式</th>
          <td>
            {SERVICE_LABELS[o.payment_service] ?? o.payment_service}
            {o.paid_way ? `（买家选择${o.paid_way === 'escrow' ? '担保交易' : '即时到账'}）` : ''}
            {o.paymethod === 'bankPay' ? `（网银 ${o.defaultbank ?? ''}）` : ''}
          </td>
        </tr>
        {o.receive_name ? (
          <tr>
            <th>收货信息</th>
            <td>
              {o.receive_name}，{o.receive_prov} {o.receive_city} {o.receive_area} {o.receive_address}，{o.receive_mobile}
            </td>
          </tr>
        ) : null}
        {o.trade_no ? (
          <tr>
            <th>支付宝交易号</th>
            <td>{o.trade_no}</td>
          </tr>
        ) : null}
        {o.logistics_name ? (
          <tr>
            <th>物流</th>
            <td>
              {o.logistics_name} {o.invoice_no}
            </td>
          </tr>
        ) : null}
        <tr>
          <th>下单时间</th>
          <td>{formatTime(Number(o.created_at))}</td>
        </tr>
      </table>
      {props.canPay ? (
        <form method="post" action={`/orders/${encodeURIComponent(o.out_trade_no)}/pay`}>
          <Csrf token={props.csrf} />
          <button type="submit" id="pay-now">
            去支付宝付款
          </button>
        </form>
      ) : null}
    </>
  );
}

export function MessagePage(props: { title: string; text: string; link?: { href: string; label: string } }) {
  return (
    <>
      <h1>{props.title}</h1>
      <p id="message">{props.text}</p>
      {props.link ? (
        <p>
          <a href={props.link.href}>{props.link.label}</a>
        </p>
      ) : null}
    </>
  );
}
