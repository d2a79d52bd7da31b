import type { DirectPaymentForm } from '../services/orders.js';
import { Csrf } from './layout.js';

/** The direct-payment page (直接付款模板, protocol.md §12.5): for payments without an order flow. */
export function DirectPayPage(props: { mainname: string; csrf: string; form: Partial<DirectPaymentForm>; error?: string | undefined }) {
  return (
    <>
      <h1>直接付款</h1>
      {props.error ? <p class="error">{props.error}</p> : null}
      <form method="post" action="/pay" id="direct-pay-form">
        <Csrf token={props.csrf} />
        <table>
          <tr>
            <th>收款方</th>
            <td id="mainname">{props.mainname}</td>
          </tr>
          <tr>
            <th>付款说明</th>
            <td>
              <input type="text" name="subject" value={props.form.subject ?? ''} required placeholder="例如：定制茶礼订金" />
            </td>
          </tr>
          <tr>
            <th>付款金额（元）</th>
            <td>
              <input type="text" name="amount" value={props.form.amount ?? ''} required placeholder="0.01" />
            </td>
          </tr>
          <tr>
            <th>备注</th>
            <td>
              <textarea name="note" rows={3}>
                {props.form.note ?? ''}
              </textarea>
            </td>
          </tr>
        </table>
        <button type="submit" id="direct-pay">
          确认付款
        </button>
        <p class="muted">通过支付宝即时到账付款。</p>
      </form>
    </>
  );
}
