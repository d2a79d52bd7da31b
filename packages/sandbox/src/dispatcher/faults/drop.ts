import type { Fault } from './fault.js';

/** The attempt is "lost on the way": never sent, recorded as failed, retried on the schedule. */
export const drop = {
  kind: 'drop',
  async send() {
    return { durationMs: 0, httpStatus: null, responseBody: null, error: 'dropped by an injected fault: never sent', warning: null, acknowledged: false };
  },
} as const satisfies Fault;
