import type { Page } from 'playwright-core';

/**
 * Text that would run script if a page put it into its HTML unescaped: each, if it executed,
 * sets `window.__pwned` (and most also call `alert`, which a page's dialog handler records).
 * They break out of the places a name can land: element text, a double- or single-quoted
 * attribute, a `<textarea>`, the `<title>`, an inline `<script>` or `<style>`, an `href`; plus
 * template syntax, a right-to-left override and long text, which must come out as they went in.
 * Each carries a tag of its own (`#n`) so a page that shows it can be told from one that shows
 * another.
 */
export const P = {
  script: '<script>window.__pwned=(window.__pwned||0)+1;alert("s1")</script>#1',
  img: '<img src=x onerror="window.__pwned=1;alert(\'i2\')">#2',
  svg: '"><svg onload=window.__pwned=1;alert(3)>#3',
  single: "' onmouseover='window.__pwned=1' autofocus onfocus='alert(4)' x='#4",
  textarea: '</textarea><script>window.__pwned=1;alert(5)</script>#5',
  title: '</title><script>window.__pwned=1;alert(6)</script>#6',
  scriptEnd: '</script><script>window.__pwned=1;alert(7)</script>#7',
  style: '</style><img src=x onerror=window.__pwned=1>#8',
  template: '{{7*7}} ${7*7} <%= 7*7 %> #9',
  rtl: '\u202E<b id=pwn-rtl>gnp.exe</b>\u202C#10',
  jsUrl: 'javascript:window.__pwned=1;alert(11)//#11',
  iframe: '<iframe src="javascript:parent.__pwned=1"></iframe>#12',
} as const;

/** Long text: 60 CJK characters then a payload (a product name's limit is 200 as Alipay counts). */
export const LONG = `${'很长的名字'.repeat(12)}${P.img}`;

/** What a page must not contain once hostile text went through it, and the text it shows. */
export interface Inspection {
  pwned: unknown;
  /** Elements or attributes a payload would have made: event handler attributes, javascript: URLs, payload ids, scripts or frames from a payload. */
  planted: string[];
  text: string;
}

/**
 * Inspects the page in the browser: `window.__pwned`, what a payload would have planted had it
 * been parsed as HTML, and the body's text. The pages of the shop and the sandbox set no event
 * handler attributes of their own (their scripts add listeners), so any `on…` attribute is a
 * payload's. (Browser code, given as text: the project's TypeScript has no DOM types.)
 */
const INSPECT = `(() => {
  const planted = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) planted.push('<' + el.localName + ' ' + a.name + '="' + a.value + '">');
      if (/^(href|src|action|formaction|data)$/i.test(a.name) && /^\\s*javascript:/i.test(a.value)) planted.push('<' + el.localName + ' ' + a.name + '="' + a.value + '">');
    }
    if (el.id.startsWith('pwn')) planted.push('#' + el.id);
    if (el.localName === 'img' && el.getAttribute('src') === 'x') planted.push('<img src=x>');
    if (el.localName === 'svg' || el.localName === 'iframe') planted.push('<' + el.localName + '>');
    if (el.localName === 'script' && (el.textContent || '').includes('__pwned')) planted.push('<script>' + el.textContent + '</script>');
  }
  return { pwned: window.__pwned, planted, text: document.body ? document.body.textContent : '' };
})()`;

export function inspect(page: Page): Promise<Inspection> {
  return page.evaluate<Inspection>(INSPECT);
}
