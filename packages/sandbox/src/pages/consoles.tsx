import { formatAlipayTime, fromFen } from 'alipay-legacy';
import type { Buyer, Merchant, RefundBatch, Trade } from '../services/index.js';
import { serviceLabel } from '../service-catalogue.js';
import { buyerActions, refundableFen, sellerActions, type SellerAction } from '../services/trade-rules.js';
import { REFUND_STATUS_LABELS, TRADE_STATUS_LABELS, yuan } from './labels.js';
import { Layout } from './layout.js';

/**
 * The seller's and the buyer's consoles ("我的支付宝"): what they would do on Alipay's site after
 * a payment — ship, confirm receipt, the escrow refund steps of protocol.md §12.8, close an unpaid
 * trade, and confirm a refund batch of refund_fastpay_by_platform_pwd.
 */

export function ConsoleLoginPage(props: { who: 'seller' | 'buyer'; next?: string; error?: string; login?: string }) {
  const seller = props.who === 'seller';
  return (
    <Layout>
      <h1>{seller ? '商家服务 · 卖家登录' : '我的支付宝 · 买家登录'}</h1>
      {seller ? <p class="muted">沙箱中卖家使用合作身份者 ID（partner）或收款账号，以及交易安全校验码（key）登录。</p> : null}
      {props.error ? <p class="error" id="error">{props.error}</p> : null}
      <form method="post" action={`/${props.who}/login`}>
        {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
        <label>
          {seller ? '合作身份者 ID 或收款账号：' : '账户名：'}
          <input type="text" id="login" name="login" value={props.login ?? ''} required />
        </label>
        <label>
          {seller ? '交易安全校验码（key）：' : '登录密码：'}
          <input type="password" id="password" name="password" required />
        </label>
        <button type="submit" id="login-submit">
          登录
        </button>
      </form>
    </Layout>
  );
}

function status(trade: Trade) {
  return (
    <>
      <span class="trade-status" data-status={trade.tradeStatus}>
        {TRADE_STATUS_LABELS[trade.tradeStatus] ?? trade.tradeStatus}
      </span>
      {trade.refundStatus ? (
        <>
          <br />
          <span class="refund-status" data-status={trade.refundStatus}>
            {REFUND_STATUS_LABELS[trade.refundStatus] ?? trade.refundStatus}
          </span>
        </>
      ) : null}
    </>
  );
}

function Logout(props: { who: 'seller' | 'buyer' }) {
  return (
    <form class="inline" method="post" action={`/${props.who}/logout`}>
      <button type="submit" class="small secondary">
        退出
      </button>
    </form>
  );
}

export function SellerConsolePage(props: { merchant: Merchant; trades: Trade[]; batches: RefundBatch[] }) {
  const pending = props.batches.filter((b) => b.status === 'WAIT_SELLER_CONFIRM');
  return (
    <Layout wide>
      <h1>
        商家服务 · {props.merchant.displayName}（{props.merchant.sellerEmail}） <Logout who="seller" />
      </h1>
      {pending.length > 0 ? (
        <>
          <h2>待确认的批量退款</h2>
          <ul>
            {pending.map((b) => (
              <li>
                <a href={`/seller/refund-batches/${encodeURIComponent(b.batchNo)}`}>批次 {b.batchNo}</a>（{b.batchNum} 笔）
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2>交易</h2>
      <table>
        <tr>
          <th>支付宝交易号 / 商户订单号</th>
          <th>商品</th>
          <th>金额</th>
          <th>买家</th>
          <th>状态</th>
          <th>操作</th>
        </tr>
        {props.trades.map((t) => (
          <tr id={`trade-${t.tradeNo}`}>
            <td>
              {t.tradeNo}
              <br />
              <span class="muted">{t.outTradeNo}</span>
            </td>
            <td>
              {t.subject}
              <br />
              <span class="muted">{serviceLabel(t.service)}</span>
            </td>
            <td>{yuan(t.totalFeeFen)}</td>
            <td>{t.buyerEmail ?? ''}</td>
            <td>{status(t)}</td>
            <td>
              <SellerActionForms trade={t} />
            </td>
          </tr>
        ))}
      </table>
    </Layout>
  );
}

/** The seller's one-button actions, in the order the console shows them. */
const SELLER_BUTTONS: ReadonlyArray<{ action: SellerAction; path: string; label: string; secondary?: boolean }> = [
  { action: 'AGREE_REFUND', path: 'refund/agree', label: '同意退款' },
  { action: 'REFUSE_REFUND', path: 'refund/refuse', label: '拒绝退款', secondary: true },
  { action: 'CONFIRM_RETURNED_GOODS', path: 'refund/confirm-goods', label: '确认收到退货' },
  { action: 'CLOSE_TRADE', path: 'close', label: '关闭交易', secondary: true },
];

/** The seller's forms for a trade: those its rules allow now (trade-rules.ts sellerActions). */
function SellerActionForms(props: { trade: Trade }) {
  const t = props.trade;
  const actions = sellerActions(t);
  return (
    <>
      {actions.includes('SEND_GOODS') ? (
        <form method="post" action={`/seller/trades/${t.tradeNo}/ship`}>
          <input type="text" name="logistics_name" placeholder="物流公司" required style="width:120px" />
          <input type="text" name="invoice_no" placeholder="运单号" style="width:120px" />
          <button type="submit" class="small">
            发货
          </button>
        </form>
      ) : null}
      {/* One-click steps: a form with one button each, so they work without JavaScript. */}
      {SELLER_BUTTONS.filter((b) => actions.includes(b.action)).map((b) => (
        <form class="inline" method="post" action={`/seller/trades/${t.tradeNo}/${b.path}`}>
          <button type="submit" class={b.secondary ? 'small secondary' : 'small'}>
            {b.label}
          </button>
        </form>
      ))}
    </>
  );
}

export function RefundBatchPage(props: { merchant: Merchant; batch: RefundBatch; done?: boolean }) {
  const { batch } = props;
  return (
    <Layout>
      <h1>{batch.status === 'DONE' ? '批量退款已处理' : '确认批量退款'}</h1>
      <p>
        卖家：{props.merchant.displayName}（{props.merchant.sellerEmail}），批次号 <strong id="batch-no">{batch.batchNo}</strong>，共 {batch.batchNum} 笔
      </p>
      <table>
        <tr>
          <th>支付宝交易号</th>
          <th>退款金额</th>
          <th>退款理由</th>
        </tr>
        {batch.items.map((item) => (
          <tr>
            <td>{item.tradeNo}</td>
            <td>{fromFen(item.amountFen)}</td>
            <td>{item.reason}</td>
          </tr>
        ))}
      </table>
      {batch.status === 'DONE' ? (
        <>
          <p class="ok" id="batch-done">
            退款已处理：成功 {batch.successNum ?? 0} 笔。{batch.confirmedAt ? `（${formatAlipayTime(batch.confirmedAt)}）` : ''}
          </p>
          <pre>{batch.resultDetails ?? ''}</pre>
          <p>
            <a href="/seller">返回商家服务</a>
          </p>
        </>
      ) : (
        <form method="post" action={`/seller/refund-batches/${encodeURIComponent(batch.batchNo)}/confirm`}>
          <button type="submit" id="refund-confirm">
            确认退款
          </button>
        </form>
      )}
    </Layout>
  );
}

export function BuyerConsolePage(props: { buyer: Buyer; trades: Trade[]; now: number }) {
  return (
    <Layout wide>
      <h1>
        我的支付宝 · {props.buyer.realName}（{props.buyer.email}），余额 {yuan(props.buyer.balanceFen)} <Logout who="buyer" />
      </h1>
      <table>
        <tr>
          <th>支付宝交易号</th>
          <th>商品</th>
          <th>金额</th>
          <th>状态</th>
          <th>操作</th>
        </tr>
        {props.trades.map((t) => (
          <tr id={`trade-${t.tradeNo}`}>
            <td>{t.tradeNo}</td>
            <td>{t.subject}</td>
            <td>{yuan(t.totalFeeFen)}</td>
            <td>{status(t)}</td>
            <td>
              <BuyerActionForms trade={t} now={props.now} />
            </td>
          </tr>
        ))}
      </table>
    </Layout>
  );
}

/** The buyer's forms for a trade: those its rules allow now (trade-rules.ts buyerActions). */
function BuyerActionForms(props: { trade: Trade; now: number }) {
  const t = props.trade;
  const actions = buyerActions(t, props.now);
  return (
    <>
      {actions.includes('CONFIRM_GOODS') ? (
        <form method="post" action={`/buyer/trades/${t.tradeNo}/confirm-receipt`}>
          <input type="password" name="pay_password" placeholder="支付密码" required style="width:100px" />
          <button type="submit" class="small">
            确认收货
          </button>
        </form>
      ) : null}
      {actions.includes('REFUND') ? (
        <form method="post" action={`/buyer/trades/${t.tradeNo}/refund`}>
          <input type="text" name="amount" value={fromFen(refundableFen(t))} style="width:80px" />
          <input type="text" name="reason" placeholder="退款理由" style="width:120px" />
          <label style="display:inline">
            <input type="checkbox" name="return_goods" value="1" checked={t.tradeStatus === 'WAIT_BUYER_CONFIRM_GOODS'} />
            需要退货
          </label>
          <button type="submit" class="small secondary">
            申请退款
          </button>
        </form>
      ) : null}
      {actions.includes('RETURN_GOODS') ? (
        <form method="post" action={`/buyer/trades/${t.tradeNo}/goods-returned`}>
          <input type="text" name="logistics_name" placeholder="物流公司" style="width:100px" />
          <input type="text" name="invoice_no" placeholder="运单号" style="width:100px" />
          <button type="submit" class="small">
            已退货
          </button>
        </form>
      ) : null}
    </>
  );
}
