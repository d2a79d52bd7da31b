import type { NotificationRow } from '../../store/store-writer.js';
import type { Fault } from './fault.js';

/**
 * Each notification's first attempt is postponed by `seconds` of virtual time, once, so a return
 * can reach the merchant before its notification. The postponed attempt is recorded as `delay`.
 */
export const delay = {
  kind: 'delay',
  seconds: { default: 60 },
  actsOn: (n: NotificationRow) => n.state === 'pending' && n.attempts === 0 && n.delayed === 0,
  async holdBack(trx, n, setting, now) {
    await trx
      .updateTable('notifications')
      .set({ next_attempt_at: now + (setting.delay_seconds ?? 0) * 1000, delayed: 1 })
      .where('id', '=', n.id)
      .where('state', '=', 'pending')
      .execute();
  },
  marks: (n: NotificationRow) => n.delayed === 1 && n.attempts === 0,
} as const satisfies Fault;
