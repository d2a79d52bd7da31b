import type { Charset, SignType } from 'alipay-legacy';
import { sign } from 'alipay-legacy/protocol';
import { ALIPAY_RSA_PRIVATE_KEY } from '../seed-keys.js';

/**
 * Signs a message the sandbox sends (return, notification, posted form) with the SDK's own sign():
 * MD5 with the merchant's key, or RSA with the sandbox's "Alipay" private key (merchants verify
 * with its public key, protocol.md §2.3), in the trade's charset. Empty values are dropped first
 * (decisions.md §22), so old and new verifiers agree.
 * Returns the parameters with `sign` and `sign_type` appended.
 */
export function signMessage(
  params: Record<string, string | null | undefined>,
  options: { key: string; signType: SignType; charset: Charset },
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') out[name] = value;
  }
  out.sign = sign(out, {
    signType: options.signType,
    charset: options.charset,
    key: options.key,
    privateKey: ALIPAY_RSA_PRIVATE_KEY,
  });
  out.sign_type = options.signType;
  return out;
}
