import { formatAlipayTime, fromFen } from 'alipay-legacy';
import type { Child } from 'hono/jsx';
import type { Buyer, Merchant, Refund, RefundBatch, Trade } from '../services/index.js';
import { serviceLabel } from '../service-catalogue.js';
import { buyerActions, refundableFen, sellerActions, type BuyerAction, type SellerAction } from '../services/trade-rules.js';
import { explainRefusal } from './error-explanations.js';
import { LOGISTICS_PAYMENT_LABELS, LOGISTICS_TYPE_LABELS, REFUND_STATUS_LABELS, TRADE_STATUS_LABELS, yuan } from './labels.js';
import { Layout } from './layout.js';

/**
 * The seller's and the buyer's consoles ("我的支付宝"): what they would do on Alipay's site after
 * a payment — ship, confirm receipt, the escrow refund steps of protocol.md §12.8, close an unpaid
 * trade, and confirm a refund batch of refund_fastpay_by_platform_pwd. Each trade shows what its
 * next step is decided on: the refund asked for, the address and logistics, the parcel sent.
 */

/** An action the service refused: shown on the console it was taken from (decisions.md §34). */
export interface ConsoleRefusal {
  /** The trade it was about ('' for a refund batch). */
  tradeNo: string;
  code: string;
  /** The service's technical message, for the developer. */
  detail: string;
}

function RefusalNotice(props: { refusal: ConsoleRefusal | undefined }) {
  const r = props.refusal;
  if (!r) return null;
  return (
    <div class="notice" id="refusal" data-code={r.code}>
      <p class="error" id="error">
        {r.tradeNo ? `交易 ${r.tradeNo}：` : ''}操作未成功。{explainRefusal(r.code)}
      </p>
      <p class="muted" id="error-detail">
        {r.code}：{r.detail}
      </p>
    </div>
  );
}

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

/** The logistics group the buyer chose at the cashier (protocol.md §4.2): type, freight and who bears it. */
function ChosenLogistics(props: { trade: Trade }) {
  const t = props.trade;
  const option = t.logisticsIndex === null ? undefined : t.logisticsOptions[t.logisticsIndex];
  if (!option) return null;
  return (
    <div class="logistics-choice">
      物流方式：{LOGISTICS_TYPE_LABELS[option.type] ?? option.type}（{option.type}），运费 {yuan(option.feeFen)}，
      {LOGISTICS_PAYMENT_LABELS[option.payment] ?? option.payment}（{option.payment}）
    </div>
  );
}

/** The parcel, once sent: the carrier and the tracking number. */
function Shipment(props: { trade: Trade }) {
  const t = props.trade;
  if (t.gmtSendGoods === null) return null;
  return (
    <div class="shipment">
      已发货：<span class="carrier">{t.logisticsName ?? ''}</span>
      {t.invoiceNo ? (
        <>
          ，运单号 <span class="invoice-no">{t.invoiceNo}</span>
        </>
      ) : (
        '（无运单号）'
      )}
      <span class="muted">（{formatAlipayTime(t.gmtSendGoods)}）</span>
    </div>
  );
}

/** Where the goods go: the address the buyer confirmed at the cashier (or the merchant pre-filled). */
function ShippingAddress(props: { trade: Trade }) {
  const t = props.trade;
  if (!t.receiveName && !t.receiveAddress) return null;
  const phones = [t.receiveMobile, t.receivePhone].filter((p): p is string => Boolean(p));
  return (
    <div class="receive">
      收货人：<span class="receive-name">{t.receiveName ?? ''}</span>
      {phones.length > 0 ? `，电话 ${phones.join(' / ')}` : ''}
      <br />
      地址：<span class="receive-address">{t.receiveAddress ?? ''}</span>
      {t.receiveZip ? `，邮编 ${t.receiveZip}` : ''}
    </div>
  );
}

/** The latest refund request: the amount, the reason and whether the goods come back (退货). */
function RefundRequest(props: { trade: Trade; refund: Refund | undefined }) {
  const { trade: t, refund } = props;
  if (!refund && t.refundedFen === 0) return <span class="muted">无</span>;
  return (
    <div class="refund-request">
      {refund ? (
        <>
          退款金额 <span class="refund-amount">{yuan(refund.amountFen)}</span>，
          <span class="refund-goods">{refund.returnGoods ? '需要退货' : '不退货'}</span>
          <br />
          理由：<span class="refund-reason">{refund.reason}</span>
        </>
      ) : null}
      {t.refundedFen > 0 ? <div class="muted">已退款 {yuan(t.refundedFen)}</div> : null}
    </div>
  );
}

export function SellerConsolePage(props: { merchant: Merchant; trades: Trade[]; batches: RefundBatch[]; refunds: Map<string, Refund>; refusal?: ConsoleRefusal }) {
  const pending = props.batches.filter((b) => b.status === 'WAIT_SELLER_CONFIRM');
  return (
    <Layout wide>
      <h1>
        商家服务 · {props.merchant.displayName}（{props.merchant.sellerEmail}） <Logout who="seller" />
      </h1>
      <RefusalNotice refusal={props.refusal} />
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
      <table class="list">
        <thead>
          <tr>
            <th>支付宝交易号 / 商户订单号</th>
            <th>商品</th>
            <th>金额</th>
            <th>买家</th>
            <th>收货与物流</th>
            <th>退款</th>
            <th>状态</th>
            <th>操作</th>
          </tr>
        </thead>
        <tbody>
          {props.trades.map((t) => (
            <tr id={`trade-${t.tradeNo}`}>
              <td data-label="支付宝交易号 / 商户订单号">
                {t.tradeNo}
                <br />
                <span class="muted">{t.outTradeNo}</span>
              </td>
              <td data-label="商品">
                {t.subject}
                <br />
                <span class="muted">{serviceLabel(t.service)}</span>
              </td>
              <td data-label="金额">{yuan(t.totalFeeFen)}</td>
              <td data-label="买家">{t.buyerEmail ?? ''}</td>
              <td data-label="收货与物流">
                <ShippingAddress trade={t} />
                <ChosenLogistics trade={t} />
                <Shipment trade={t} />
              </td>
              <td data-label="退款">
                <RefundRequest trade={t} refund={props.refunds.get(t.tradeNo)} />
              </td>
              <td data-label="状态">{status(t)}</td>
              <td data-label="操作">
                <SellerActionForms trade={t} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

/** A one-button step: a form with one button, so it works without JavaScript. */
function OneButton(props: { trade: Trade; action: SellerAction; path: string; label: string; secondary?: boolean }) {
  return (
    <form class="inline" method="post" action={`/seller/trades/${props.trade.tradeNo}/${props.path}`} data-action={props.action}>
      <button type="submit" class={props.secondary ? 'small secondary' : 'small'}>
        {props.label}
      </button>
    </form>
  );
}

/**
 * The seller's form for each action the rules can offer (trade-rules.ts sellerActions). The record
 * names every action, so a new one cannot be offered without its form; MODIFY_TRADE and
 * EXTEND_TIMEOUT are on the wire only (no sandbox page changes the price or the timeout).
 */
const SELLER_FORMS: Record<SellerAction, ((t: Trade) => Child) | null> = {
  MODIFY_TRADE: null,
  EXTEND_TIMEOUT: null,
  SEND_GOODS: (t) => (
    <form method="post" action={`/seller/trades/${t.tradeNo}/ship`} data-action="SEND_GOODS" class="console-form">
      <input type="text" name="logistics_name" placeholder="物流公司" class="short" aria-label="物流公司" required />
      <input type="text" name="invoice_no" placeholder="运单号" class="short" aria-label="运单号" />
      <button type="submit" class="small">
        发货
      </button>
    </form>
  ),
  AGREE_REFUND: (t) => <OneButton trade={t} action="AGREE_REFUND" path="refund/agree" label="同意退款" />,
  REFUSE_REFUND: (t) => <OneButton trade={t} action="REFUSE_REFUND" path="refund/refuse" label="拒绝退款" secondary />,
  CONFIRM_RETURNED_GOODS: (t) => <OneButton trade={t} action="CONFIRM_RETURNED_GOODS" path="refund/confirm-goods" label="确认收到退货" />,
  CLOSE_TRADE: (t) => <OneButton trade={t} action="CLOSE_TRADE" path="close" label="关闭交易" secondary />,
};

/** The seller's forms for a trade: those its rules allow now. */
function SellerActionForms(props: { trade: Trade }) {
  return <>{sellerActions(props.trade).map((action) => SELLER_FORMS[action]?.(props.trade) ?? null)}</>;
}

export function RefundBatchPage(props: { merchant: Merchant; batch: RefundBatch; refusal?: ConsoleRefusal }) {
  const { batch } = props;
  return (
    <Layout>
      <h1>{batch.status === 'DONE' ? '批量退款已处理' : '确认批量退款'}</h1>
      <RefusalNotice refusal={props.refusal} />
      <p>
        卖家：{props.merchant.displayName}（{props.merchant.sellerEmail}），批次号 <strong id="batch-no">{batch.batchNo}</strong>，共 {batch.batchNum} 笔
      </p>
      <table class="list">
        <thead>
          <tr>
            <th>支付宝交易号</th>
            <th>退款金额</th>
            <th>退款理由</th>
          </tr>
        </thead>
        <tbody>
          {batch.items.map((item) => (
            <tr>
              <td data-label="支付宝交易号">{item.tradeNo}</td>
              <td data-label="退款金额">{yuan(item.amountFen)}</td>
              <td data-label="退款理由">{item.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {batch.status === 'DONE' ? (
        <>
          <p class="ok" id="batch-done">
            退款已处理：成功 {batch.successNum ?? 0} 笔。{batch.confirmedAt ? `（${formatAlipayTime(batch.confirmedAt)}）` : ''}
          </p>
          <pre>{batch.resultDetails ?? ''}</pre>
        </>
      ) : (
        <form method="post" action={`/seller/refund-batches/${encodeURIComponent(batch.batchNo)}/confirm`}>
          <button type="submit" id="refund-confirm">
            确认退款
          </button>
        </form>
      )}
      <p>
        <a href="/seller">返回商家服务</a>
      </p>
    </Layout>
  );
}

export function BuyerConsolePage(props: { buyer: Buyer; trades: Trade[]; refunds: Map<string, Refund>; now: number; refusal?: ConsoleRefusal }) {
  return (
    <Layout wide>
      <h1>
        我的支付宝 · {props.buyer.realName}（{props.buyer.email}），余额 <span id="balance">{yuan(props.buyer.balanceFen)}</span> <Logout who="buyer" />
      </h1>
      <RefusalNotice refusal={props.refusal} />
      <table class="list">
        <thead>
          <tr>
            <th>支付宝交易号</th>
            <th>商品</th>
            <th>金额</th>
            <th>物流</th>
            <th>退款</th>
            <th>状态</th>
            <th>操作</th>
          </tr>
        </thead>
        <tbody>
          {props.trades.map((t) => (
            <tr id={`trade-${t.tradeNo}`}>
              <td data-label="支付宝交易号">{t.tradeNo}</td>
              <td data-label="商品">{t.subject}</td>
              <td data-label="金额">{yuan(t.totalFeeFen)}</td>
              <td data-label="物流">
                <ChosenLogistics trade={t} />
                <Shipment trade={t} />
              </td>
              <td data-label="退款">
                <RefundRequest trade={t} refund={props.refunds.get(t.tradeNo)} />
              </td>
              <td data-label="状态">{status(t)}</td>
              <td data-label="操作">
                <BuyerActionForms trade={t} now={props.now} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

/**
 * The buyer's form for each action the rules can offer (trade-rules.ts buyerActions); the record
 * names every action, so each one the rules offer is on the page.
 */
const BUYER_FORMS: Record<BuyerAction, (t: Trade) => Child> = {
  PAY: (t) => (
    <a class="button small" href={`/cashier/${t.tradeNo}`} data-action="PAY">
      付款
    </a>
  ),
  CONFIRM_GOODS: (t) => (
    <form method="post" action={`/buyer/trades/${t.tradeNo}/confirm-receipt`} data-action="CONFIRM_GOODS" class="console-form">
      <input type="password" name="pay_password" placeholder="支付密码" class="short" aria-label="支付密码" autocomplete="off" required />
      <button type="submit" class="small">
        确认收货
      </button>
    </form>
  ),
  REFUND: (t) => (
    <form method="post" action={`/buyer/trades/${t.tradeNo}/refund`} data-action="REFUND" class="console-form">
      <input type="text" name="amount" value={fromFen(refundableFen(t))} class="short" aria-label="退款金额" inputmode="decimal" />
      <input type="text" name="reason" placeholder="退款理由" class="short" aria-label="退款理由" />
      <label class="check">
        <input type="checkbox" name="return_goods" value="1" checked={t.tradeStatus === 'WAIT_BUYER_CONFIRM_GOODS'} />
        需要退货
      </label>
      <button type="submit" class="small secondary">
        申请退款
      </button>
    </form>
  ),
  RETURN_GOODS: (t) => (
    <form method="post" action={`/buyer/trades/${t.tradeNo}/goods-returned`} data-action="RETURN_GOODS" class="console-form">
      <input type="text" name="logistics_name" placeholder="物流公司" class="short" aria-label="物流公司" />
      <input type="text" name="invoice_no" placeholder="运单号" class="short" aria-label="运单号" />
      <button type="submit" class="small">
        已退货
      </button>
    </form>
  ),
};

/** The buyer's forms for a trade: those its rules allow now. */
function BuyerActionForms(props: { trade: Trade; now: number }) {
  return <>{buyerActions(props.trade, props.now).map((action) => BUYER_FORMS[action](props.trade))}</>;
}
