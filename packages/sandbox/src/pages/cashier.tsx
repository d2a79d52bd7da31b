import { fromFen } from 'alipay-legacy';
import type { Child } from 'hono/jsx';
import type { Address, Buyer, Merchant, Trade } from '../services/index.js';
import { isEscrowService, payMethodsOf, serviceLabel } from '../service-catalogue.js';
import { freightChargedFen, totalAfterConfirm, type Consignee } from '../services/trade-rules.js';
import { LOGISTICS_PAYMENT_LABELS, LOGISTICS_TYPE_LABELS, PAY_METHOD_LABELS, yuan } from './labels.js';
import { Layout } from './layout.js';
import { BuyerLoginForm } from './login-form.js';

/**
 * The cashier (收银台) a buyer sees after a payment request: the order, the login, for escrow the
 * logistics and the address, for the dual interface the choice of 担保交易 or 即时到账, the payment
 * password, and the outcome (protocol.md §12.14).
 */

export function OrderSummary(props: { trade: Trade; merchant: Merchant }) {
  const { trade, merchant } = props;
  const option = trade.logisticsIndex === null ? undefined : trade.logisticsOptions[trade.logisticsIndex];
  return (
    <table id="order">
      <tr>
        <th>商品名称</th>
        <td id="order-subject">
          {trade.showUrl ? (
            <a href={trade.showUrl} target="_blank" rel="noreferrer">
              {trade.subject}
            </a>
          ) : (
            trade.subject
          )}
        </td>
      </tr>
      {trade.body ? (
        <tr>
          <th>商品描述</th>
          <td>{trade.body}</td>
        </tr>
      ) : null}
      <tr>
        <th>收款方</th>
        <td id="order-merchant">
          {merchant.displayName}（{merchant.sellerEmail}）
        </td>
      </tr>
      <tr>
        <th>交易类型</th>
        <td>{serviceLabel(trade.service)}</td>
      </tr>
      <tr>
        <th>商户订单号</th>
        <td>{trade.outTradeNo}</td>
      </tr>
      <tr>
        <th>支付宝交易号</th>
        <td id="order-trade-no">{trade.tradeNo}</td>
      </tr>
      {isEscrowService(trade.service) ? (
        <tr>
          <th>单价 × 数量</th>
          <td>
            {yuan(trade.priceFen)} × {trade.quantity}
            {option ? `，运费 ${yuan(option.feeFen)}（${LOGISTICS_TYPE_LABELS[option.type] ?? option.type}，${LOGISTICS_PAYMENT_LABELS[option.payment] ?? option.payment}）` : ''}
            {trade.discountFen !== 0 ? `，折扣 ${yuan(trade.discountFen)}` : ''}
          </td>
        </tr>
      ) : null}
      <tr>
        <th>应付金额</th>
        <td>
          <span class="amount" id="order-amount">
            {fromFen(trade.totalFeeFen)}
          </span>{' '}
          元{trade.totalFeeAdjust ? <span class="muted">（选择物流方式后确定）</span> : null}
        </td>
      </tr>
    </table>
  );
}

export function CashierLoginPage(props: { trade: Trade; merchant: Merchant; error?: string; login?: string }) {
  return (
    <Layout>
      <h1>支付宝收银台</h1>
      <OrderSummary trade={props.trade} merchant={props.merchant} />
      <h2>登录支付宝账户付款</h2>
      <BuyerLoginForm action={`/cashier/${props.trade.tradeNo}/login`} login={props.login} error={props.error} />
    </Layout>
  );
}

/** Who is paying, with the way to pay as someone else: log out here, log in again, back to this cashier. */
function PayingBuyer(props: { trade: Trade; buyer: Buyer }) {
  const { buyer } = props;
  return (
    <div class="paying-buyer">
      <span id="buyer">
        您好，{buyer.realName}（{buyer.email}），账户余额 <span id="balance">{yuan(buyer.balanceFen)}</span>
      </span>{' '}
      <form class="inline" method="post" action={`/cashier/${props.trade.tradeNo}/logout`}>
        <button type="submit" class="small secondary" id="switch-account">
          换个账户
        </button>
      </form>
    </div>
  );
}

// Progressive enhancement: with JavaScript the order's amount follows the chosen logistics group;
// without it, each group shows its own total beside it.
const TOTAL_SCRIPT = `
(function () {
  var form = document.getElementById('confirm-form'), out = document.getElementById('order-amount');
  if (!form || !out) return;
  function show() {
    var chosen = form.querySelector('input[name="logistics"]:checked');
    if (chosen) out.textContent = chosen.getAttribute('data-total');
  }
  form.addEventListener('change', show);
  show();
})();
`;

/** One logistics group: its type, freight, who bears it, and the order's total with it (the SDK's amount rule). */
function LogisticsChoice(props: { trade: Trade; index: number; checked: boolean }) {
  const { trade, index } = props;
  const option = trade.logisticsOptions[index]!;
  const totalFen = totalAfterConfirm(trade, index);
  const chargedFen = freightChargedFen(trade, index);
  return (
    <label class="logistics-option">
      <input type="radio" name="logistics" value={String(index)} checked={props.checked} data-total={fromFen(totalFen)} />
      {LOGISTICS_TYPE_LABELS[option.type] ?? option.type}（{option.type}），运费 {yuan(option.feeFen)}，
      {LOGISTICS_PAYMENT_LABELS[option.payment] ?? option.payment}：合计 <strong class="option-total">{yuan(totalFen)}</strong>
      {option.payment === 'SELLER_PAY' && chargedFen > 0 ? (
        <span class="muted freight-note">
          <br />
          说明：卖家承担运费，但商户提交的运费 {yuan(chargedFen)} 仍计入本次应付金额，如有疑问请与卖家联系。
        </span>
      ) : null}
      {chargedFen < option.feeFen ? (
        <span class="muted freight-note">
          <br />
          说明：运费 {yuan(option.feeFen - chargedFen)} 不计入本次应付金额。
        </span>
      ) : null}
    </label>
  );
}

/** The address choice that stands for the consignee the merchant filled in (decisions.md §27). */
export const MERCHANT_CONSIGNEE = 'merchant';

/** A consignee as one line: name, address, postcode, phones. */
export function consigneeText(c: Consignee): string {
  return [c.name, c.address, c.zip ? `（${c.zip}）` : '', c.phone ?? '', c.mobile ?? ''].filter(Boolean).join(' ');
}

/**
 * Escrow: the buyer chooses a logistics group and an address (decisions.md §11). Shown again from
 * the password step to change the choice: the current one is preselected.
 */
export function ConfirmOrderPage(props: { trade: Trade; merchant: Merchant; buyer: Buyer; addresses: Address[]; consignee?: Consignee; error?: string }) {
  const { trade, buyer, addresses } = props;
  const logistics = trade.logisticsIndex ?? 0;
  // The current choice when the buyer comes back to change it; else the merchant's consignee, else the first saved address.
  const consigneeChosen = props.consignee !== undefined && trade.addressId === null;
  const addressId = addresses.find((a) => a.id === trade.addressId)?.id ?? (consigneeChosen ? undefined : addresses[0]?.id);
  return (
    <Layout>
      <h1>确认订单信息</h1>
      <PayingBuyer trade={trade} buyer={buyer} />
      <OrderSummary trade={trade} merchant={props.merchant} />
      {props.error ? <p class="error" id="error">{props.error}</p> : null}
      <form method="post" action={`/cashier/${trade.tradeNo}/confirm`} id="confirm-form">
        <fieldset>
          <legend>物流方式</legend>
          {trade.logisticsOptions.map((_option, index) => (
            <LogisticsChoice trade={trade} index={index} checked={index === logistics} />
          ))}
        </fieldset>
        <fieldset>
          <legend>收货地址</legend>
          {addresses.length === 0 && !props.consignee ? <p class="error">您还没有保存收货地址。</p> : null}
          {props.consignee ? (
            <label id="merchant-consignee">
              <input type="radio" name="address" value={MERCHANT_CONSIGNEE} checked={consigneeChosen} />
              商户提供的收货地址：{consigneeText(props.consignee)}
            </label>
          ) : null}
          {addresses.map((address) => (
            <label>
              <input type="radio" name="address" value={String(address.id)} checked={address.id === addressId} />
              {address.prov} {address.city} {address.area} {address.address}（{address.post}） {address.fullname} {address.mobilePhone}
            </label>
          ))}
        </fieldset>
        <button type="submit" id="confirm-submit">
          确认订单信息
        </button>
      </form>
      <script dangerouslySetInnerHTML={{ __html: TOTAL_SCRIPT }} />
    </Layout>
  );
}

export function PayPage(props: { trade: Trade; merchant: Merchant; buyer: Buyer; address?: Address; error?: string; bankChoice?: Child }) {
  const { trade, buyer } = props;
  // The dual interface lets the buyer choose, escrow preselected (decisions.md §12).
  const methods = payMethodsOf(trade.service);
  return (
    <Layout>
      <h1>支付宝收银台</h1>
      <PayingBuyer trade={trade} buyer={buyer} />
      <OrderSummary trade={trade} merchant={props.merchant} />
      {props.address ? (
        <p>
          收货地址：{props.address.prov} {props.address.city} {props.address.area} {props.address.address}，{props.address.fullname}
        </p>
      ) : trade.logisticsIndex !== null && trade.receiveName !== null && trade.receiveAddress !== null ? (
        <p>
          收货地址：{trade.receiveAddress}，{trade.receiveName}
        </p>
      ) : null}
      {isEscrowService(trade.service) ? (
        <p>
          <a href={`/cashier/${trade.tradeNo}?change=1`} id="change-order">
            修改物流方式或收货地址
          </a>
        </p>
      ) : null}
      {props.error ? <p class="error" id="error">{props.error}</p> : null}
      {props.bankChoice ? (
        <>
          {props.bankChoice}
          <h2>或使用账户余额付款</h2>
        </>
      ) : null}
      <form method="post" action={`/cashier/${trade.tradeNo}/pay`}>
        {methods.length > 1 ? (
          <fieldset id="method">
            <legend>选择交易方式</legend>
            {methods.map((method, index) => (
              <label>
                <input type="radio" name="method" value={method} checked={index === 0} />
                {PAY_METHOD_LABELS[method]}
              </label>
            ))}
          </fieldset>
        ) : null}
        <label>
          支付密码：
          <input type="password" id="pay-password" name="pay_password" autocomplete="off" required />
        </label>
        <button type="submit" id="pay-submit">
          确认无误，付款
        </button>
      </form>
    </Layout>
  );
}

export function BalanceRefusalPage(props: { trade: Trade; merchant: Merchant; buyer: Buyer }) {
  return (
    <Layout head={<meta name="alipay-sandbox-refusal" content="BALANCE_NOT_ENOUGH" />}>
      <h1 class="error" id="refusal">余额不足，付款失败</h1>
      <p>
        您的账户余额 {yuan(props.buyer.balanceFen)}，不足以支付本笔交易 {yuan(props.trade.totalFeeFen)}。
      </p>
      <OrderSummary trade={props.trade} merchant={props.merchant} />
      <p>
        <a href={`/cashier/${props.trade.tradeNo}`}>返回收银台</a>
      </p>
      <form method="post" action={`/cashier/${props.trade.tradeNo}/logout`}>
        <button type="submit" class="secondary" id="switch-account">
          换个账户付款
        </button>
      </form>
    </Layout>
  );
}

/** Seconds the success page waits before it goes back to the merchant by itself (protocol.md §12.14: "等待几秒"). */
export const RETURN_DELAY_SECONDS = 5;

/**
 * After paying: back to the merchant's return_url by itself after a few seconds or by its link
 * (protocol.md §12.14), or, with a `skip_return` fault injected, not at all (decisions.md §28).
 * 关闭 closes the page without going back, as a buyer who closes it (protocol.md §12.1).
 * `returnLost`: the trade has a return_url but this process no longer holds the payment's signed
 * return (decisions.md §35), so the page cannot send the buyer back.
 */
export function SuccessPage(props: { amountFen: number; subject: string; returnUrl?: string; closeUrl: string; returnSkipped?: boolean; returnLost?: boolean }) {
  const head = props.returnUrl ? <meta http-equiv="refresh" content={`${RETURN_DELAY_SECONDS};url=${props.returnUrl}`} /> : null;
  return (
    <Layout head={head}>
      <h1 class="ok" id="success">
        您已成功付款 {fromFen(props.amountFen)} 元！
      </h1>
      <p>商品名称：{props.subject}</p>
      {props.returnSkipped ? (
        <p class="notice" id="return-skipped">
          已注入故障 skip_return（不返回商户）：本页不会返回商户网站，商户只能从异步通知（notify_url）得知付款结果。
        </p>
      ) : props.returnUrl ? (
        <p>
          {RETURN_DELAY_SECONDS} 秒后自动返回商户网站，如果没有跳转，请
          <a id="return-link" href={props.returnUrl}>
            点击此处返回商户网站
          </a>
          。
        </p>
      ) : props.returnLost ? (
        <p class="muted" id="return-lost">
          本页的返回链接已失效，请回到商户网站查看订单；商户的异步通知不受影响。
        </p>
      ) : (
        <p class="muted">商户没有提供返回地址（return_url），您可以关闭本页面。</p>
      )}
      <p>
        <a class="button" id="close-page" href={props.closeUrl} style="background:#999">
          关闭
        </a>
      </p>
    </Layout>
  );
}

/** The buyer closed the success page: no way back to the merchant; the notification still goes (protocol.md §12.1). */
export function ClosedPage(props: { amountFen: number }) {
  return (
    <Layout>
      <h1 id="closed">付款已完成，页面已关闭</h1>
      <p>
        您已成功付款 {fromFen(props.amountFen)} 元，并关闭了付款成功页面：浏览器不会返回商户网站，商户将通过异步通知（notify_url）得知付款结果。
      </p>
      <p class="muted">您可以关闭此窗口。</p>
    </Layout>
  );
}
