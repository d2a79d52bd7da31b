import { fromFen, type Bank } from 'alipay-legacy';
import type { Merchant, Trade } from '../services/index.js';
import { Layout } from './layout.js';

/**
 * The simulated online bank a `paymethod=bankPay` payment goes through (protocol.md §4.1, §12.6;
 * decisions.md §27): named for the bank, it shows the order and offers 付款 or 取消. Paying leads
 * to the cashier's success page; cancelling goes back to the cashier.
 */
export function BankPage(props: { trade: Trade; merchant: Merchant; bank: Bank }) {
  const { trade, merchant, bank } = props;
  return (
    <Layout title={`${bank.name} - 网上银行`} head={<meta name="alipay-sandbox-bank" content={bank.code} />}>
      <h1 id="bank-name">{bank.name} 网上银行</h1>
      <p class="muted">
        沙箱模拟的网上银行页面（银行代码 {bank.code}）：不需要银行卡，付款不动用支付宝账户余额。
      </p>
      <table id="bank-order">
        <tr>
          <th>商户名称</th>
          <td>{merchant.displayName}</td>
        </tr>
        <tr>
          <th>订单内容</th>
          <td>{trade.subject}</td>
        </tr>
        <tr>
          <th>支付宝交易号</th>
          <td>{trade.tradeNo}</td>
        </tr>
        <tr>
          <th>支付金额</th>
          <td>
            <span class="amount" id="bank-amount">
              {fromFen(trade.totalFeeFen)}
            </span>{' '}
            元
          </td>
        </tr>
      </table>
      <form method="post" action={`/cashier/${trade.tradeNo}/bank/pay`} class="inline">
        <input type="hidden" name="bank" value={bank.code} />
        <button type="submit" id="bank-pay">
          付款
        </button>
      </form>{' '}
      <form method="get" action={`/cashier/${trade.tradeNo}`} class="inline">
        <button type="submit" id="bank-cancel" style="background:#999">
          取消
        </button>
      </form>
    </Layout>
  );
}

/** On the cashier's pay page: the banks to pay through, the merchant's `defaultbank` chosen (decisions.md §27). */
export function BankChoice(props: { tradeNo: string; banks: readonly Bank[]; chosen?: Bank; unknownCode?: string }) {
  return (
    <form method="get" action={`/cashier/${props.tradeNo}/bank`} id="bank-choice">
      <fieldset>
        <legend>网上银行付款</legend>
        {props.unknownCode !== undefined ? (
          <p class="notice" id="bank-unknown">
            商户指定的银行（{props.unknownCode}）暂不支持，请选择其他银行。
          </p>
        ) : null}
        {props.banks.map((bank) => (
          <label>
            <input type="radio" name="bank" value={bank.code} checked={bank.code === props.chosen?.code} required />
            {bank.name}（{bank.code}）
          </label>
        ))}
      </fieldset>
      <button type="submit" id="bank-submit">
        去网上银行付款
      </button>
    </form>
  );
}
