import { decodeBytes, encodeText, isAscii, type Charset } from './charset.js';
import { AlipayError } from './errors.js';

/** One `name=value` pair of a form, decoded. */
export type FormPair = [name: string, value: string];

/**
 * Parses an `application/x-www-form-urlencoded` body or a query string exactly once: `+` becomes a
 * space, `%XX` become bytes, and the bytes are read in the message's charset (protocol.md §8.4).
 * Never decode twice: a return's `notify_id` keeps its inner `%2F` (protocol.md §2.1 notes).
 * A leading `?` is ignored. A malformed escape (`%G1`, a lone `%`) is an error, not a guess.
 * @example parseFormPairs('subject=%B2%E2%CA%D4&a=1', 'gbk') // [['subject', '测试'], ['a', '1']]
 */
export function parseFormPairs(raw: string | Uint8Array, charset: Charset): FormPair[] {
  // One latin1 string of the bytes (a form is ASCII, so for a string this is the string itself):
  // the scan below then runs on string builtins, and a plain component is a slice of it.
  const text = typeof raw === 'string' ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');
  const pairs: FormPair[] = [];
  let start = text.charCodeAt(0) === 0x3f /* ? */ ? 1 : 0;
  while (start <= text.length) {
    let end = text.indexOf('&', start);
    if (end === -1) end = text.length;
    if (end > start) {
      const eq = text.indexOf('=', start);
      const split = eq === -1 || eq > end ? end : eq;
      const name = decodeComponent(text, start, split, charset);
      const value = split === end ? '' : decodeComponent(text, split + 1, end, charset);
      if (name !== '') pairs.push([name, value]);
    }
    start = end + 1;
  }
  return pairs;
}

/**
 * Parses a form into a record. A name that appears twice is ambiguous for signing, so it is an
 * error (`duplicate_param`) rather than a silent choice of one value.
 * @example parseForm('a=1&b=2', 'utf-8') // { a: '1', b: '2' }
 */
export function parseForm(raw: string | Uint8Array, charset: Charset): Record<string, string> {
  const out = new (FormRecord as unknown as new () => Record<string, string>)();
  for (const [name, value] of parseFormPairs(raw, charset)) {
    if (Object.prototype.hasOwnProperty.call(out, name)) {
      throw new AlipayError('duplicate_param', `parameter "${name}" appears more than once`, { param: name });
    }
    out[name] = value;
  }
  return out;
}

/**
 * The record `parseForm` fills: it inherits nothing (a parameter named `constructor` or
 * `__proto__` is an own value like any other), as `Object.create(null)` would give, but unlike
 * that it is an ordinary object to the engine rather than a hash table, so reading it is as fast as
 * reading a literal (Node's `querystring` does the same).
 */
function FormRecord(this: object): void {}
FormRecord.prototype = Object.create(null) as object;

/**
 * Reads one parameter's value without decoding the rest, for names and values that are ASCII
 * (`_input_charset`, `sign_type`): lets a receiver learn the charset before it decodes the body.
 * @example peekParam('a=1&_input_charset=gbk', '_input_charset') // 'gbk'
 */
export function peekParam(raw: string | Uint8Array, name: string): string | undefined {
  for (const [n, v] of parseFormPairs(raw, 'utf-8')) if (n === name) return v;
  return undefined;
}

/** One component of `text` (a latin1 string: one character per byte), decoded. */
function decodeComponent(text: string, start: number, end: number, charset: Charset): string {
  let plain = true;
  let ascii = true;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x25 || c === 0x2b) plain = false;
    else if (c > 0x7f) {
      plain = false;
      ascii = false;
      break;
    }
  }
  if (plain) return text.slice(start, end);
  // UTF-8 with escapes only: the engine's own decoder. It refuses a malformed escape and bytes that
  // are not UTF-8, which the byte path below then reports or turns into U+FFFD.
  if (ascii && charset === 'utf-8') {
    try {
      return decodeURIComponent(text.slice(start, end).replaceAll('+', ' '));
    } catch {
      // fall through
    }
  }
  const out = Buffer.allocUnsafe(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2b) out[n++] = 0x20;
    else if (c === 0x25) {
      const hi = hexValue(text.charCodeAt(i + 1));
      const lo = hexValue(text.charCodeAt(i + 2));
      if (i + 2 >= end || hi < 0 || lo < 0) {
        throw new AlipayError('malformed_form', `malformed percent-escape at byte ${i} of the form`);
      }
      out[n++] = hi * 16 + lo;
      i += 2;
    } else out[n++] = c;
  }
  return decodeBytes(out.subarray(0, n), charset);
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}

/**
 * Percent-encodes text in a charset the way PHP `urlencode` and Ruby `URI.encode_www_form` did
 * (space as `+`; `A-Z a-z 0-9 * - . _` kept), so links match the official SDKs' byte for byte.
 * @example encodeComponent('测试 a', 'gbk') // '%B2%E2%CA%D4+a'
 */
export function encodeComponent(text: string, charset: Charset): string {
  const bytes = charset === 'utf-8' || isAscii(text) ? Buffer.from(text, 'utf8') : encodeText(text, charset);
  let out = '';
  for (const b of bytes) {
    if (
      (b >= 0x30 && b <= 0x39) ||
      (b >= 0x41 && b <= 0x5a) ||
      (b >= 0x61 && b <= 0x7a) ||
      b === 0x2a ||
      b === 0x2d ||
      b === 0x2e ||
      b === 0x5f
    ) {
      out += String.fromCharCode(b);
    } else if (b === 0x20) out += '+';
    else out += '%' + HEX[b]!;
  }
  return out;
}
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

/**
 * Encodes parameters as a form body or query string in a charset, in the given order, leaving out
 * empty values.
 * @example encodeForm({ subject: '测试', body: '' }, 'utf-8') // 'subject=%E6%B5%8B%E8%AF%95'
 */
export function encodeForm(params: Record<string, string | undefined | null>, charset: Charset): string {
  const parts: string[] = [];
  for (const name in params) {
    const value = params[name];
    if (value === undefined || value === null || value === '') continue;
    parts.push(encodeComponent(name, charset) + '=' + encodeComponent(value, charset));
  }
  return parts.join('&');
}
