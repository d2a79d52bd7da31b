import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { AlipayError } from '../src/errors.js';
import type { Charset } from '../src/charset.js';
import { encodeForm, parseForm, parseFormPairs } from '../src/protocol.js';

/**
 * The rule of protocol.md §8.4 spelled out on bytes, as plainly as it reads: split on `&` and the
 * first `=`, `+` is a space, `%XX` a byte, the bytes read in the charset (invalid ones as U+FFFD).
 */
function referencePairs(bytes: Buffer, charset: Charset): [string, string][] {
  const decode = (part: Buffer): string => {
    const out: number[] = [];
    for (let i = 0; i < part.length; i++) {
      const b = part[i]!;
      if (b === 0x2b) out.push(0x20);
      else if (b === 0x25) {
        const hex = part.subarray(i + 1, i + 3).toString('latin1');
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new AlipayError('malformed_form', 'malformed escape');
        out.push(parseInt(hex, 16));
        i += 2;
      } else out.push(b);
    }
    return charset === 'utf-8' ? Buffer.from(out).toString('utf8') : iconv.decode(Buffer.from(out), 'gbk');
  };
  const body = bytes[0] === 0x3f ? bytes.subarray(1) : bytes;
  const pairs: [string, string][] = [];
  for (const part of body.toString('latin1').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const raw = Buffer.from(part, 'latin1');
    const name = decode(eq === -1 ? raw : raw.subarray(0, eq));
    const value = eq === -1 ? '' : decode(raw.subarray(eq + 1));
    if (name !== '') pairs.push([name, value]);
  }
  return pairs;
}

const outcome = (f: () => unknown) => {
  try {
    return { value: f() };
  } catch (err) {
    return { error: err instanceof AlipayError ? err.code : String(err) };
  }
};

// Bytes as a form may carry them: plain ASCII, separators, escapes of every byte (UTF-8 and GBK
// sequences, broken ones), raw high bytes, and malformed escapes.
const piece = fc.oneof(
  fc.constantFrom('a', 'Z', '0', '_', '.', '&', '=', '?', '+', '%', '%G1', '%4', '%2F', '%25', '%E6%B5%8B', '%B2%E2', '%ED%A0%80', '%EF%BB%BF', '%FF'),
  fc.integer({ min: 0, max: 255 }).map((b) => `%${b.toString(16).padStart(2, '0')}`),
  fc.integer({ min: 0x80, max: 0xff }).map((b) => String.fromCharCode(b)),
);
const form = fc.array(piece, { maxLength: 24 }).map((a) => a.join(''));
const charset = fc.constantFrom<Charset>('utf-8', 'gbk');

describe('parseFormPairs reads bytes as protocol.md §8.4 says', () => {
  it('agrees with the plain byte-by-byte reading, from a string and from bytes, errors included', () => {
    fc.assert(
      fc.property(form, charset, (text, cs) => {
        const bytes = Buffer.from(text, 'latin1');
        const expected = outcome(() => referencePairs(bytes, cs));
        expect(outcome(() => parseFormPairs(text, cs))).toEqual(expected);
        expect(outcome(() => parseFormPairs(bytes, cs))).toEqual(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('gives back what encodeForm wrote, in both charsets', () => {
    // encodeForm leaves empty values out (protocol.md §8.2), so every value here has a character.
    const value = fc.string({ unit: fc.constantFrom('a', ' ', '+', '%', '&', '=', '测', '《', '€', '😀', '\u00e9'), minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z_]{1,8}$/), value, { maxKeys: 8 }), (params) => {
        expect({ ...parseForm(encodeForm(params, 'utf-8'), 'utf-8') }).toEqual(params);
        // GBK has no emoji or €: those come back as iconv-lite's replacement, so compare what GBK can hold.
        const gbkSafe = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.replace(/😀|€/g, 'a')]));
        expect({ ...parseForm(encodeForm(gbkSafe, 'gbk'), 'gbk') }).toEqual(gbkSafe);
      }),
    );
  });
});
