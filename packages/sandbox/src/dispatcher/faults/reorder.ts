import type { NotificationRow } from '../../store/store-writer.js';
import type { Fault } from './fault.js';

/** The ordering key a held notification waits under, out of its trade's order. */
const HELD = '#reorder';

/**
 * A trade's status notification is overtaken by the next one, as notifications may arrive out of
 * order (protocol.md §12.8; decisions.md §29): the first paid-or-later status notification of a
 * trade is taken out of the trade's order and goes right after the trade's next notification has
 * been sent, or on its own after `seconds` when no next one comes by then. Once per trade; the
 * count counts trades. The held notification's attempt is recorded as `reorder`.
 */
export const reorder = {
  kind: 'reorder',
  seconds: { default: 300 },
  actsOn: (n: NotificationRow) =>
    n.trade_no !== null && n.replay_of === null && n.state === 'pending' && n.attempts === 0 && n.held_by === null && statusOf(n) !== 'WAIT_BUYER_PAY',
  async holdBack(trx, n, setting, now) {
    // Once per trade: not when one of its notifications was held before.
    const before = await trx.selectFrom('notifications').select('id').where('trade_no', '=', n.trade_no).where('held_by', '=', 'reorder').limit(1).executeTakeFirst();
    if (before) return false;
    await trx
      .updateTable('notifications')
      .set({ ordering_key: `${n.ordering_key}${HELD}`, held_by: 'reorder', next_attempt_at: now + (setting.delay_seconds ?? 0) * 1000 })
      .where('id', '=', n.id)
      .where('state', '=', 'pending')
      .execute();
    return true;
  },
  marks: (n: NotificationRow) => n.held_by === 'reorder' && n.attempts === 0,
  async claimed(trx, claimed, now) {
    for (const n of claimed) {
      // Only a later notification of a trade can let a held one go: a trade's first has none before it.
      if (n.trade_no === null || n.sequence <= 1 || n.ordering_key.endsWith(HELD)) continue;
      // Back in the trade's order, due now: it waits there until this attempt has ended.
      await trx
        .updateTable('notifications')
        .set({ ordering_key: n.ordering_key, next_attempt_at: now })
        .where('ordering_key', '=', `${n.ordering_key}${HELD}`)
        .where('sequence', '<', n.sequence)
        .where('state', '=', 'pending')
        .where('attempts', '=', 0)
        .execute();
    }
  },
} as const satisfies Fault;

/** The trade_status a notification reports. */
function statusOf(n: NotificationRow): string | undefined {
  const params = (typeof n.params === 'string' ? JSON.parse(n.params) : n.params) as Record<string, string>;
  return params.trade_status;
}
