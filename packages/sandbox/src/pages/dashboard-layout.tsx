import { formatAlipayTime } from 'alipay-legacy';
import type { Child } from 'hono/jsx';
import { Layout } from './layout.js';

/**
 * The frame of the dashboard's pages: the sandbox's header, a navigation bar, styles that keep
 * every page readable on a 375-pixel screen (lists turn into cards, long numbers and bodies wrap),
 * and a small inline script that keeps the `data-live` parts of the page up to date.
 */

const STYLE = `
nav.dash{display:flex;flex-wrap:wrap;gap:4px 16px;align-items:center;margin:0 0 16px;padding:0 0 8px;border-bottom:1px solid #eee}
nav.dash a{color:#1e88e5;text-decoration:none}
nav.dash a.here{color:#333;font-weight:bold}
nav.dash .clock{margin-left:auto;color:#666;font-size:12px}
.live{display:none;color:#2e7d32;font-size:12px}
html[data-live=on] .live{display:inline}
button{white-space:nowrap}
th{white-space:normal}
a{color:#1e88e5}
.badge{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;line-height:18px;background:#eceff1;color:#546e7a;margin:1px 2px 1px 0}
.s-ok{background:#e8f5e9;color:#2e7d32}.s-wait{background:#e3f2fd;color:#1565c0}.s-warn{background:#fff3e0;color:#e65100}.s-bad{background:#ffebee;color:#c62828}
.result{border:1px solid #a5d6a7;background:#f1f8e9;padding:8px 12px;margin:0 0 16px}
.result.failed{border-color:#ef9a9a;background:#ffebee}
.result h2{border:0;margin:0 0 4px;padding:0}
.controls{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:12px;align-items:start}
.controls fieldset{margin:0;min-width:0}
form.row{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:6px 0}
form.row label{display:inline-flex;flex-wrap:wrap;align-items:center;gap:4px;margin:0;min-width:0;max-width:100%}
form.row input[type=text],form.row input[type=number],form.row select{width:auto;flex:1 1 120px;min-width:0;padding:4px 6px;font-size:13px}
form.row label.wide{flex:1 1 300px}
form.inline{display:inline-block;margin:2px 4px 2px 0}
select{padding:4px;font-size:13px;max-width:100%}
button.small,.button.small{padding:3px 10px;font-size:12px}
button.link{background:none;color:#1e88e5;padding:0;font-size:12px}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:8px 0}
dl.facts dt{color:#888}
dl.facts dd{margin:0;min-width:0}
ol.timeline{list-style:none;padding:0;margin:0}
ol.timeline>li{border-left:3px solid #1e88e5;padding:4px 0 8px 12px;margin:0 0 8px}
.card{border:1px solid #e5e5e5;padding:6px 10px;margin:6px 0;background:#fcfcfc}
.attempt{border-left:3px solid #cfd8dc;padding:2px 8px;margin:6px 0}
.attempt.ok{border-color:#66bb6a}.attempt.bad{border-color:#ef5350}
details>summary{cursor:pointer;color:#1e88e5;font-size:12px}
.actions{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:12px}
.pager{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:8px 0}
.warning,td .error,.card .error{font-size:12px}
@media (min-width:1201px){a.trade-link,.nowrap,.badge{white-space:nowrap}main td{overflow-wrap:break-word}}
@media (max-width:640px){
nav.dash .clock{margin-left:0}
dl.facts{grid-template-columns:1fr}
dl.facts dd{margin:0 0 6px}
}
`;

// Progressive enhancement: without JavaScript the pages work as they are. With it, every item of
// the sandbox's activity stream refetches the page and swaps in its data-live parts (unless the
// user is typing in one).
const LIVE_SCRIPT = `
(function () {
  if (!window.EventSource || !window.fetch || !window.DOMParser) return;
  var root = document.documentElement, timer = 0, busy = false, again = false;
  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(location.href, { credentials: 'same-origin', headers: { 'x-sandbox-live': '1' } })
      .then(function (r) { return r.ok ? r.text() : ''; })
      .then(function (html) {
        if (!html) return;
        var doc = new DOMParser().parseFromString(html, 'text/html');
        var parts = document.querySelectorAll('[data-live]');
        for (var i = 0; i < parts.length; i++) {
          var part = parts[i], fresh = doc.getElementById(part.id);
          if (!fresh || part.contains(document.activeElement)) continue;
          if (part.innerHTML !== fresh.innerHTML) part.innerHTML = fresh.innerHTML;
        }
        root.setAttribute('data-live-updated', String(Date.now()));
      })
      .catch(function () {})
      .then(function () { busy = false; if (again) { again = false; refresh(); } });
  }
  function soon() { if (!timer) timer = setTimeout(function () { timer = 0; refresh(); }, 200); }
  var source = new EventSource('/sandbox/api/activity');
  // Once live, look again: what happened between this page's rendering and now sent no event.
  source.addEventListener('ready', function () { root.setAttribute('data-live', 'on'); soon(); });
  ['request', 'trade', 'attempt'].forEach(function (type) { source.addEventListener(type, soon); });
  source.onerror = function () { root.setAttribute('data-live', 'off'); };
})();
`;

const NAV = [
  ['/', '概览 Overview'],
  ['/trades', '交易 Trades'],
  ['/notifications', '通知 Notifications'],
  ['/seller', '卖家 Seller'],
  ['/buyer', '买家 Buyer'],
  ['/etao', '一淘入口 etao'],
] as const;

export interface DashboardLayoutProps {
  title: string;
  /** The nav entry this page belongs to. */
  section: '/' | '/trades' | '/notifications' | '/etao';
  now: number;
  children?: Child;
}

export function DashboardLayout(props: DashboardLayoutProps) {
  return (
    <Layout wide title={`${props.title} · alipay-legacy sandbox`} head={<style dangerouslySetInnerHTML={{ __html: STYLE }} />}>
      <nav class="dash">
        {NAV.map(([href, label]) => (
          <a href={href} class={href === props.section ? 'here' : undefined}>
            {label}
          </a>
        ))}
        <span class="clock">
          沙箱时间 <span id="now">{formatAlipayTime(props.now)}</span> <span class="live">● 实时 live</span>
        </span>
      </nav>
      {props.children}
      <script dangerouslySetInnerHTML={{ __html: LIVE_SCRIPT }} />
    </Layout>
  );
}
