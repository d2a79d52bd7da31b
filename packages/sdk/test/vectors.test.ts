import { describe, expect, it } from 'vitest';
import { canonicalize, encodeForm, md5Digest, parseForm, sign, verifySign } from '../src/protocol.js';
import { loadVectors } from './fixtures/load-vectors.js';

const vectors = loadVectors('vectors.json');

describe('public signing vectors (protocol.md §2.6)', () => {
  for (const v of vectors) {
    it(`${v.name}: builds the pre-sign string byte for byte`, () => {
      expect(canonicalize(v.params)).toBe(v.presign);
    });
    it(`${v.name}: signs to the published sign`, () => {
      const s =
        v.sign_type === 'MD5'
          ? sign(v.params, { signType: 'MD5', key: v.key!, charset: v.charset })
          : sign(v.params, { signType: 'RSA', privateKey: v.private_key!, charset: v.charset });
      expect(s).toBe(v.sign);
    });
    it(`${v.name}: verifies the published sign and refuses a changed value`, () => {
      const opts = { signType: v.sign_type, key: v.key, publicKey: v.public_key, charset: v.charset } as const;
      expect(verifySign(v.params, v.sign, opts).valid).toBe(true);
      const tampered = { ...v.params, partner: `${v.params.partner ?? ''}0` };
      expect(verifySign(tampered, v.sign, opts).valid).toBe(false);
    });
    if (v.url) {
      it(`${v.name}: encodes the link as the official SDKs did`, () => {
        const query = encodeForm({ ...v.params, sign_type: v.sign_type, sign: v.sign }, v.charset);
        expect(`https://mapi.alipay.com/gateway.do?${query}`).toBe(v.url);
      });
    }
  }

  it('hashes GBK text in GBK bytes and UTF-8 text in UTF-8 bytes (V11)', () => {
    const key = '10000000000000000000000000000000';
    expect(md5Digest('partner=123&service=test&subject=测试', key, 'gbk')).toBe('da62fc8c3a7b3b0f96df474bd522fbe3');
    expect(md5Digest('partner=123&service=test&subject=测试', key, 'gb2312')).toBe('da62fc8c3a7b3b0f96df474bd522fbe3');
    expect(md5Digest('partner=123&service=test&subject=测试', key, 'utf-8')).toBe('d30dc9c5b4dbd22fc711ec747d9f2ed6');
  });
});

describe('GBK and GB2312 vectors of this project (computed independently with Python)', () => {
  const gbk = loadVectors('gbk-vectors.json');
  for (const v of gbk) {
    it(`${v.name}: pre-sign string leaves the empty value out and keeps & = + and spaces raw`, () => {
      expect(canonicalize(v.params)).toBe(v.presign);
    });
    it(`${v.name}: signs in ${v.charset} bytes`, () => {
      expect(sign(v.params, { key: v.key!, charset: v.charset })).toBe(v.sign);
    });
    it(`${v.name}: parses the percent-encoded ${v.charset} form back and verifies it`, () => {
      const parsed = parseForm(v.form!, v.charset);
      const check = verifySign(parsed, parsed.sign, { key: v.key!, charset: v.charset });
      expect([check.valid, check.presign]).toEqual([true, v.presign]);
      // Read as UTF-8 by mistake, the same bytes do not verify.
      const wrong = parseForm(v.form!, 'utf-8');
      expect(verifySign(wrong, wrong.sign, { key: v.key!, charset: 'utf-8' }).valid).toBe(false);
    });
  }
});
