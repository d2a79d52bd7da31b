import { canonicalize } from '../canonicalize.js';
import type { Charset } from '../charset.js';
import { UsageError, VerificationError } from '../errors.js';
import type { KeyInput } from '../keys.js';
import { verifyPresign, type SignType } from '../sign.js';

/** What checking a received message's sign needs. */
export interface MessageSignOptions {
  /** The sign type we expect (config.signType); a message that says another is refused. */
  signType: SignType;
  charset: Charset;
  /** The MD5 key, for MD5. */
  key?: string;
  /** Alipay's RSA public key, for RSA. */
  publicKey?: KeyInput;
}

/**
 * Checks the `sign` of received parameters: every parameter except `sign`/`sign_type` is signed,
 * unknown ones included (protocol.md §2.1). Returns the string that was signed. Refuses with
 * `VerificationError`: `missing_sign`; `bad_sign_type` when `sign_type` is not the expected type
 * (a message without `sign_type` is checked with the expected one); `sign_mismatch`, with the
 * string signed on our side in `presign` and the common causes in the message.
 * @example
 * const presign = verifyMessageSign(params, { signType: 'MD5', key, charset: 'utf-8' });
 */
export function verifyMessageSign(params: Readonly<Record<string, string>>, options: MessageSignOptions): string {
  const received = params.sign;
  if (!received) {
    throw new VerificationError(
      'missing_sign',
      'the message has no sign parameter: it is not from Alipay, or the query/body was lost on the way (a redirect that dropped the query, a body parser that consumed the body?)',
    );
  }
  const declared = params.sign_type;
  if (declared !== undefined && declared !== options.signType) {
    throw new VerificationError(
      'bad_sign_type',
      `the message says sign_type="${declared}" but this configuration verifies ${options.signType} (config.signType): ` +
        'a message signed another way is refused rather than checked with a key it was not meant for',
    );
  }
  if (options.signType === 'MD5' && !options.key) throw new UsageError('bad_config', 'config.key (the 32-character MD5 key) is needed to verify MD5 signs');
  if (options.signType === 'RSA' && !options.publicKey) {
    throw new UsageError('bad_config', "config.alipayPublicKey (Alipay's RSA public key) is needed to verify RSA signs");
  }
  const presign = canonicalize(params);
  const valid = verifyPresign(presign, received, { signType: options.signType, key: options.key, publicKey: options.publicKey, charset: options.charset });
  if (!valid) throw new VerificationError('sign_mismatch', explainMismatch(params, presign, options), { presign });
  return presign;
}

/**
 * Why a sign may not match, for a program (`'api'`: it names the configuration fields and
 * `error.presign`) or for a person at a command line (`'cli'`: it names the command's options and
 * says the signed string is printed below).
 */
export function explainMismatch(
  params: Readonly<Record<string, string>>,
  presign: string,
  options: MessageSignOptions,
  audience: 'api' | 'cli' = 'api',
): string {
  const cli = audience === 'cli';
  const hints: string[] = [];
  if (presign.includes('\ufffd')) {
    hints.push(
      `some bytes are not valid ${options.charset} (U+FFFD after decoding): the message is probably in ` +
        `${options.charset === 'utf-8' ? 'gbk' : 'utf-8'}; ${cli ? 'pass --charset' : 'set config.charset to'} the _input_charset of the request that created the trade`,
    );
  }
  hints.push(
    'the message was altered on its way, or forged: the sign protects every parameter, so a changed amount, status or ' +
      'notify_id no longer matches (refuse it)',
    options.signType === 'MD5'
      ? `a wrong key: ${cli ? '--key' : 'config.key'} must be the 32-character MD5 key (安全校验码) of this partner`
      : `a wrong key: ${cli ? '--public-key' : 'config.alipayPublicKey'} must be Alipay's public key, not the merchant's own`,
    `a wrong charset: the message was decoded as ${options.charset}; it arrives in the _input_charset the request used`,
    'framework-decoded or re-encoded values: pass the raw query string or the raw body bytes, never req.query / ' +
      'req.body objects or a re-built query (a return notify_id such as "RqPn…%2F…" must keep its %2F)',
    'extra parameters: every received parameter except sign and sign_type is signed, so route parameters, tracking ' +
      'parameters or a custom query on return_url/notify_url break the sign (strip them before verifying)',
  );
  const names = Object.keys(params).filter((n) => n !== 'sign' && n !== 'sign_type');
  return (
    `sign_mismatch: the ${options.signType} sign does not match the ${names.length} signed parameters ` +
    `(${names.sort().join(', ')}). ${cli ? 'The string signed here is printed below' : 'The string signed on this side is in error.presign'}. ` +
    `Common causes:\n- ${hints.join('\n- ')}`
  );
}
