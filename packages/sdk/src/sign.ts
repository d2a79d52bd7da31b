import { createHash, createSign, createVerify, timingSafeEqual } from 'node:crypto';
import { canonicalize, signedNames, type Params } from './canonicalize.js';
import { encodeGbkInto, encodeText, isAscii, type Charset } from './charset.js';
import { AlipayError, GatewayError } from './errors.js';
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
  // buffer (ASCII stretches copied natively, Chinese through a cached table), key included, and
  // hashed in one update too: no encoder instance, no intermediate buffers.
  if (charset === 'utf-8') return createHash('md5').update(presign + key, 'utf8').digest('hex');
  const need = presign.length * 2 + Buffer.byteLength(key, 'utf8');
  if (scratch.length < need) scratch = Buffer.allocUnsafe(Math.max(need, scratch.length * 2));
  let end = encodeGbkInto(presign, scratch, 0);
  if (end < 0) return createHash('md5').update(encodeText(presign, charset)).update(key, 'utf8').digest('hex');
  // The key is hashed as UTF-8 (it is ASCII: 32 letters and digits).
  end += scratch.write(key, end, 'utf8');
  return createHash('md5').update(scratch.subarray(0, end)).digest('hex');
}
let scratch = Buffer.allocUnsafe(4096);

/** base64 RSA-SHA1 PKCS#1 v1.5 signature of the pre-sign string's bytes (protocol.md §2.3). */
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
 * The MD5 sign of GBK parameters without building the pre-sign string: the same join as
 * `canonicalize` (the names of `signedNames`, `name=value` joined by `&`, then the key) written
 * straight into bytes, which saves building and flattening a string only to encode it (the GBK
 * row of bench/sign.bench.ts). `undefined` when a value needs iconv-lite itself; the caller then
 * takes the string path. A property test holds both paths to the same bytes.
 */
function md5OfParamsGbk(params: Params, key: string): string | undefined {
  if (!ASCII_KEY.test(key)) return undefined;
  const names = signedNames(params);
  let out = scratch;
  let at = 0;
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value = params[name] as string;
    // Room for "&name=value" at two bytes a character, plus the key.
    const room = at + (name.length + value.length) * 2 + 2 + key.length;
    if (room > out.length) {
      const bigger = Buffer.allocUnsafe(room * 2);
      out.copy(bigger, 0, 0, at);
      out = scratch = bigger;
    }
    if (i > 0) out[at++] = 0x26; // &
    // Names, and most values (ids, amounts, times, URLs), are ASCII: those are copied natively,
    // and only values with Chinese text go through the per-character table.
    at = writeGbk(name, out, at);
    if (at < 0) return undefined;
    out[at++] = 0x3d; // =
    at = writeGbk(value, out, at);
    if (at < 0) return undefined;
  }
  if (at + key.length > out.length) return undefined;
  // The key is ASCII (32 letters and digits): the same bytes in every charset.
  at = encodeGbkInto(key, out, at);
  return createHash('md5').update(out.subarray(0, at)).digest('hex');
}
const ASCII_KEY = /^[\x00-\x7f]*$/;

function writeGbk(text: string, out: Buffer, at: number): number {
  // A native write costs more than a short JS loop to call, so only long ASCII values (URLs) take it.
  return text.length > 24 && isAscii(text) ? at + out.write(text, at, 'latin1') : encodeGbkInto(text, out, at);
}

/** Signs an already-canonical pre-sign string. */
export function signPresign(presign: string, options: SignOptions): string {
  const signType = options.signType ?? 'MD5';
  const charset = options.charset ?? 'utf-8';
  if (signType === 'MD5') {
    if (!options.key) throw new AlipayError('missing_key', 'MD5 signing needs the 32-character key (config.key)');
    return md5Digest(presign, options.key, charset);
  }
  if (!options.privateKey) throw new AlipayError('missing_key', 'RSA signing needs the merchant private key (config.privateKey)');
  return rsaDigest(presign, options.privateKey, charset);
}

/** The outcome of a signature check, with the string signed on this side for mismatch reports. */
export interface SignCheck {
  valid: boolean;
  presign: string;
}

/**
 * Checks a received sign against the parameters (every one except `sign`/`sign_type`, including
 * unknown ones: protocol.md §2.1). MD5 compares in constant time, case-insensitively on the hex.
 * @example verifySign(params, params.sign, { key }).valid
 */
export function verifySign(params: Params, received: string | undefined | null, options: VerifyOptions): SignCheck {
  const presign = canonicalize(params);
  return { valid: verifyPresign(presign, received, options), presign };
}

/** Checks a sign against an already-canonical pre-sign string. */
export function verifyPresign(presign: string, received: string | undefined | null, options: VerifyOptions): boolean {
  if (!received) return false;
  const signType = options.signType ?? 'MD5';
  const charset = options.charset ?? 'utf-8';
  if (signType === 'MD5') {
    if (!options.key) throw new AlipayError('missing_key', 'MD5 verification needs the 32-character key (config.key)');
    const expected = md5Digest(presign, options.key, charset);
    return safeEqual(expected, received.toLowerCase());
  }
  if (!options.publicKey) throw new AlipayError('missing_key', 'RSA verification needs the public key of the signer');
  const verifier = createVerify('RSA-SHA1');
  verifier.update(encodeText(presign, charset));
  try {
    return verifier.verify(loadPublicKey(options.publicKey), received, 'base64');
  } catch {
    return false;
  }
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
