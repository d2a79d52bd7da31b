import iconv from 'iconv-lite';
import { GatewayError } from './errors.js';

/** The charsets the gateway accepts in `_input_charset` (protocol.md §1.3). */
export type Charset = 'utf-8' | 'gbk' | 'gb2312';

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

/** True when every character is 7-bit ASCII: then every charset here gives the same bytes. */
export function isAscii(text: string): boolean {
  // A regexp test is the fastest whole-string check in V8 for short strings.
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
  return iconv.encode(text, 'gbk');
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
