import iconv from 'iconv-lite';
import { GatewayError } from './errors.js';

/** The charsets the gateway accepts in `_input_charset` (protocol.md §1.3). */
export type Charset = 'utf-8' | 'gbk' | 'gb2312';

/**
 * Every `Charset`, for loops and option lists.
 * @example CHARSETS.includes('gbk') // true
 */
export const CHARSETS: readonly Charset[] = ['utf-8', 'gbk', 'gb2312'];

/**
 * Lower-cases and checks a charset name; `utf8` is accepted for `utf-8`. An empty value gives the
 * default (`utf-8` unless another is passed). Anything else is `ILLEGAL_CHARSET`.
 * @example normalizeCharset('GBK') // 'gbk'
 */
export function normalizeCharset(input: string | undefined | null, fallback: Charset = 'utf-8'): Charset {
  if (input === undefined || input === null || input === '') return fallback;
  const lower = input.trim().toLowerCase();
  if (lower === 'utf-8' || lower === 'utf8') return 'utf-8';
  if (lower === 'gbk') return 'gbk';
  if (lower === 'gb2312') return 'gb2312';
  throw new GatewayError('ILLEGAL_CHARSET', `unsupported _input_charset "${input}": use utf-8, gbk or gb2312`, {
    param: '_input_charset',
  });
}

/**
 * True when every character is 7-bit ASCII: then every charset here gives the same bytes.
 * @example isAscii('partner=123') // true
 */
export function isAscii(text: string): boolean {
  // A regexp test is the fastest whole-string check in V8, except for the shortest texts
  // (amounts, flags, short ids), where a loop costs less than calling into the regexp.
  if (text.length <= 16) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
    return true;
  }
  return !NON_ASCII.test(text);
}
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Text to bytes in a charset. gb2312 is encoded as GBK (a superset, so every gb2312 text has the
 * same bytes) because iconv-lite's gb2312 table refuses characters such as ￥ that real
 * gb2312-declared pages carried.
 * @example encodeText('测试', 'gbk') // <Buffer b2 e2 ca d4>
 */
export function encodeText(text: string, charset: Charset): Buffer {
  if (charset === 'utf-8' || isAscii(text)) return Buffer.from(text, 'utf8');
  const out = Buffer.allocUnsafe(text.length * 2);
  const n = encodeGbkInto(text, out, 0);
  return n < 0 ? iconv.encode(text, 'gbk') : out.subarray(0, n);
}

/**
 * Writes text as GBK bytes into `out` from `offset` and returns the end offset, or -1 when the
 * text needs iconv-lite itself (a surrogate, or a character without a one- or two-byte code).
 * `out` must hold `text.length * 2` bytes past `offset`. Byte for byte the same as
 * `iconv.encode(text, 'gbk')`: each BMP character is looked up once in iconv-lite and cached, so
 * the text costs one table read per non-ASCII character instead of an encoder instance and
 * intermediate buffers per call (bench/sign.bench.ts).
 */
export function encodeGbkInto(text: string, out: Buffer, offset: number): number {
  const cache = GBK_CACHE;
  let at = offset;
  for (let i = 0, n = text.length; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      out[at++] = c;
      continue;
    }
    let code = cache[c]!;
    if (code === 0) code = cache[c] = gbkCodeOf(c);
    if (code < 0) return -1;
    if (code > 0xff) {
      out[at++] = code >> 8;
      out[at++] = code & 0xff;
    } else out[at++] = code;
  }
  return at;
}

/** 0 = not looked up yet; -1 = leave to iconv-lite; else the one- or two-byte code. */
const GBK_CACHE = new Int32Array(0x10000);

function gbkCodeOf(c: number): number {
  if (c >= 0xd800 && c <= 0xdfff) return -1; // surrogates: iconv-lite pairs them
  const bytes = iconv.encode(String.fromCharCode(c), 'gbk');
  if (bytes.length === 1) return bytes[0]! === 0 ? -1 : bytes[0]!;
  if (bytes.length === 2) return (bytes[0]! << 8) | bytes[1]!;
  return -1;
}

/**
 * Bytes to text in a charset. Invalid sequences become U+FFFD, which then fails any signature
 * check instead of passing silently.
 * @example decodeBytes(Buffer.from([0xb2, 0xe2, 0xca, 0xd4]), 'gbk') // '测试'
 */
export function decodeBytes(bytes: Uint8Array, charset: Charset): string {
  if (charset === 'utf-8') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'gbk');
}
