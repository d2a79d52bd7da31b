import { randomBytes } from 'node:crypto';
import type { Charset } from 'alipay-legacy';
import { encodeText } from 'alipay-legacy/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listTrades } from '../../src/services/index.js';
import { receivedForms } from '../../src/services/notify-ids.js';
import { forEachDialect } from '../helpers/dialects.js';
import { PARTNER, directPayParams, pageErrorCode, signRequest } from '../helpers/gateway-client.js';
import { openSandbox, stateOf, type TestSandbox } from '../helpers/sandbox-fixture.js';

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

/**
 * A body as PHP's curl builds it when the official kit's `buildRequestHttp` hands it an array:
 * `multipart/form-data`, one part per parameter, values as raw bytes of the request's charset.
 */
function curlMultipart(params: Record<string, string>, charset: Charset): { contentType: string; body: Buffer } {
  const boundary = `------------------------${randomBytes(8).toString('hex')}`;
  const parts = Object.entries(params).map(([name, value]) =>
    Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`, 'latin1'), encodeText(value, charset), Buffer.from('\r\n')]),
  );
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]) };
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

  describe('multipart/form-data bodies (decisions.md §24)', () => {
    for (const charset of ['utf-8', 'gbk'] as const) {
      it(`reads a ${charset} multipart request like a url-encoded one, sign and charset included`, async () => {
        const params = signRequest(directPayParams({ subject: '多部分表单·测试商品' }), { charset });
        const { contentType, body } = curlMultipart(params, charset);
        const res = await sb.app.request(`/gateway.do?_input_charset=${charset}`, { method: 'POST', headers: { 'content-type': contentType }, body });
        expect(res.status, await res.clone().text()).toBe(303);
        const [trade] = await listTrades(sb.deps, { outTradeNo: params.out_trade_no! });
        expect(trade?.subject).toBe('多部分表单·测试商品');
      });
    }

    it('refuses a malformed multipart body as ILLEGAL_ARGUMENT, not a 5xx, and changes nothing', async () => {
      const before = await stateOf(sb.deps);
      const params = signRequest(directPayParams());
      const { contentType, body } = curlMultipart(params, 'utf-8');
      for (const broken of [body.subarray(0, body.length - 30), Buffer.from('no boundary here'), Buffer.alloc(0)]) {
        const res = await sb.app.request('/gateway.do?_input_charset=utf-8', { method: 'POST', headers: { 'content-type': contentType }, body: broken });
        expect(res.status).toBeLessThan(500);
        expect(pageErrorCode(await res.text())).toBe('ILLEGAL_ARGUMENT');
      }
      const noBoundary = await sb.app.request('/gateway.do', { method: 'POST', headers: { 'content-type': 'multipart/form-data' }, body });
      expect(noBoundary.status).toBeLessThan(500);
      expect(await stateOf(sb.deps)).toBe(before);
    });
  });
});
