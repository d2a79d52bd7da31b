import { describe, expect, it } from 'vitest';
import { javaTrim, readAck } from './ack.js';

describe('readAck (decisions.md §6)', () => {
  it('acknowledges exactly "success", and "success" with characters up to U+0020 around it with a warning', () => {
    expect(readAck(200, 'success')).toEqual({ acknowledged: true, warning: null, error: null });
    for (const body of ['success\n', '  success\r\n', '\tsuccess\u0000']) {
      const ack = readAck(200, body);
      expect(ack.acknowledged).toBe(true);
      expect(ack.warning).toMatch(/whitespace/);
    }
  });

  it('does not remove a byte-order mark or other invisible characters above U+0020, and shows them in hex', () => {
    const bom = readAck(200, '\uFEFFsuccess');
    expect(bom.acknowledged).toBe(false);
    expect(bom.error).toContain('first bytes ef bb bf 73 75 63 63 65 73 73');
    expect(bom.error).toMatch(/byte-order mark/);
    expect(readAck(200, 'success\u00A0').acknowledged).toBe(false);
    expect(readAck(200, '\u200Bsuccess').acknowledged).toBe(false);
    expect(readAck(200, 'SUCCESS').error).toContain('53 55 43 43 45 53 53');
    expect(readAck(200, '').error).toContain('(empty)');
  });

  it('refuses anything but HTTP 200, saying redirects are not followed', () => {
    expect(readAck(500, 'success').acknowledged).toBe(false);
    expect(readAck(302, '').error).toMatch(/redirects are not followed/);
  });

  it('javaTrim removes exactly the characters up to U+0020', () => {
    expect(javaTrim('\u0000\u001f success \u0020')).toBe('success');
    expect(javaTrim('\u00a0success')).toBe('\u00a0success');
  });
});
