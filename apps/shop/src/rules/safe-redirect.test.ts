import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ownPath } from './safe-redirect.js';

const SHOP = 'http://127.0.0.1:3000';

describe('ownPath (protocol.md §12.13 target_url, no open redirect)', () => {
  it('keeps the shop own pages, relative or absolute', () => {
    expect(ownPath('/products/three-body', SHOP)).toBe('/products/three-body');
    expect(ownPath('http://127.0.0.1:3000/cart?x=1', SHOP)).toBe('/cart?x=1');
  });
  it('refuses other origins and scheme tricks', () => {
    for (const target of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'http://127.0.0.1:3001/', ' //evil.example']) {
      expect(ownPath(target, SHOP)).toBeUndefined();
    }
  });
  it('never returns a target that leaves the shop, whatever the input', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = ownPath(s, SHOP);
        if (out === undefined) return true;
        return out.startsWith('/') && !out.startsWith('//') && new URL(out, SHOP).origin === SHOP;
      }),
    );
  });
});
