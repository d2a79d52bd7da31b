import { describe, expect, it } from 'vitest';
import { withAlteredSign } from './bad-sign.js';

describe('withAlteredSign', () => {
  it('changes the sign whatever its first character, also for a verifier that ignores the hex case', () => {
    for (const first of '0123456789abcdefABCDEF+/=') {
      const sign = `${first}bd13b52823b576291595f472ebcfbc2`;
      const altered = new URLSearchParams(withAlteredSign(`a=1&sign=${encodeURIComponent(sign)}&sign_type=MD5`)).get('sign')!;
      expect(altered.toLowerCase()).not.toBe(sign.toLowerCase());
      expect(altered.slice(1)).toBe(sign.slice(1));
    }
  });

  it('leaves other parameters whose names end in "sign" alone', () => {
    expect(withAlteredSign('design=x&sign=abc')).toBe('design=x&sign=0bc');
  });
});
