import { describe, expect, it } from 'vitest';
import { sign } from './sign.js';
import { signMessage } from './sign-message.js';

const KEY = '10000000000000000000000000000000';

describe('signMessage', () => {
  it('drops empty values and an old sign, then appends sign and sign_type', () => {
    const signed = signMessage({ service: 'test', partner: '123', body: '', extra: null, sign: 'old', sign_type: 'RSA' }, { signType: 'MD5', key: KEY });
    // protocol.md §2.6 V1
    expect(signed).toEqual({ service: 'test', partner: '123', sign: 'bbd13b52823b576291595f472ebcfbc2', sign_type: 'MD5' });
    expect(Object.keys(signed)).toEqual(['service', 'partner', 'sign', 'sign_type']);
  });

  it('signs in the given charset, as sign() does', () => {
    const params = { partner: '123', service: 'test', subject: '测试' };
    // protocol.md §2.6 V11
    expect(signMessage(params, { signType: 'MD5', key: KEY, charset: 'gbk' }).sign).toBe('da62fc8c3a7b3b0f96df474bd522fbe3');
    expect(signMessage(params, { signType: 'MD5', key: KEY, charset: 'utf-8' }).sign).toBe(sign(params, { key: KEY, charset: 'utf-8' }));
  });
});
