import { createHash } from 'node:crypto';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { canonicalize, encodeText, isAscii, md5Digest, sign, verifySign } from '../src/protocol.js';
import { signedNames } from '../src/canonicalize.js';

const KEY = '10000000000000000000000000000000';
const reference = (params: Record<string, string>, key: string) =>
  createHash('md5').update(Buffer.concat([iconv.encode(canonicalize(params), 'gbk'), Buffer.from(key, 'utf8')])).digest('hex');

// Text that mixes ASCII, the characters of real notifications, GBK-unmappable ones and astral ones.
const pieces = fc.constantFrom('a', 'Z', '0', ' ', '&', '=', '+', '%2F', '测试', '《三体》', '—', '￥', '€', '·', '😀', '\u00e9', '\u0100', 'ｱ', '\ue000');
const text = fc.array(fc.oneof(pieces, fc.string({ unit: 'binary', maxLength: 4 })), { maxLength: 8 }).map((a) => a.join(''));
const name = fc.stringMatching(/^[a-z_]{1,12}$/);

describe('the fast GBK paths give the bytes iconv-lite gives', () => {
  it('encodes every BMP character like iconv-lite, in one string and one by one', () => {
    let all = '';
    for (let c = 0; c < 0x10000; c++) if (c < 0xd800 || c > 0xdfff) all += String.fromCharCode(c);
    expect(encodeText(all, 'gbk').equals(iconv.encode(all, 'gbk'))).toBe(true);
  });

  it('signs random GBK parameters exactly like hashing iconv-lite\'s encoding of the pre-sign string', () => {
    fc.assert(
      fc.property(fc.dictionary(name, text, { maxKeys: 12 }), (params) => {
        const expected = reference(params, KEY);
        expect(sign(params, { key: KEY, charset: 'gbk' })).toBe(expected);
        expect(sign(params, { key: KEY, charset: 'gb2312' })).toBe(expected);
        expect(md5Digest(canonicalize(params), KEY, 'gbk')).toBe(expected);
        const check = verifySign(params, expected.toUpperCase(), { key: KEY, charset: 'gbk' });
        expect([check.valid, check.presign]).toEqual([true, canonicalize(params)]);
        const wrong = (expected[0] === '0' ? '1' : '0') + expected.slice(1);
        expect(verifySign(params, wrong, { key: KEY, charset: 'gbk' }).valid).toBe(false);
        expect(encodeText(canonicalize(params), 'gbk').equals(iconv.encode(canonicalize(params), 'gbk'))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('tells ASCII text from the rest at every length (a loop for short texts, a regexp for long ones)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (t) => {
        expect(isAscii(t)).toBe(!/[^\x00-\x7f]/.test(t));
        expect(isAscii('a'.repeat(16) + t)).toBe(!/[^\x00-\x7f]/.test(t));
      }),
      { numRuns: 1000 },
    );
  });

  it('grows its scratch buffer for a long message and still signs right', () => {
    const params = { subject: '测试'.repeat(5000), body: 'x'.repeat(20000), partner: '2088101122136241' };
    expect(sign(params, { key: KEY, charset: 'gbk' })).toBe(reference(params, KEY));
    expect(sign({ a: '1' }, { key: KEY, charset: 'gbk' })).toBe(reference({ a: '1' }, KEY));
  });

  it('signs messages of one shape with changing values, empties and key order like iconv-lite (the remembered sort order)', () => {
    const shape = fc.uniqueArray(name, { minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(shape, fc.array(fc.array(fc.option(text, { nil: undefined }), { minLength: 10, maxLength: 10 }), { minLength: 1, maxLength: 4 }), (names, rows) => {
        for (const row of rows) {
          // The same names in the same order, then reversed: one shape remembered, then another.
          for (const order of [names, [...names].reverse()]) {
            const params: Record<string, string | undefined> = {};
            order.forEach((n, i) => (params[n] = row[i]));
            const present = Object.fromEntries(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
            expect(sign(params, { key: KEY, charset: 'gbk' })).toBe(reference(present, KEY));
            expect(signedNames(params)).toEqual(Object.keys(present).filter((n) => present[n] !== '').sort());
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('notices a message that gained a parameter since the last one of its shape', () => {
    const params: Record<string, string> = { subject: '测试', partner: '2088101122136241' };
    expect(sign(params, { key: KEY, charset: 'gbk' })).toBe(reference(params, KEY));
    params.body = '价格';
    expect(sign(params, { key: KEY, charset: 'gbk' })).toBe(reference(params, KEY));
    expect(signedNames(params)).toEqual(['body', 'partner', 'subject']);
  });
});
