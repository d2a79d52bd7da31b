import type { Child } from 'hono/jsx';

// Inline style, nothing loaded from elsewhere (the shop must work offline with the sandbox).
const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.6 "Microsoft YaHei","PingFang SC","Noto Sans CJK SC","WenQuanYi Zen Hei",sans-serif;color:#333;background:#f6f3ee}
header{background:#8b2e16;color:#fff;padding:10px 24px;display:flex;align-items:center;gap:20px;flex-wrap:wrap}
header a{color:#fff;text-decoration:none}
header .logo{font-size:22px;font-weight:bold;letter-spacing:2px}
header nav{display:flex;gap:16px}
header .who{margin-left:auto;display:flex;gap:12px;align-items:center}
header form{display:inline}
header button{background:none;border:1px solid #fff;color:#fff;padding:2px 10px;cursor:pointer;font-size:13px}
main{max-width:960px;margin:24px auto;background:#fff;border:1px solid #e2dcd2;padding:24px 32px}
main.wide{max-width:1240px}
h1{font-size:20px;margin:0 0 16px}
h2{font-size:16px;margin:24px 0 8px;border-bottom:1px solid #eee;padding-bottom:4px}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border:1px solid #ebe5dc;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#faf7f2;font-weight:normal;color:#666;white-space:nowrap}
.price{color:#c40000;font-weight:bold}
.products{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:16px}
.product{border:1px solid #ebe5dc;padding:12px}
.product h3{font-size:15px;margin:0 0 6px}
.notice{background:#fff8e1;border:1px solid #ffe082;padding:8px 12px;margin:12px 0}
.error{background:#fdecea;border:1px solid #f5c2c0;color:#a40000;padding:8px 12px;margin:12px 0}
.ok{color:#2e7d32}
.muted{color:#888;font-size:12px}
label{display:block;margin:8px 0}
input[type=text],input[type=password],input[type=tel],select,textarea{padding:6px 8px;border:1px solid #ccc;font-size:14px}
input[type=text],textarea{width:320px}
button,.button{background:#c40000;color:#fff;border:0;padding:8px 24px;font-size:15px;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#1677ff}
button.small{padding:3px 10px;font-size:12px}
form.inline{display:inline}
fieldset{border:1px solid #ebe5dc;margin:12px 0;padding:8px 16px}
legend{color:#666}
code,pre{font-family:Consolas,Menlo,monospace;font-size:12px;background:#f7f7f7}
pre{padding:8px;overflow:auto;white-space:pre-wrap;word-break:break-all;max-height:240px}
footer{text-align:center;color:#999;font-size:12px;margin:24px 0}
`;

export interface LayoutProps {
  title: string;
  shopName: string;
  children?: Child;
  /** The buyer's name after quick login ("支付宝用户" + real_name, protocol.md §12.10). */
  buyerName?: string | undefined;
  cartCount?: number | undefined;
  csrf: string;
  /** The current path, so quick login can come back to it (protocol.md §12.10, the first flow). */
  path: string;
  wide?: boolean;
  admin?: boolean;
}

/** The frame of every page. */
export function Layout(props: LayoutProps) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} - ${props.shopName}`}</title>
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <header>
          <a class="logo" href="/">
            {props.shopName}
          </a>
          {props.admin ? (
            <nav>
              <a href="/admin">订单管理</a>
              <a href="/admin/notifications">通知日志</a>
              <a href="/">回到商城</a>
            </nav>
          ) : (
            <nav>
              <a href="/">全部商品</a>
              <a href="/cart" id="cart-link">
                购物车{props.cartCount ? `（${props.cartCount}）` : ''}
              </a>
              <a href="/orders">我的订单</a>
              <a href="/pay">直接付款</a>
            </nav>
          )}
          <div class="who">
            {props.admin ? (
              <form method="post" action="/admin/logout">
                <input type="hidden" name="_csrf" value={props.csrf} />
                <button type="submit">退出管理</button>
              </form>
            ) : props.buyerName !== undefined ? (
              <>
                <span id="buyer-name">你好，{props.buyerName}</span>
                <form method="post" action="/logout">
                  <input type="hidden" name="_csrf" value={props.csrf} />
                  <button type="submit">退出</button>
                </form>
              </>
            ) : (
              <a href={`/login?back=${encodeURIComponent(props.path)}`} id="quick-login">
                支付宝快捷登录
              </a>
            )}
          </div>
        </header>
        <main class={props.wide ? 'wide' : undefined}>{props.children}</main>
        <footer>{props.shopName} · 支付宝担保交易、即时到账演示商户</footer>
      </body>
    </html>
  );
}

/** A hidden CSRF field for a form. */
export function Csrf(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}
