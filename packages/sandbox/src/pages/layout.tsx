import type { Child } from 'hono/jsx';

/** The title every gateway page carried (decisions.md §19). */
export const PAGE_TITLE = '支付宝 - 网上支付 安全快速！';

// decisions.md §21: no page loads anything from elsewhere; the style is inline.
const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.6 "Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;color:#333;background:#f4f4f4}
header{background:#fff;border-bottom:3px solid #1e88e5;padding:10px 24px;display:flex;align-items:center;gap:16px}
header .logo{font-size:22px;font-weight:bold;color:#1e88e5;letter-spacing:2px}
header .sub{color:#888}
header .sandbox{margin-left:auto;background:#ffecb3;color:#8a6d00;padding:2px 8px;border-radius:3px;font-size:12px}
main{max-width:880px;margin:24px auto;background:#fff;border:1px solid #ddd;padding:24px 32px}
main.wide{max-width:1200px}
h1{font-size:20px;margin:0 0 16px}
h2{font-size:16px;margin:24px 0 8px;border-bottom:1px solid #eee;padding-bottom:4px}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border:1px solid #e5e5e5;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#fafafa;font-weight:normal;color:#666;white-space:nowrap}
.amount{color:#f60;font-size:20px;font-weight:bold}
.error{color:#c00}
.notice{background:#fff8e1;border:1px solid #ffe082;padding:8px 12px;margin:12px 0}
.ok{color:#2e7d32}
.muted{color:#888;font-size:12px}
label{display:block;margin:8px 0}
input[type=text],input[type=email],input[type=password],input[type=number]{padding:6px 8px;border:1px solid #ccc;width:260px;font-size:14px}
button,.button{background:#f60;color:#fff;border:0;padding:8px 24px;font-size:15px;cursor:pointer;border-radius:2px;text-decoration:none;display:inline-block}
button.secondary{background:#1e88e5}
button.small,.button.small{padding:3px 10px;font-size:12px}
form.inline{display:inline-block;margin:2px 4px 2px 0}
fieldset{border:1px solid #e5e5e5;margin:12px 0;padding:8px 16px;min-width:0}
legend{color:#666}
code,pre{font-family:Consolas,Menlo,monospace;font-size:12px;background:#f7f7f7}
pre{padding:8px;overflow:auto;white-space:pre-wrap}
footer{text-align:center;color:#999;font-size:12px;margin:24px 0}
td,th,code,pre,p,li,dd,dt,h1,h2,label,legend,summary{overflow-wrap:anywhere}
input.short{width:140px;max-width:100%}
form.console-form{display:flex;flex-wrap:wrap;gap:4px 6px;align-items:center;margin:2px 0 6px}
form.console-form label.check{display:inline-flex;align-items:center;gap:2px;margin:0}
/* Too narrow for a list's columns: each row becomes a card, each cell says its column. */
@media (max-width:1200px){
table.list thead{display:none}
table.list,table.list tbody,table.list tr,table.list td{display:block;width:100%}
table.list tr{border:1px solid #e5e5e5;margin:0 0 8px}
table.list td{border:0;border-bottom:1px dashed #eee}
table.list td[data-label]::before{content:attr(data-label);display:block;color:#888;font-size:12px}
}
/* A phone (375 pixels and up): no margins around the page, fields as wide as the screen. */
@media (max-width:640px){
header{padding:8px 12px;flex-wrap:wrap;gap:2px 12px}
header .sandbox{margin-left:0}
main,main.wide{margin:0;padding:12px;border:0}
th{white-space:normal}
input[type=text],input[type=email],input[type=password],input[type=number],input.short{width:100%}
}
`;

/** The sandbox's icon, inline (decisions.md §21: nothing is loaded from elsewhere). */
export const FAVICON = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1e88e5"/><text x="8" y="12.5" font-size="11" text-anchor="middle" fill="#fff" font-family="sans-serif">\u652f</text></svg>',
)}`;

export interface LayoutProps {
  children?: Child;
  /** Extra elements for <head> (meta tags). */
  head?: Child;
  wide?: boolean;
  title?: string;
}

/** The frame of every page: a plain Alipay-like header, the content, a sandbox notice. */
export function Layout(props: LayoutProps) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title ?? PAGE_TITLE}</title>
        <link rel="icon" href={FAVICON} />
        {props.head}
        <style dangerouslySetInnerHTML={{ __html: STYLE }} />
      </head>
      <body>
        <header>
          <span class="logo">支付宝</span>
          <span class="sub">网上支付 安全快速！</span>
          <span class="sandbox">沙箱环境 · 不涉及真实资金</span>
        </header>
        <main class={props.wide ? 'wide' : undefined}>{props.children}</main>
        <footer>alipay-legacy sandbox</footer>
      </body>
    </html>
  );
}
