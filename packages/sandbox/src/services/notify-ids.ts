import type { SandboxDeps } from '../deps.js';

/**
 * notify_verify (decisions.md §1–3): `true` once per arming (a return's id within 60 s of the
 * redirect; an async id within 60 s of each delivery attempt, until acknowledged), `false` for an
 * unknown id, another partner's, a second check, an expired or acknowledged one; `invalid` when
 * partner or notify_id is missing or empty. One guarded UPDATE, so two concurrent checks cannot
 * both get `true`.
 */
export async function verifyNotifyId(deps: SandboxDeps, partner: string | undefined, notifyId: string | undefined): Promise<'true' | 'false' | 'invalid'> {
  if (!partner || !notifyId) return 'invalid';
  const now = deps.clock.now();
  const result = await deps.db
    .updateTable('notify_ids')
    .set({ used: 1 })
    .where('notify_id', '=', notifyId)
    .where('partner', '=', partner)
    .where('used', '=', 0)
    .where('acknowledged', '=', 0)
    .where('armed_until', '>=', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? 'true' : 'false';
}
