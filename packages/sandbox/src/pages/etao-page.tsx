import type { Buyer, Merchant } from '../services/index.js';
import { DashboardLayout } from './dashboard-layout.js';

export interface EtaoForm {
  partner: string;
  return_url: string;
  target_url: string;
  charset: string;
  sign_type: string;
}

/**
 * The etao entry (protocol.md §12.13): the sandbox plays etao and sends the browser to a
 * merchant's quick-login return_url with target_url, so the merchant can test that path.
 */
export function EtaoPage(props: { merchants: Merchant[]; buyer: Buyer | undefined; form: EtaoForm; now: number; error?: string }) {
  const f = props.form;
  return (
    <DashboardLayout title="一淘入口 etao entry" section="/etao" now={props.now}>
      <h1>一淘入口 · etao entry</h1>
      <p>
        一淘把买家带到商户的快捷登录 return_url，带上 target_url（买家在一淘选中的商户页面）。This sends the browser to your quick-login
        return_url with <code>target_url</code>, as etao did; your site should do the login return's work, then go on to target_url.
      </p>
      <p id="etao-buyer">
        {props.buyer ? (
          <>
            当前买家 signed in as <strong>{props.buyer.login}</strong> ({props.buyer.realName}): the return carries <code>user_id</code>,{' '}
            <code>token</code>, <code>real_name</code>, <code>email</code>. <a href="/buyer">买家 buyer console</a>
          </>
        ) : (
          <>
            没有登录的买家 no buyer signed in: the return carries only <code>notify_id</code> and <code>target_url</code>.{' '}
            <a href="/buyer">登录 sign in at the buyer console</a> first for a signed-in buyer.
          </>
        )}
      </p>
      {props.error ? (
        <p class="error" id="etao-error">
          {props.error}
        </p>
      ) : null}
      <form method="post" action="/etao" class="stack">
        <label>
          商户 partner{' '}
          <select name="partner">
            {props.merchants.map((m) => (
              <option value={m.partner} selected={m.partner === f.partner}>
                {m.partner} {m.displayName}
              </option>
            ))}
          </select>
        </label>
        <label>
          快捷登录 return_url <input type="url" name="return_url" value={f.return_url} placeholder="http://127.0.0.1:3000/alipay/login-return" required />
        </label>
        <label>
          target_url <input type="url" name="target_url" value={f.target_url} placeholder="http://127.0.0.1:3000/products/1" required />
        </label>
        <label>
          _input_charset{' '}
          <select name="charset">
            {['utf-8', 'gbk'].map((c) => (
              <option value={c} selected={c === f.charset}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label>
          sign_type{' '}
          <select name="sign_type">
            {['MD5', 'RSA'].map((s) => (
              <option value={s} selected={s === f.sign_type}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" id="etao-go">
          去商户网站 go to the merchant
        </button>
      </form>
    </DashboardLayout>
  );
}
