import { describe, expect, it } from 'vitest';
import { parseAlipayTime } from './clock.js';
import { parseForm } from './form-encoding.js';
import { beijingDate, newEncryptKey, newNotifyId, newQuickLoginToken, newReturnNotifyId, newTradeNo, newUserId } from './identifiers.js';

const T0 = parseAlipayTime('2015-05-19 00:30:00'); // 2015-05-18 16:30 UTC

describe('identifiers in the shapes Alipay hands out', () => {
  it('dates trade numbers and tokens by the Beijing calendar, not UTC', () => {
    expect(beijingDate(T0)).toBe('20150519');
    expect(newTradeNo(T0)).toMatch(/^20150519\d{20}$/);
    expect(newQuickLoginToken(T0)).toMatch(/^20150519[0-9a-f]{29}X\d{2}$/);
  });

  it('makes user ids of 2088 + 12 digits and encrypt keys like KPrzY9IGG9iM9PgLGw==', () => {
    expect(newUserId()).toMatch(/^2088\d{12}$/);
    expect(newEncryptKey()).toMatch(/^[A-Za-z0-9+/]{19}=$/);
  });

  it('makes async notify_ids of 32 hex + 2 of [0-9a-z], all different', () => {
    const ids = new Set(Array.from({ length: 50 }, newNotifyId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}[0-9a-z]{2}$/);
  });

  it('makes return notify_ids whose escapes survive exactly one decode of the URL', () => {
    for (let i = 0; i < 20; i++) {
      const id = newReturnNotifyId();
      expect(id).toMatch(/^RqPnCoPT3K9%2Fvwbh3In[A-Za-z0-9%]+$/);
      expect(id).not.toMatch(/[/+]/);
      // On the wire the value's own "%" is escaped again; one decode gives the value back.
      expect(parseForm(`notify_id=${encodeURIComponent(id)}`, 'utf-8').notify_id).toBe(id);
    }
  });
});
