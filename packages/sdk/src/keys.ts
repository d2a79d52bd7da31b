import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { UsageError } from './errors.js';

/** A key as merchants paste it: PEM (PKCS#1 or PKCS#8/SPKI) with or without line breaks, bare base64, or a KeyObject. */
export type KeyInput = string | Buffer | KeyObject;

const cache = new Map<string, KeyObject>();

/**
 * Reads an RSA private key in any of the forms Alipay's tools produced (PKCS#1 `BEGIN RSA PRIVATE
 * KEY`, PKCS#8 `BEGIN PRIVATE KEY`, one line or wrapped, or the bare base64 body).
 * @example loadPrivateKey(fs.readFileSync('rsa_private_key.pem'))
 */
export function loadPrivateKey(input: KeyInput): KeyObject {
  return load(input, 'private');
}

/**
 * Reads an RSA public key (SPKI `BEGIN PUBLIC KEY`, PKCS#1 `BEGIN RSA PUBLIC KEY`, or bare base64).
 * @example loadPublicKey(ALIPAY_PUBLIC_KEY)
 */
export function loadPublicKey(input: KeyInput): KeyObject {
  return load(input, 'public');
}

function load(input: KeyInput, kind: 'private' | 'public'): KeyObject {
  if (typeof input !== 'string' && !Buffer.isBuffer(input)) return input;
  const text = typeof input === 'string' ? input : input.toString('utf8');
  const cacheKey = kind + '\0' + text;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const body = text.replace(/-----(BEGIN|END)[^-]*-----/g, '').replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+=*$/.test(body)) {
    throw new UsageError('bad_key', `the ${kind} key is neither PEM nor base64 DER`);
  }
  const der = Buffer.from(body, 'base64');
  const pkcs1 = /RSA (PRIVATE|PUBLIC) KEY/.test(text);
  // Try the declared format first, then the other: bare base64 says nothing about its format.
  const formats: Array<'pkcs1' | 'pkcs8' | 'spki'> =
    kind === 'private' ? (pkcs1 ? ['pkcs1', 'pkcs8'] : ['pkcs8', 'pkcs1']) : pkcs1 ? ['pkcs1', 'spki'] : ['spki', 'pkcs1'];
  let lastError: unknown;
  for (const type of formats) {
    try {
      const key =
        kind === 'private'
          ? createPrivateKey({ key: der, format: 'der', type: type as 'pkcs1' | 'pkcs8' })
          : createPublicKey({ key: der, format: 'der', type: type as 'pkcs1' | 'spki' });
      if (cache.size > 64) cache.clear();
      cache.set(cacheKey, key);
      return key;
    } catch (err) {
      lastError = err;
    }
  }
  throw new UsageError('bad_key', `could not read the RSA ${kind} key (tried ${formats.join(', ')})`, {
    cause: lastError,
  });
}
