import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receivedForms } from '../../src/services/notify-ids.js';
import { forEachDialect } from '../helpers/dialects.js';
import { PARTNER } from './gateway-client.js';
import { openSandbox, type TestSandbox } from './sandbox-fixture.js';

/**
 * What the official merchant kits (PHP and Java v3.3) and their ports send, byte for byte, and what
 * the sandbox must answer as the real gateway did (decisions.md §23–26).
 */

/** Stores a return notify_id armed for 60 s, as a redirect to return_url does. */
async function armReturnId(sb: TestSandbox, notifyId: string): Promise<void> {
  const now = sb.deps.clock.now();
  await sb.deps.db
    .insertInto('notify_ids')
    .values({ notify_id: notifyId, partner: PARTNER, kind: 'return', notification_id: null, armed_until: now + 60_000, used: 0, acknowledged: 0, created_at: now })
    .execute();
}

describe('receivedForms', () => {
  it('maps a raw-appended id back to its stored form', () => {
    expect(receivedForms('RqPn/vwbh+x')).toContain('RqPn%2Fvwbh%2Bx');
    expect(receivedForms('ab cd')).toContain('ab+cd');
    expect(receivedForms('1d583bc9cf21ed879bcd428fd53ed5e16w')).toEqual(['1d583bc9cf21ed879bcd428fd53ed5e16w']);
  });
});

forEachDialect('official kits', (dialect) => {
  let sb: TestSandbox;
  beforeEach(async () => {
    sb = await openSandbox(dialect);
  });
  afterEach(() => sb.close());

  const verify = async (rawQueryValue: string, path = '/gateway.do?service=notify_verify&') =>
    (await sb.app.request(`${path}partner=${PARTNER}&notify_id=${rawQueryValue}`)).text();

  describe('notify_verify with a return notify_id (decisions.md §23)', () => {
    const stored = 'RqPnCoPT3K9%2Fvwbh3In%2BZ0s9kQ%2Fa';

    it('answers true to the id appended raw, as the PHP and Java kits do, and only once whatever the form', async () => {
      await armReturnId(sb, stored);
      // The kit appends the value it read from return_url (escapes intact) without encoding it.
      expect(await verify(stored)).toBe('true');
      expect(await verify(encodeURIComponent(stored))).toBe('false');
      expect(await verify(stored)).toBe('false');
    });

    it('answers true to the id encoded once more (the docs\' form), and on the legacy ATN URL too', async () => {
      await armReturnId(sb, stored);
      expect(await verify(encodeURIComponent(stored), '/trade/notify_query.do?')).toBe('true');
      expect(await verify(stored, '/trade/notify_query.do?')).toBe('false');
    });

    it('reads a raw "+" that arrived as a space as the "+" it was', async () => {
      await armReturnId(sb, 'abc+def/ghi');
      expect(await verify('abc+def/ghi')).toBe('true');
    });

    it('keeps the one-minute validity for the raw form', async () => {
      await armReturnId(sb, stored);
      await sb.deps.clock.advance(61);
      expect(await verify(stored)).toBe('false');
    });
  });
});
