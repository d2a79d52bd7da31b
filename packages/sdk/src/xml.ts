import type { Charset } from './charset.js';
import { AlipayError, UsageError } from './errors.js';

/**
 * A tiny, dependency-free reader and writer for the gateway's XML replies (protocol.md §4.4, §4.8,
 * §4.9, §7.1; decisions.md §18–19) and for the `receive_address` document of the address query
 * (decisions.md §17). It reads well-formed XML only: elements, attributes, text, CDATA, comments,
 * processing instructions and the five predefined plus numeric entities. A DOCTYPE is refused
 * (no entity expansion), and so is anything that is not well-formed: `malformed_xml`.
 */

/** One element of a parsed document. `text` is the element's own text (entities and CDATA decoded). */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** A gateway XML reply, read (protocol.md §4.9). */
export interface AlipayXmlReply {
  /** `<is_success>`: `T` is true, `F` false. It says the call worked, nothing about the trade. */
  isSuccess: boolean;
  /** `<error>` when `is_success` is `F`, e.g. `TRADE_NOT_EXIST`. */
  error?: string;
  /** The echo of the request: `<request><param name="…">…</param></request>`. */
  request: Record<string, string>;
  /** Each child of `<response>` by name (`trade`, `timestamp`), as its child elements' text by name. */
  response: Record<string, Record<string, string>>;
  sign?: string;
  signType?: string;
}

/** What `renderAlipayXml` writes. */
export interface AlipayXmlReplyInput {
  isSuccess: boolean;
  error?: string;
  request?: Record<string, string>;
  response?: { name: string; fields: Record<string, string> };
  sign?: string;
  signType?: string;
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Escapes text for XML element content and attribute values (`& < > " '`).
 * @example escapeXml('a<b & "c"') // 'a&lt;b &amp; &quot;c&quot;'
 */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/**
 * Writes a gateway reply in the shape of protocol.md §4.9 and decisions.md §18–19: `<is_success>`
 * first; `<error>` only when it is `F`; `<request>`, `<response>`, `<sign>`, `<sign_type>` only
 * when it is `T`. The declaration names the charset; encode the returned text in that charset.
 * Empty values are left out, as everywhere in the protocol (decisions.md §22).
 * @example
 * renderAlipayXml({ isSuccess: false, error: 'TRADE_NOT_EXIST' }, 'utf-8')
 * // '<?xml version="1.0" encoding="utf-8"?><alipay><is_success>F</is_success><error>TRADE_NOT_EXIST</error></alipay>'
 */
export function renderAlipayXml(reply: AlipayXmlReplyInput, charset: Charset = 'utf-8'): string {
  let out = `<?xml version="1.0" encoding="${charset}"?><alipay><is_success>${reply.isSuccess ? 'T' : 'F'}</is_success>`;
  if (!reply.isSuccess) {
    if (reply.error) out += `<error>${escapeXml(reply.error)}</error>`;
    return out + '</alipay>';
  }
  if (reply.request) {
    out += '<request>';
    for (const [name, value] of Object.entries(reply.request)) {
      if (value === '' || value === undefined || value === null) continue;
      out += `<param name="${escapeXml(name)}">${escapeXml(value)}</param>`;
    }
    out += '</request>';
  }
  if (reply.response) {
    const tag = checkedName(reply.response.name);
    out += `<response><${tag}>`;
    for (const [name, value] of Object.entries(reply.response.fields)) {
      if (value === '' || value === undefined || value === null) continue;
      const field = checkedName(name);
      out += `<${field}>${escapeXml(value)}</${field}>`;
    }
    out += `</${tag}></response>`;
  }
  if (reply.sign) out += `<sign>${escapeXml(reply.sign)}</sign>`;
  if (reply.signType) out += `<sign_type>${escapeXml(reply.signType)}</sign_type>`;
  return out + '</alipay>';
}

/**
 * Reads a gateway reply. The root must be `<alipay>` and `<is_success>` must be `T` or `F`;
 * anything else is `AlipayError('malformed_xml')` with what was wrong and where.
 * @example
 * parseAlipayXml('<alipay><is_success>F</is_success><error>TRADE_NOT_EXIST</error></alipay>')
 * // { isSuccess: false, error: 'TRADE_NOT_EXIST', request: {}, response: {} }
 */
export function parseAlipayXml(text: string): AlipayXmlReply {
  const root = parseXml(text);
  if (root.name !== 'alipay') {
    throw malformed(`the root element is <${root.name}>, expected <alipay> (is config.gateway the gateway.do URL?)`);
  }
  const isSuccess = childText(root, 'is_success');
  if (isSuccess !== 'T' && isSuccess !== 'F') {
    throw malformed(
      isSuccess === undefined ? 'the reply has no <is_success> element' : `<is_success> is "${isSuccess}", expected T or F`,
    );
  }
  const reply: AlipayXmlReply = {
    isSuccess: isSuccess === 'T',
    request: record(),
    response: record<Record<string, string>>(),
  };
  const error = childText(root, 'error');
  if (error !== undefined) reply.error = error.trim();
  const request = root.children.find((c) => c.name === 'request');
  if (request) {
    for (const param of request.children) {
      const name = param.attributes.name;
      // Tolerate both <param name="x">v</param> and a plain <x>v</x> echo.
      if (param.name === 'param' && name !== undefined) setOnce(reply.request, name, textContent(param));
      else if (param.name !== 'param') setOnce(reply.request, param.name, textContent(param));
    }
  }
  const response = root.children.find((c) => c.name === 'response');
  if (response) {
    for (const block of response.children) {
      if (!(block.name in reply.response)) reply.response[block.name] = childRecord(block);
    }
  }
  const sign = childText(root, 'sign');
  if (sign !== undefined) reply.sign = sign.trim();
  const signType = childText(root, 'sign_type');
  if (signType !== undefined) reply.signType = signType.trim();
  return reply;
}

/**
 * The child elements of the first element named `parentTag` (the root when omitted), as text by
 * name. For flat documents such as the address query's `receive_address` (decisions.md §17).
 * An element that has children of its own gives its whole text content; a repeated name keeps its
 * first value. Throws `malformed_xml` on a document that is not well-formed, and when no element
 * is named `parentTag`.
 * @example
 * readXmlElements('<receive_address><prov>上海</prov><city>上海</city></receive_address>', 'receive_address')
 * // { prov: '上海', city: '上海' }
 */
export function readXmlElements(xml: string, parentTag?: string): Record<string, string> {
  const root = parseXml(xml);
  const parent = parentTag === undefined ? root : findElement(root, parentTag);
  if (!parent) throw malformed(`the document has no <${parentTag}> element`);
  return childRecord(parent);
}

/**
 * Parses a whole XML document into its root element.
 * @example parseXml('<a x="1">hi<b/></a>').attributes.x // '1'
 */
export function parseXml(text: string): XmlElement {
  if (typeof text !== 'string') throw malformed('expected the reply as text');
  const p = new Parser(text);
  return p.document();
}

/**
 * Every text below an element, in document order (CDATA and entities decoded).
 * @example textContent(parseXml('<a>x<b>y</b></a>')) // 'xy'
 */
export function textContent(el: XmlElement): string {
  if (el.children.length === 0) return el.text;
  let out = el.text;
  for (const c of el.children) out += textContent(c);
  return out;
}

function childText(el: XmlElement, name: string): string | undefined {
  const c = el.children.find((x) => x.name === name);
  return c === undefined ? undefined : textContent(c);
}

function childRecord(el: XmlElement): Record<string, string> {
  const out = record();
  for (const c of el.children) setOnce(out, c.name, textContent(c));
  return out;
}

function findElement(el: XmlElement, name: string): XmlElement | undefined {
  if (el.name === name) return el;
  for (const c of el.children) {
    const found = findElement(c, name);
    if (found) return found;
  }
  return undefined;
}

function record<T = string>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

function setOnce(target: Record<string, string>, name: string, value: string): void {
  if (!(name in target)) target[name] = value;
}

function checkedName(name: string): string {
  if (!NAME_RE.test(name)) throw new UsageError('bad_xml_name', `"${name}" is not a valid XML element name`);
  return name;
}

function malformed(message: string, cause?: unknown): AlipayError {
  return new AlipayError('malformed_xml', `malformed XML reply: ${message}`, cause === undefined ? undefined : { cause });
}

const NAME_RE = /^[A-Za-z_:][-A-Za-z0-9_.:]*$/;
const NAME_START = /[A-Za-z_:]/;
const NAME_CHAR = /[-A-Za-z0-9_.:]/;
const MAX_DEPTH = 64;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  document(): XmlElement {
    if (this.s.charCodeAt(0) === 0xfeff) this.i = 1;
    this.skipWs();
    if (this.s.startsWith('<?xml', this.i)) this.processingInstruction();
    this.misc();
    if (this.i >= this.s.length) throw this.fail(this.s.trim() === '' ? 'the reply is empty' : 'no root element');
    if (this.s[this.i] !== '<') throw this.fail(`expected "<" but the reply starts with ${JSON.stringify(this.s.slice(this.i, this.i + 20))}`);
    if (this.s.startsWith('<!DOCTYPE', this.i) || this.s.startsWith('<!doctype', this.i)) {
      throw this.fail(
        /^<!doctype\s+html/i.test(this.s.slice(this.i, this.i + 20))
          ? 'got an HTML page, not XML (a page service, or a proxy error page? check config.gateway)'
          : 'a DOCTYPE is not accepted in a gateway reply',
      );
    }
    const root = this.element(0);
    this.misc();
    if (this.i < this.s.length) throw this.fail('content after the root element');
    return root;
  }

  private element(depth: number): XmlElement {
    if (depth > MAX_DEPTH) throw this.fail(`elements nested deeper than ${MAX_DEPTH}`);
    this.expect('<');
    const name = this.name();
    const el: XmlElement = { name, attributes: record(), children: [], text: '' };
    for (;;) {
      const hadWs = this.skipWs();
      const c = this.s[this.i];
      if (c === '/') {
        this.i++;
        this.expect('>');
        return el;
      }
      if (c === '>') {
        this.i++;
        break;
      }
      if (c === undefined) throw this.fail(`unterminated start tag <${name}>`);
      if (!hadWs) throw this.fail(`expected whitespace, "/>" or ">" in <${name}>`);
      const attr = this.name();
      this.skipWs();
      this.expect('=');
      this.skipWs();
      const quote = this.s[this.i];
      if (quote !== '"' && quote !== "'") throw this.fail(`attribute ${attr} of <${name}> is not quoted`);
      const end = this.s.indexOf(quote, this.i + 1);
      if (end === -1) throw this.fail(`unterminated attribute ${attr} of <${name}>`);
      const raw = this.s.slice(this.i + 1, end);
      if (raw.includes('<')) throw this.fail(`"<" inside attribute ${attr} of <${name}>`);
      if (attr in el.attributes) throw this.fail(`attribute ${attr} repeated in <${name}>`);
      el.attributes[attr] = this.decodeEntities(raw, this.i + 1);
      this.i = end + 1;
    }
    // Content.
    for (;;) {
      if (this.i >= this.s.length) throw this.fail(`<${name}> is never closed`);
      if (this.s.startsWith('</', this.i)) {
        this.i += 2;
        const close = this.name();
        if (close !== name) throw this.fail(`</${close}> closes <${name}>`);
        this.skipWs();
        this.expect('>');
        return el;
      }
      if (this.s.startsWith('<![CDATA[', this.i)) {
        const end = this.s.indexOf(']]>', this.i + 9);
        if (end === -1) throw this.fail('unterminated CDATA section');
        el.text += this.s.slice(this.i + 9, end);
        this.i = end + 3;
      } else if (this.s.startsWith('<!--', this.i)) {
        this.comment();
      } else if (this.s.startsWith('<?', this.i)) {
        this.processingInstruction();
      } else if (this.s[this.i] === '<') {
        if (this.s.startsWith('<!', this.i)) throw this.fail('unexpected markup declaration');
        el.children.push(this.element(depth + 1));
      } else {
        let end = this.s.indexOf('<', this.i);
        if (end === -1) end = this.s.length;
        el.text += this.decodeEntities(this.s.slice(this.i, end), this.i);
        this.i = end;
      }
    }
  }

  private misc(): void {
    for (;;) {
      this.skipWs();
      if (this.s.startsWith('<!--', this.i)) this.comment();
      else if (this.s.startsWith('<?', this.i)) {
        if (this.s.startsWith('<?xml', this.i) && /[\s?]/.test(this.s[this.i + 5] ?? '')) {
          throw this.fail('the XML declaration is only allowed at the very start');
        }
        this.processingInstruction();
      } else return;
    }
  }

  private comment(): void {
    const end = this.s.indexOf('-->', this.i + 4);
    if (end === -1) throw this.fail('unterminated comment');
    this.i = end + 3;
  }

  private processingInstruction(): void {
    const end = this.s.indexOf('?>', this.i + 2);
    if (end === -1) throw this.fail('unterminated <?…?>');
    this.i = end + 2;
  }

  private name(): string {
    const start = this.i;
    if (!NAME_START.test(this.s[this.i] ?? '')) throw this.fail('expected an element or attribute name');
    this.i++;
    while (this.i < this.s.length && NAME_CHAR.test(this.s[this.i]!)) this.i++;
    return this.s.slice(start, this.i);
  }

  private expect(ch: string): void {
    if (this.s[this.i] !== ch) throw this.fail(`expected "${ch}"`);
    this.i++;
  }

  private skipWs(): boolean {
    const start = this.i;
    while (this.i < this.s.length) {
      const c = this.s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.i++;
      else break;
    }
    return this.i > start;
  }

  private decodeEntities(raw: string, offset: number): string {
    if (!raw.includes('&')) return raw;
    return raw.replace(/&([^;&\s]*)(;?)/g, (whole, body: string, semi: string, at: number) => {
      const where = offset + at;
      if (semi !== ';') throw this.fail(`"&" not followed by an entity (write &amp;)`, where);
      const named = ENTITIES[body];
      if (named !== undefined) return named;
      const m = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(body);
      if (!m) throw this.fail(`unknown entity ${whole}`, where);
      const code = m[1] !== undefined ? parseInt(m[1], 16) : parseInt(m[2]!, 10);
      const valid =
        code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff);
      if (!valid) throw this.fail(`character reference ${whole} is not an XML character`, where);
      return String.fromCodePoint(code);
    });
  }

  private fail(message: string, at = this.i): AlipayError {
    const context = this.s.slice(Math.max(0, at - 15), at + 15).replace(/\s+/g, ' ');
    return malformed(`${message} (at character ${at}, near ${JSON.stringify(context)})`);
  }
}
