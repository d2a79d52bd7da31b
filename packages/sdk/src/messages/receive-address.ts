import { UsageError } from '../errors.js';
import { escapeXml, parseXml, textContent, type XmlElement } from '../xml.js';

/**
 * The buyer's address from `user.logistics.address.query` (protocol.md §4.6, decisions.md §17),
 * under the XML element names the integrators read. Empty elements are left out.
 */
export interface ReceiveAddress {
  /** Street address. */
  address?: string;
  /** Consignee name. */
  fullname?: string;
  /** Province, e.g. `上海` (municipalities without 市, decisions.md §17). */
  prov?: string;
  city?: string;
  /** District, e.g. `浦东新区`. */
  area?: string;
  /** Region code. */
  address_code?: string;
  mobile_phone?: string;
  phone?: string;
  /** Postcode. */
  post?: string;
}

/** A parsed `receive_address`: the known fields, and every child element's text in `raw`. */
export interface ParsedReceiveAddress extends ReceiveAddress {
  /** Every child element by name, including ones this SDK does not know (`email`, `cert_no`…). */
  raw: Record<string, string>;
}

/**
 * The element order of decisions.md §17.
 * @example RECEIVE_ADDRESS_FIELDS[0] // 'address'
 */
export const RECEIVE_ADDRESS_FIELDS = [
  'address',
  'fullname',
  'prov',
  'city',
  'area',
  'address_code',
  'mobile_phone',
  'phone',
  'post',
] as const satisfies ReadonlyArray<keyof ReceiveAddress>;

/**
 * Reads the `receive_address` XML document of the address query's return. Accepts the document
 * of decisions.md §17 (`<receive_address><address>…</address>…</receive_address>`), with or without
 * an XML declaration, under another root (the real root name is unknown, protocol.md §10.4: the
 * fields are read from a `<receive_address>` element if there is one, else from the root's
 * children), and a whole document that was entity-escaped once more (`&lt;receive_address&gt;…`,
 * as one integration's `htmlspecialchars_decode` suggests). Throws `AlipayError('malformed_xml')`
 * on anything that is not well-formed.
 * @example
 * parseReceiveAddress('<receive_address><prov>上海</prov><area>浦东新区</area><address>张江路 1 号 &amp; 2 号</address></receive_address>')
 * // { prov: '上海', area: '浦东新区', address: '张江路 1 号 & 2 号', raw: { … } }
 */
export function parseReceiveAddress(xml: string): ParsedReceiveAddress {
  let text = xml.trim();
  if (text.startsWith('&lt;')) {
    // Escaped as a whole: unescape once by reading it as the text of an element.
    text = parseXml(`<x>${text}</x>`).text.trim();
  }
  const root = parseXml(text);
  const parent = find(root, 'receive_address') ?? root;
  const raw: Record<string, string> = {};
  for (const child of parent.children) {
    if (!(child.name in raw)) raw[child.name] = textContent(child).trim();
  }
  const out: ParsedReceiveAddress = { raw };
  for (const name of RECEIVE_ADDRESS_FIELDS) {
    const value = raw[name];
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}

/**
 * Writes a `receive_address` document as the sandbox sends it (decisions.md §17): the nine
 * elements in order, text XML-escaped, empty ones as `<name/>`, no declaration.
 * @example
 * renderReceiveAddress({ fullname: '张三', prov: '上海', city: '上海', area: '浦东新区' })
 * // '<receive_address><address/><fullname>张三</fullname><prov>上海</prov><city>上海</city><area>浦东新区</area><address_code/><mobile_phone/><phone/><post/></receive_address>'
 */
export function renderReceiveAddress(fields: ReceiveAddress): string {
  let out = '<receive_address>';
  for (const name of RECEIVE_ADDRESS_FIELDS) {
    const value = fields[name];
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw new UsageError('bad_address', `receive_address field ${name} must be text`);
    }
    out += value ? `<${name}>${escapeXml(value)}</${name}>` : `<${name}/>`;
  }
  return out + '</receive_address>';
}

function find(el: XmlElement, name: string): XmlElement | undefined {
  if (el.name === name) return el;
  for (const child of el.children) {
    const found = find(child, name);
    if (found) return found;
  }
  return undefined;
}
