import type { Address, Merchant } from '../services/index.js';
import { Layout } from './layout.js';
import { BuyerLoginForm } from './login-form.js';

/**
 * Pages of the quick-login product (protocol.md §12.10–12.12): the login window of `alipay.auth.authorize` (图 7.1),
 * the address picker of `user.logistics.address.query` (图 7.2), and the auto-submitted form that
 * carries the chosen address back to the merchant by POST (decisions.md §17).
 */

export function QuickLoginPage(props: { merchant: Merchant; ctx: string; action: string; purpose: string; error?: string; login?: string }) {
  return (
    <Layout>
      <h1>支付宝快捷登录</h1>
      <p>
        登录后将{props.purpose}：<strong>{props.merchant.displayName}</strong>
      </p>
      <BuyerLoginForm action={props.action} hidden={{ ctx: props.ctx }} login={props.login} error={props.error} />
    </Layout>
  );
}

export function AddressPickerPage(props: { merchant: Merchant; ctx: string; addresses: Address[]; error?: string }) {
  return (
    <Layout>
      <h1>选择收货地址</h1>
      <p>
        选择一个支付宝收货地址提供给 <strong>{props.merchant.displayName}</strong>
      </p>
      {props.error ? <p class="error" id="error">{props.error}</p> : null}
      <form method="post" action="/address/select">
        <input type="hidden" name="ctx" value={props.ctx} />
        {props.addresses.length === 0 ? <p class="error">您还没有保存收货地址。</p> : null}
        {props.addresses.map((address, index) => (
          <label>
            <input type="radio" name="address" value={String(address.id)} checked={index === 0} />
            {address.fullname}，{address.prov} {address.city} {address.area} {address.address}，邮编 {address.post}，手机 {address.mobilePhone}
          </label>
        ))}
        <button type="submit" id="address-submit">
          确认
        </button>
      </form>
    </Layout>
  );
}

const AUTO_SUBMIT = 'document.getElementById("return-form").submit();';

/**
 * Sends the browser back to the merchant with a POST form that submits itself, encoded in the
 * request's charset (`accept-charset`), so a GBK merchant receives GBK bytes.
 */
export function AutoPostPage(props: { action: string; fields: Record<string, string>; charset: string }) {
  return (
    <Layout>
      <h1>正在返回商户网站…</h1>
      <form id="return-form" method="post" action={props.action} accept-charset={props.charset}>
        {Object.entries(props.fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <noscript>
          <button type="submit">返回商户网站</button>
        </noscript>
      </form>
      <script dangerouslySetInnerHTML={{ __html: AUTO_SUBMIT }} />
    </Layout>
  );
}
