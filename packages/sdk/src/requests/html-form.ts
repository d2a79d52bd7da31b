import type { Charset } from '../charset.js';

/** Options of a page request's auto-submitting form. */
export interface FormOptions {
  /** `get` (the official demos' choice, default) or `post`. */
  method?: 'get' | 'post';
  /** The label of the submit button shown while the browser is sent on (and without JavaScript). Default `确认`. */
  buttonText?: string;
  /** The form's id, when a page holds several. Default `alipaysubmit`. */
  id?: string;
  /** A CSP nonce for the inline script that submits the form. */
  nonce?: string;
  /** Add the script that submits the form on load. Default true. */
  autoSubmit?: boolean;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML content and quoted attribute values. The official SDKs wrote values into
 * `value='…'` unescaped (protocol.md §2.4), which broke on a `'` in a subject; this does not.
 * @example escapeHtml(`<a href="x">'&'</a>`) // '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * The auto-submitting HTML form of a page request (protocol.md §1.3): every parameter as a hidden
 * field, `action` = gateway + `?_input_charset=<charset>`, and a script that submits it. Serve the
 * page in the request's charset: browsers encode form fields in the page's encoding, so a GBK
 * request needs a GBK page (`accept-charset` is set too, but not every browser honours it); the
 * `url` link of a page request has no such dependency.
 * @example res.type('html').send(renderAutoSubmitForm(req.action, req.params, 'utf-8', { method: 'post' }))
 */
export function renderAutoSubmitForm(action: string, params: Readonly<Record<string, string>>, charset: Charset, options: FormOptions = {}): string {
  const id = escapeHtml(options.id ?? 'alipaysubmit');
  const method = options.method ?? 'get';
  let html = `<form id="${id}" name="${id}" action="${escapeHtml(action)}" method="${method}" accept-charset="${charset}">`;
  for (const [name, value] of Object.entries(params)) {
    html += `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}"/>`;
  }
  html += `<input type="submit" value="${escapeHtml(options.buttonText ?? '确认')}"/></form>`;
  if (options.autoSubmit ?? true) {
    const nonce = options.nonce === undefined ? '' : ` nonce="${escapeHtml(options.nonce)}"`;
    html += `<script${nonce}>document.getElementById(${JSON.stringify(options.id ?? 'alipaysubmit').replace(/</g, '\\u003c')}).submit();</script>`;
  }
  return html;
}
