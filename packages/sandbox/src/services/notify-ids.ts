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
    .where('notify_id', 'in', receivedForms(notifyId))
    .where('partner', '=', partner)
    .where('used', '=', 0)
    .where('acknowledged', '=', 0)
    .where('armed_until', '>=', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1 ? 'true' : 'false';
}

/**
 * The stored ids a received notify_id may stand for (decisions.md §23). A return's id holds percent
 * escapes (`…%2Fvwbh…`); the docs' clients encode it once more and the gateway reads it back as is,
 * while the official kits append it raw, so the gateway reads `/` for `%2F`, `+` for `%2B`, and a
 * space for a raw `+`. Ids are random and long, so the forms cannot name two different ids.
 */
export function receivedForms(received: string): string[] {
  const plus = received.replaceAll(' ', '+');
  const escaped = plus.replaceAll('%', '%25').replaceAll('/', '%2F').replaceAll('+', '%2B');
  return [...new Set([received, plus, escaped])];
}
