import { describe, expect, it } from 'vitest';
import { parseAlipayTime } from '../clock.js';
import type { GatewayError } from '../errors.js';
import { itBPayDeadline, itBPayProblem, timeoutDaysMs } from './formats.js';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

describe('it_b_pay', () => {
  const created = parseAlipayTime('2015-05-19 09:16:44');

  it('closes so many minutes, hours or days after creation', () => {
    expect(itBPayDeadline('90m', created)).toBe(created + 90 * MINUTE);
    expect(itBPayDeadline('2h', created)).toBe(created + 120 * MINUTE);
    expect(itBPayDeadline('15d', created)).toBe(created + 15 * DAY);
  });

  it('closes a 1c trade at the coming midnight, Beijing time', () => {
    expect(itBPayDeadline('1c', created)).toBe(parseAlipayTime('2015-05-20 00:00:00'));
    expect(itBPayDeadline('1c', parseAlipayTime('2015-05-19 23:59:59'))).toBe(parseAlipayTime('2015-05-20 00:00:00'));
  });

  it('refuses what the request check refuses, with the same code and parameter', () => {
    for (const bad of ['1.5h', '16d', '0m', '2c', '']) {
      expect(itBPayProblem(bad)).toBeDefined();
      expect(() => itBPayDeadline(bad, created)).toThrow(expect.objectContaining({ code: 'ILLEGAL_ARGUMENT', param: 'it_b_pay' }) as GatewayError);
    }
  });
});

describe('custom timeouts in days', () => {
  it('reads whole and decimal days exactly', () => {
    expect(timeoutDaysMs('10')).toBe(10 * DAY);
    expect(timeoutDaysMs('7.5')).toBe(7 * DAY + DAY / 2);
    expect(timeoutDaysMs('0.01')).toBe(864_000);
    expect(Number.isSafeInteger(timeoutDaysMs('999.99'))).toBe(true);
  });

  it('refuses zero, three decimals and words as ILLEGAL_ARGUMENT of the named parameter', () => {
    for (const bad of ['0', '0.00', '1.234', 'ten', '-1', '1000']) {
      expect(() => timeoutDaysMs(bad, 't_s_send_1')).toThrow(expect.objectContaining({ code: 'ILLEGAL_ARGUMENT', param: 't_s_send_1' }) as GatewayError);
    }
  });
});
