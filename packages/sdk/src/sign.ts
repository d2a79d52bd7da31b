import crypto, { createHash, createSign, createVerify, timingSafeEqual } from 'node:crypto';
import { canonicalize, sortedShape, valuesInOrder, type Params } from './canonicalize.js';
import { encodeGbkInto, encodeText, isAscii, type Charset } from './charset.js';
import { GatewayError, UsageError } from './errors.js';
import { loadPrivateKey, loadPublicKey, type KeyInput } from './keys.js';

/** `MD5` or `RSA` (upper-case on the wire, protocol.md §2.2). DSA was never implemented by anyone. */
export type SignType = 'MD5' | 'RSA';

/** What signing needs: the type, the charset, and the MD5 key or the RSA private key. */
export interface SignOptions {
  signType?: SignType;
  charset?: Charset;
  /** The 32-character MD5 key (安全校验码). */
  key?: string;
  /** The merchant's RSA private key, for `signType: 'RSA'`. */
  privateKey?: KeyInput;
}

/** What verifying needs: the MD5 key, or the RSA public key of the signer. */
export interface VerifyOptions {
  signType?: SignType;
  charset?: Charset;
  key?: string;
  /** For RSA: the signer's public key (Alipay's, when verifying what Alipay sent). */
  publicKey?: KeyInput;
}

/**
 * Reads a `sign_type` value. Official gateways wanted it upper-case ("必须大写"); anything but MD5
 * and RSA is `ILLEGAL_SIGN_TYPE`.
 * @example parseSignType('MD5') // 'MD5'
 */
export function parseSignType(value: string | undefined | null): SignType {
  if (value === 'MD5' || value === 'RSA') return value;
  throw new GatewayError('ILLEGAL_SIGN_TYPE', `sign_type must be MD5 or RSA (upper-case), got "${value ?? ''}"`, {
    param: 'sign_type',
  });
}

/**
 * MD5 of the pre-sign string with the key appended, in the charset's bytes, as lower-case hex
 * (protocol.md §2.2).
 * @example md5Digest('partner=123&service=test', '10000000000000000000000000000000', 'utf-8') // 'bbd13b52…'
 */
export function md5Digest(presign: string, key: string, charset: Charset = 'utf-8'): string {
  // UTF-8 goes straight into the hash in one update. GBK text is encoded into a reused scratch
  // buffer (Chinese through a cached table), key included, and hashed at once: no encoder
  // instance, no intermediate buffers.
  if (charset === 'utf-8') return md5Hex(presign + key);
  const need = presign.length * 2 + Buffer.byteLength(key, 'utf8');
  if (scratch.length < need) scratch = Buffer.allocUnsafe(Math.max(need, scratch.length * 2));
  let end = encodeGbkInto(presign, scratch, 0);
  if (end < 0) return createHash('md5').update(encodeText(presign, charset)).update(key, 'utf8').digest('hex');
  // The key is hashed as UTF-8 (it is ASCII: 32 letters and digits).
  end += scratch.write(key, end, 'utf8');
  return md5Hex(new Uint8Array(scratch.buffer, scratch.byteOffset, end));
}

/**
 * MD5 as lower-case hex of a string's UTF-8 bytes or of bytes. Node's one-shot `crypto.hash`
 * (20.12+) skips the Hash object and its update/digest calls, the biggest cost of a sign after the
 * MD5 itself (bench/sign.bench.ts). Older Nodes take `createHash`, which gives the same digest.
 */
const md5Hex: (data: string | Uint8Array) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('md5', data, 'hex')
    : (data) => createHash('md5').update(data).digest('hex');
let scratch = Buffer.allocUnsafe(4096);

/**
 * base64 RSA-SHA1 PKCS#1 v1.5 signature of the pre-sign string's bytes (protocol.md §2.3).
 * @example rsaDigest('partner=123&service=test', merchantPrivateKeyPem) // 'TaVXdP/0ia5N…' (V10 with its key)
 */
export function rsaDigest(presign: string, privateKey: KeyInput, charset: Charset = 'utf-8'): string {
  const signer = createSign('RSA-SHA1');
  signer.update(encodeText(presign, charset));
  return signer.sign(loadPrivateKey(privateKey), 'base64');
}

/**
 * Signs a message's parameters: the sign to send as `sign`.
 * @example sign({ service: 'test', partner: '123' }, { key: '10000000000000000000000000000000' }) // 'bbd13b52823b576291595f472ebcfbc2'
 */
export function sign(params: Params, options: SignOptions): string {
  if ((options.signType ?? 'MD5') === 'MD5' && options.charset !== undefined && options.charset !== 'utf-8' && options.key) {
    const digest = md5OfParamsGbk(params, options.key);
    if (digest !== undefined) return digest;
  }
  return signPresign(canonicalize(params), options);
}

/**
 * The MD5 sign of GBK parameters: the same join as `canonicalize` (the names of `signedNames`,
 * `name=value` joined by `&`, then the key) written straight into a reused buffer as GBK bytes
 * (ASCII as it is, Chinese through a cached table) and hashed once: no intermediate strings, one
 * pass over the characters. `undefined` when a name or value needs iconv-lite itself; the caller
 * then takes the string path. A property test holds both paths to the same bytes.
 */
function md5OfParamsGbk(params: Params, key: string): string | undefined {
  // A merchant signs with one key: it is checked once, not on every message.
  if (key !== asciiKey) {
    if (!isAscii(key)) return undefined;
    asciiKey = key;
  }
  const shape = sortedShape(params);
  const sorted = shape.names;
  const values = valuesInOrder(params);
  // "name=" and "&name=" of each name, made once per message shape (sortedShape hands out the
  // same arrays while the shape repeats).
  if (sorted !== joinFor) {
    joinFor = sorted;
    namesAscii = sorted.every((name) => isAscii(name));
    firstPrefix = sorted.map((name) => name + '=');
    nextPrefix = sorted.map((name) => '&' + name + '=');
  }
  // Names are ASCII for every service; a non-ASCII one (never seen) takes the string path.
  if (!namesAscii) return undefined;
  let out = scratch;
  let at = 0;
  for (let i = 0; i < sorted.length; i++) {
    const value = values === undefined ? params[sorted[i]!] : values[shape.positions[i]!];
    if (value === undefined || value === null || value === '') continue;
    const prefix = at === 0 ? firstPrefix[i]! : nextPrefix[i]!;
    // A GBK character is at most two bytes; the key is ASCII.
    const need = at + prefix.length + value.length * 2 + key.length;
    if (need > out.length) {
      const bigger = Buffer.allocUnsafe(need * 2);
      out.copy(bigger, 0, 0, at);
      scratch = out = bigger;
    }
    for (let k = 0; k < prefix.length; k++) out[at++] = prefix.charCodeAt(k);
    at = encodeGbkInto(value, out, at);
    if (at < 0) return undefined;
  }
  if (at + key.length > out.length) {
    const bigger = Buffer.allocUnsafe((at + key.length) * 2);
    out.copy(bigger, 0, 0, at);
    scratch = out = bigger;
  }
  // The key is ASCII (32 letters and digits): the same bytes in every charset.
  for (let k = 0; k < key.length; k++) out[at++] = key.charCodeAt(k);
  // A plain view of the bytes written: cheaper to make than Buffer#subarray.
  return md5Hex(new Uint8Array(out.buffer, out.byteOffset, at));
}
let asciiKey: string | undefined;
let joinFor: readonly string[] | undefined;
let namesAscii = true;
let firstPrefix: string[] = [];
let nextPrefix: string[] = [];

/**
 * Signs an already-canonical pre-sign string.
 * @example signPresign('partner=123&service=test', { key: '10000000000000000000000000000000' }) // 'bbd13b52823b576291595f472ebcfbc2'
 */
export function signPresign(presign: string, options: SignOptions): string {
  const signType = options.signType ?? 'MD5';
  const charset = options.charset ?? 'utf-8';
  if (signType === 'MD5') {
    if (!options.key) throw new UsageError('missing_key', 'MD5 signing needs the 32-character key (config.key)');
    return md5Digest(presign, options.key, charset);
  }
  if (!options.privateKey) throw new UsageError('missing_key', 'RSA signing needs the merchant private key (config.privateKey)');
  return rsaDigest(presign, options.privateKey, charset);
}

/** The outcome of a signature check, with the string signed on this side for mismatch reports. */
export interface SignCheck {
  valid: boolean;
  /** The pre-sign string of the parameters (made when first read, from the parameters as they are then). */
  presign: string;
}

/**
 * Checks a received sign against the parameters (every one except `sign`/`sign_type`, including
 * unknown ones: protocol.md §2.1). MD5 compares in constant time, case-insensitively on the hex.
 * @example verifySign(params, params.sign, { key }).valid
 */
export function verifySign(params: Params, received: string | undefined | null, options: VerifyOptions): SignCheck {
  // GBK MD5: the digest comes from the same byte-string path as `sign` (a JS loop over the Chinese
  // values only, instead of over the whole pre-sign string), and the pre-sign string is only made
  // if somebody reads it (a mismatch report).
  if (received && (options.signType ?? 'MD5') === 'MD5' && options.charset !== undefined && options.charset !== 'utf-8' && options.key) {
    const expected = md5OfParamsGbk(params, options.key);
    if (expected !== undefined) return new LazySignCheck(md5HexEqual(expected, received), params);
  }
  const presign = canonicalize(params);
  return { valid: verifyPresign(presign, received, options), presign };
}

/** A sign check whose pre-sign string is made when first read (an object literal with a getter costs far more to create). */
class LazySignCheck implements SignCheck {
  readonly valid: boolean;
  readonly #params: Params;
  #presign: string | undefined;
  constructor(valid: boolean, params: Params) {
    this.valid = valid;
    this.#params = params;
  }
  get presign(): string {
    return (this.#presign ??= canonicalize(this.#params));
  }
}

/**
 * Checks a sign against an already-canonical pre-sign string.
 * @example verifyPresign('partner=123&service=test', 'bbd13b52823b576291595f472ebcfbc2', { key: '10000000000000000000000000000000' }) // true
 */
export function verifyPresign(presign: string, received: string | undefined | null, options: VerifyOptions): boolean {
  if (!received) return false;
  const signType = options.signType ?? 'MD5';
  const charset = options.charset ?? 'utf-8';
  if (signType === 'MD5') {
    if (!options.key) throw new UsageError('missing_key', 'MD5 verification needs the 32-character key (config.key)');
    return md5HexEqual(md5Digest(presign, options.key, charset), received);
  }
  if (!options.publicKey) throw new UsageError('missing_key', 'RSA verification needs the public key of the signer');
  const verifier = createVerify('RSA-SHA1');
  verifier.update(encodeText(presign, charset));
  try {
    return verifier.verify(loadPublicKey(options.publicKey), received, 'base64');
  } catch {
    return false;
  }
}

/**
 * Whether a received MD5 sign is the expected lower-case hex, its letters in either case, in time
 * that depends on the lengths only (no copies: this runs on every message received).
 */
function md5HexEqual(expected: string, received: string): boolean {
  if (received.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) {
    const c = received.charCodeAt(i);
    diff |= expected.charCodeAt(i) ^ (c >= 0x41 && c <= 0x46 ? c | 0x20 : c);
  }
  return diff === 0;
}

/**
 * Constant-time string comparison (lengths may leak, as with any MAC check).
 * @example safeEqual('abc', 'abc') // true
 */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ab.length !== bb.length) return false;
  return timingSafeEqual(ab, bb);
}
