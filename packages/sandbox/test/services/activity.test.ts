import { afterEach, expect, it } from 'vitest';
import type { Activity } from '../../src/activity/activity.js';
import { createActivityFeed } from '../../src/activity/feed.js';
import { formatActivity } from '../../src/activity/lines.js';
import { activityCursor, payTrade, readActivity } from '../../src/services/index.js';
import { forEachDialect } from '../helpers/dialects.js';
import { BUYER, directParams, open } from '../helpers/trades.js';
import { openSandbox, recordingFetch, type TestSandbox } from '../helpers/sandbox-fixture.js';

let sb: TestSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

forEachDialect('the activity the store records', (dialect) => {
  it('reads trade changes and finished attempts after a cursor, each once, with the next attempt of a failing one', async () => {
    const answers = ['', 'success'];
    sb = await openSandbox(dialect, { fetch: recordingFetch(() => new Response(answers.shift() ?? 'success', { status: 200 })).fetch });
    const before = await open(sb.deps, directParams({ notify_url: 'http://127.0.0.1:9/notify' }));
    const cursor = await activityCursor(sb.deps);
    const trade = await open(sb.deps, directParams({ notify_url: 'http://127.0.0.1:9/notify' }));
    await payTrade(sb.deps, trade.tradeNo, { buyerId: BUYER.userId });
    await sb.deps.dispatcher.runDue();

    const first = await readActivity(sb.deps, cursor);
    expect(first.map((a) => (a.type === 'trade' ? `${a.kind} ${a.to_status}` : `attempt ${a.number} ${a.state}`))).toEqual([
      'created WAIT_BUYER_PAY',
      'paid TRADE_FINISHED',
      'attempt 1 retrying',
    ]);
    expect(first.every((a) => a.type !== 'trade' || a.trade_no !== before.tradeNo)).toBe(true);
    const attempt = first[2] as Extract<Activity, { type: 'attempt' }>;
    expect(attempt).toMatchObject({ out_trade_no: trade.outTradeNo, trade_status: 'TRADE_FINISHED', http_status: 200, response_body: '', acknowledged: false });
    expect(attempt.next_attempt_at).toBe(attempt.at + 2 * 60_000);
    expect(await readActivity(sb.deps, cursor)).toEqual([]);

    await sb.deps.clock.advance(120);
    const second = await readActivity(sb.deps, cursor);
    expect(second).toMatchObject([{ type: 'attempt', number: 2, state: 'acknowledged', next_attempt_at: null, response_body: 'success' }]);
    // The first attempt's line says what became of it, whatever happened since.
    expect(formatActivity(attempt, { color: false })).toMatch(/attempt 1 → HTTP 200 ""  \d+ ms  retrying, next \d\d-\d\d \d\d:\d\d:\d\d/);
  });

  it('streams to listeners what happens after they subscribed, and stops when they leave', async () => {
    sb = await openSandbox(dialect);
    const feed = createActivityFeed(sb.deps, { pollMs: 10 });
    const seen: Activity[] = [];
    await open(sb.deps, directParams());
    const stop = await feed.subscribe((a) => seen.push(a));
    expect(feed.listening()).toBe(true);
    const trade = await open(sb.deps, directParams());
    const deadline = Date.now() + 5000;
    while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toMatchObject([{ type: 'trade', kind: 'created', trade_no: trade.tradeNo }]);
    stop();
    expect(feed.listening()).toBe(false);
    feed.close();
  });
});
