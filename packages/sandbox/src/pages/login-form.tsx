/**
 * The buyer's Alipay login (account name and login password), as the cashier and the quick-login
 * window show it; `hidden` fields travel with it. The browser tests find its fields by id.
 */
export function BuyerLoginForm(props: { action: string; login?: string | undefined; error?: string | undefined; hidden?: Record<string, string> }) {
  return (
    <>
      {props.error ? <p class="error" id="error">{props.error}</p> : null}
      <form method="post" action={props.action}>
        {Object.entries(props.hidden ?? {}).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <label>
          账户名：
          <input type="text" id="login" name="login" value={props.login ?? ''} placeholder="邮箱或手机号" autocomplete="username" required />
        </label>
        <label>
          登录密码：
          <input type="password" id="password" name="password" autocomplete="current-password" required />
        </label>
        <button type="submit" id="login-submit">
          登录
        </button>
      </form>
    </>
  );
}
