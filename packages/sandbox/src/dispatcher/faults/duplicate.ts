import type { Fault } from './fault.js';

/**
 * The attempt is sent twice in a row, as a flaky network or a retrying proxy would. The first
 * answer is the one recorded; the attempt counts as acknowledged if either answer was `success`.
 */
export const duplicate = {
  kind: 'duplicate',
  async send(send) {
    const first = await send();
    const again = await send();
    const note = `sent twice by an injected fault; the second answer was ${again.httpStatus ?? again.error}`;
    const acknowledged = first.acknowledged || again.acknowledged;
    return { ...first, acknowledged, error: acknowledged ? null : first.error, warning: [first.warning, note].filter(Boolean).join('; ') };
  },
} as const satisfies Fault;
