import { describe, expect, it } from 'vitest';
import type { AttemptActivity, RequestActivity } from './activity.js';
import { formatActivity, visible } from './lines.js';

/** Any control character left on a line once the line's own colour codes are taken out. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/;
const withoutColour = (line: string) => line.replace(/\u001b\[\d+m/g, '');

describe('terminal lines', () => {
  // A request anyone can send: its service and out_trade_no carry a window title (OSC), a screen clear and a C1 CSI.
  const request: RequestActivity = {
    type: 'request',
    at: 0,
    time: '2026-12-03 08:00:00',
    method: 'GET',
    service: '\u001b]0;pwned\u0007create_direct_pay_by_user',
    partner: null,
    out_trade_no: 'T1\u001b[2J\u009b2J\r\n',
    trade_no: null,
    result: 'ILLEGAL_SERVICE',
    http_status: 200,
    duration_ms: 1,
  };
  const attempt: AttemptActivity = {
    type: 'attempt',
    id: 1,
    at: 0,
    time: '2026-12-03 08:00:00',
    notification_id: 7,
    number: 1,
    trade_no: '2026120300000000000000000001',
    batch_no: null,
    out_trade_no: 'T1',
    partner: '2088328287403500',
    notify_type: 'trade_status_sync',
    trade_status: 'TRADE_FINISHED',
    refund_status: null,
    url: 'http://127.0.0.1:9/notify',
    http_status: 200,
    response_body: 'fail\u001b[31m\u009b0m\u007f',
    error: null,
    warning: null,
    fault: null,
    duration_ms: 3,
    acknowledged: false,
    state: 'retrying',
    next_attempt_at: null,
    next_attempt_time: null,
    replay_of: null,
  };

  it('shows the control characters of what callers and merchants sent as text, with colour or without', () => {
    for (const color of [false, true]) {
      const line = formatActivity(request, { color });
      expect(withoutColour(line)).not.toMatch(CONTROLS);
      expect(line).toContain('\\u001b]0;pwned\\u0007create_direct_pay_by_user');
      expect(line).toContain('T1\\u001b[2J\\u009b2J\\u000d\\u000a');
      const answer = formatActivity(attempt, { color });
      expect(withoutColour(answer)).not.toMatch(CONTROLS);
      expect(answer).toContain('"fail\\u001b[31m\\u009b0m\\u007f"');
    }
  });

  it('leaves ordinary text as it is', () => {
    expect(visible('create_direct_pay_by_user 测试 ¥0.01')).toBe('create_direct_pay_by_user 测试 ¥0.01');
    expect(formatActivity({ ...request, service: 'create_direct_pay_by_user', out_trade_no: 'T1' }, { color: false })).toBe(
      '12-03 08:00:00  gateway   create_direct_pay_by_user  T1  ILLEGAL_SERVICE  200, 1 ms',
    );
  });
});
