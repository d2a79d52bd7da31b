import type { Charset } from '../charset.js';
import { AlipayError, VerificationError } from '../errors.js';
import { parseForm } from '../form-encoding.js';

/** What a return or notification arrives as: the raw query string, a URL, or the raw bytes. */
export type RawMessage = string | URL | Uint8Array;

/**
 * Decodes a return's query or a notification's body exactly once, from the raw percent-encoded
 * bytes, in the message's charset (protocol.md §2.1, §8.4). Strings are the raw text as received
 * (`?a=1&b=2`, `a=1&b=2`, a path `/return?a=1` or a full URL); a string that holds characters above
 * U+00FF was decoded by someone already, and is refused, because decoding twice changes what was
 * signed (a return's `notify_id` keeps its `%2F`). A parameter named twice is refused too.
 * @example readMessageParams('?notify_id=RqPn%252Fvw&a=1', 'utf-8') // { notify_id: 'RqPn%2Fvw', a: '1' }
 */
export function readMessageParams(input: RawMessage, charset: Charset): Record<string, string> {
  let raw: string | Uint8Array;
  if (input instanceof URL) raw = input.search;
  else if (typeof input === 'string') {
    raw = queryPart(input);
    if (/[^\x00-\xff]/.test(raw)) {
      throw new VerificationError(
        'malformed',
        'the message contains characters that are not percent-encoded: pass the raw query string or body exactly as ' +
          'received (e.g. the part of req.url after "?", or the body bytes), not values a framework already decoded',
      );
    }
  } else if (input instanceof Uint8Array) raw = input;
  else throw new TypeError('expected the raw query string, a URL, or the raw body bytes');
  try {
    return parseForm(raw, charset);
  } catch (err) {
    if (err instanceof AlipayError) throw new VerificationError('malformed', `the message is not a well-formed form: ${err.message}`, { cause: err });
    throw err;
  }
}

function queryPart(text: string): string {
  if (text.startsWith('?')) return text;
  if (/^(https?:\/\/|\/)/i.test(text)) {
    const at = text.indexOf('?');
    if (at === -1) return '';
    const hash = text.indexOf('#', at);
    return text.slice(at, hash === -1 ? undefined : hash);
  }
  return text;
}
