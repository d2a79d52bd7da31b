import { describe, expect, it } from 'vitest';
import { LOGIN_STATE_VALIDITY_MS, TOKEN_VALIDITY_MS, tokenExpiresAt } from './quick-login-token.js';

describe('quick-login token validity (protocol.md §12.11)', () => {
  it('lasts 30 minutes, the login state behind it 10', () => {
    expect(TOKEN_VALIDITY_MS).toBe(1_800_000);
    expect(LOGIN_STATE_VALIDITY_MS).toBe(600_000);
    expect(tokenExpiresAt(Date.UTC(2026, 11, 2, 10, 0, 0))).toBe(Date.UTC(2026, 11, 2, 10, 30, 0));
  });
});
