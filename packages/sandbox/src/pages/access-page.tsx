import { Layout } from './layout.js';

/**
 * The dashboard's door when the sandbox was started with an API token: one field, sent once as
 * `?token=` (the sandbox then keeps a cookie and drops the token from the address).
 */
export function AccessTokenPage(props: { path: string; wrong: boolean }) {
  return (
    <Layout title="需要访问令牌 access token · alipay-legacy sandbox">
      <h1>需要访问令牌 · access token required</h1>
      <p>这个沙箱以 --api-token 启动：请输入令牌。This sandbox was started with --api-token: enter it to open the dashboard.</p>
      {props.wrong ? <p class="error" id="token-error">令牌不正确 · wrong token</p> : null}
      <form method="get" action={props.path}>
        <label>
          令牌 token <input type="password" name="token" autocomplete="current-password" required />
        </label>{' '}
        <button type="submit">打开 open</button>
      </form>
    </Layout>
  );
}
