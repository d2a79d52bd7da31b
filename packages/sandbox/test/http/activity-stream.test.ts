import { afterEach, expect, it } from 'vitest';
import { eventStreamReader, type StreamEvent } from '../../src/cli/listen-command.js';
import { forEachDialect } from '../helpers/dialects.js';
import { directPayParams, gatewayGet } from '../helpers/gateway-client.js';
import { openSandbox, type TestSandbox } from '../helpers/sandbox-fixture.js';

let sb: TestSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

/** Opens the activity stream in process; `next(test)` reads events until one passes `test`. */
async function openStream(s: TestSandbox, lastEventId?: string) {
  const res = await s.app.request('/sandbox/api/activity', { headers: lastEventId ? { 'last-event-id': lastEventId } : {} });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const body = res.body!.getReader();
  const parser = eventStreamReader();
  const seen: StreamEvent[] = [];
  const decoder = new TextDecoder();
  return {
    seen,
    async next(test: (e: StreamEvent) => boolean): Promise<StreamEvent> {
      for (;;) {
        const found = seen.find(test);
        if (found) return found;
        const { done, value } = await body.read();
        if (done) throw new Error(`the stream ended; saw ${JSON.stringify(seen)}`);
        seen.push(...parser.push(decoder.decode(value, { stream: true })));
      }
    },
    close: () => body.cancel(),
  };
}

forEachDialect('GET /sandbox/api/activity', (dialect) => {
  it('streams what happens from the request on, and replays what a reconnecting client missed from this feed only', async () => {
    sb = await openSandbox(dialect);
    const first = await openStream(sb);
    await first.next((e) => e.event === 'ready');
    const params = directPayParams();
    await gatewayGet(sb.app, params);
    const request = await first.next((e) => e.event === 'request');
    expect(JSON.parse(request.data)).toMatchObject({ service: 'create_direct_pay_by_user', out_trade_no: params.out_trade_no, result: 'OK' });
    const created = await first.next((e) => e.event === 'trade');
    expect(JSON.parse(created.data)).toMatchObject({ kind: 'created', out_trade_no: params.out_trade_no });
    await first.close();

    // Reconnecting after the request: the trade change it missed comes first, then `ready`.
    const again = await openStream(sb, request.id);
    await again.next((e) => e.event === 'ready');
    expect(again.seen.map((e) => e.id)).toEqual([created.id, undefined]);
    await again.close();

    // An id of another feed (a sandbox since restarted) replays nothing.
    const other = await openStream(sb, `ffffffffffff.${request.id!.split('.')[1]}`);
    await other.next((e) => e.event === 'ready');
    expect(other.seen.map((e) => e.event)).toEqual(['ready']);
    await other.close();
  });
});
