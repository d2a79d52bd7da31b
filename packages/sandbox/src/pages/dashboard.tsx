import { formatAlipayTime } from 'alipay-legacy';
import type { Buyer, Merchant, NotificationWithAttempts, Trade } from '../services/index.js';
import { serviceLabel } from '../service-catalogue.js';
import { REFUND_STATUS_LABELS, TRADE_STATUS_LABELS, yuan } from './labels.js';
import { Layout } from './layout.js';

export interface DashboardProps {
  publicUrl: string;
  merchants: Merchant[];
  buyers: Array<Buyer & { passwords?: string }>;
  trades: Trade[];
  notifications: NotificationWithAttempts[];
  now: number;
}

const time = (ms: number | null | undefined) => (ms === null || ms === undefined ? '' : formatAlipayTime(ms));
const onOff = (on: boolean) => (on ? '开' : '关');

/** `/`: what a developer needs at a glance — credentials, buyers, trades, notifications and their attempts. */
export function DashboardPage(props: DashboardProps) {
  return (
    <Layout wide title="alipay-legacy sandbox">
      <h1>支付宝沙箱 · alipay-legacy sandbox</h1>
      <p>
        网关 <code>{props.publicUrl}/gateway.do</code> · 验证通知 <code>{props.publicUrl}/gateway.do?service=notify_verify</code> · 沙箱时间{' '}
        <strong id="now">{time(props.now)}</strong>（北京时间）
      </p>
      <p>
        <a href="/seller">商家服务（卖家）</a> · <a href="/buyer">我的支付宝（买家）</a> · API：<code>/sandbox/api</code>（见 README）
      </p>

      <h2>商户（合作身份者）</h2>
      <table id="merchants">
        <tr>
          <th>partner / seller_id</th>
          <th>key（MD5）</th>
          <th>seller_email</th>
          <th>签名方式</th>
          <th>防钓鱼 / IP 校验 / 高级即时到账 / 自定义超时</th>
        </tr>
        {props.merchants.map((m) => (
          <tr>
            <td>
              <code>{m.partner}</code>
              <br />
              {m.displayName}
            </td>
            <td>
              <code>{m.key}</code>
            </td>
            <td>{m.sellerEmail}</td>
            <td>{m.signTypes.join(', ')}</td>
            <td>
              {onOff(m.antiPhishing)} / {onOff(m.ipCheck)} / {onOff(m.advancedInstant)} / {onOff(m.selfTimeout)}
            </td>
          </tr>
        ))}
      </table>

      <h2>买家</h2>
      <table id="buyers">
        <tr>
          <th>账户名</th>
          <th>user_id</th>
          <th>姓名</th>
          <th>余额</th>
          <th>登录密码 / 支付密码</th>
        </tr>
        {props.buyers.map((b) => (
          <tr>
            <td>{b.login}</td>
            <td>
              <code>{b.userId}</code>
            </td>
            <td>{b.realName}</td>
            <td>{yuan(b.balanceFen)}</td>
            <td>{b.passwords ?? ''}</td>
          </tr>
        ))}
      </table>

      <h2>交易（最近 {props.trades.length} 笔）</h2>
      <table id="trades">
        <tr>
          <th>trade_no / out_trade_no</th>
          <th>接口</th>
          <th>商品</th>
          <th>金额</th>
          <th>状态</th>
          <th>创建 / 付款</th>
        </tr>
        {props.trades.map((t) => (
          <tr>
            <td>
              <a href={`/sandbox/api/trades/${t.tradeNo}`}>{t.tradeNo}</a>
              <br />
              <span class="muted">{t.outTradeNo}</span>
            </td>
            <td>{serviceLabel(t.service)}</td>
            <td>{t.subject}</td>
            <td>{yuan(t.totalFeeFen)}</td>
            <td>
              {t.tradeStatus}
              <br />
              <span class="muted">{TRADE_STATUS_LABELS[t.tradeStatus]}</span>
              {t.refundStatus ? (
                <>
                  <br />
                  {t.refundStatus}（{REFUND_STATUS_LABELS[t.refundStatus]}）
                </>
              ) : null}
            </td>
            <td>
              {time(t.gmtCreate)}
              <br />
              {time(t.gmtPayment)}
            </td>
          </tr>
        ))}
      </table>

      <h2>异步通知（最近 {props.notifications.length} 条）</h2>
      <table id="notifications">
        <tr>
          <th>#</th>
          <th>交易 / 类型</th>
          <th>状态</th>
          <th>notify_url</th>
          <th>尝试</th>
        </tr>
        {props.notifications.map((n) => (
          <tr>
            <td>{n.id}</td>
            <td>
              {n.tradeNo ?? n.batchNo}
              <br />
              <span class="muted">
                {n.notifyType} {n.params.trade_status ?? ''} {n.params.refund_status ?? ''}
              </span>
            </td>
            <td>
              {n.state}
              {n.state === 'retrying' || n.state === 'pending' ? (
                <>
                  <br />
                  <span class="muted">下次 {time(n.nextAttemptAt)}</span>
                </>
              ) : null}
            </td>
            <td>
              <code>{n.url}</code>
            </td>
            <td>
              {n.deliveryAttempts.map((a) => (
                <div>
                  #{a.number} {time(a.startedAt)} → {a.httpStatus ?? a.error ?? '…'}
                  {a.responseBody !== null ? ` "${a.responseBody.slice(0, 40)}"` : ''} {a.durationMs !== null ? `${a.durationMs} ms` : ''}
                  {a.warning ? <span class="error"> {a.warning}</span> : null}
                  {a.fault ? <span class="muted"> [{a.fault}]</span> : null}
                </div>
              ))}
            </td>
          </tr>
        ))}
      </table>
    </Layout>
  );
}
