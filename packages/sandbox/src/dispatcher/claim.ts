import type { ClaimedAttempt, ClaimOptions, NotificationRow, StoreWriter, ToSend, Tx } from '../store/store-writer.js';
import { FAULTS, findFault, type Fault, type FaultSetting } from './faults/index.js';

/**
 * Claims due notifications for this worker (the outbox's claim): the store's writer
 * picks the due rows and takes them its dialect's way (store-writer.ts says what it guarantees);
 * the faults set for their merchants act in the same transaction (faultsAtClaim).
 */
export async function claimDue(writer: StoreWriter, options: ClaimOptions): Promise<Claim> {
  let heldBack = false;
  const attempts = await writer.claimDue(options, (trx, rows, now) => faultsAtClaim(trx, rows, now, () => (heldBack = true)));
  return { attempts, heldBack };
}

/** A claim's attempts, and whether a fault held a notification back (what it let pass may be claimable at once: claim again). */
export interface Claim {
  attempts: ClaimedAttempt[];
  heldBack: boolean;
}

/**
 * The claim's fault step, inside the claim's transaction: for each notification picked, the fault
 * set for its merchant acts if it applies and its count allows — holding the notification back,
 * or marking the attempt so that attempt.ts sends it the fault's way — and the counts used are
 * written back (a fault whose count runs out is removed).
 */
export async function faultsAtClaim(trx: Tx, rows: NotificationRow[], now: number, onHold?: () => void): Promise<ToSend[]> {
  const partners = [...new Set(rows.map((r) => r.partner))];
  const settings = new Map((await trx.selectFrom('faults').selectAll().where('partner', 'in', partners).execute()).map((f) => [f.partner, f]));
  const used = new Map<string, number>();
  const left = (setting: FaultSetting): boolean => setting.remaining === null || (used.get(setting.partner) ?? 0) < setting.remaining;
  const use = (setting: FaultSetting): void => void used.set(setting.partner, (used.get(setting.partner) ?? 0) + 1);

  const toSend: ToSend[] = [];
  for (const row of rows) {
    const setting = settings.get(row.partner);
    const fault = setting && findFault(setting.kind);
    if (setting && fault && fault.actsIn !== 'cashier' && (fault.actsOn?.(row) ?? true) && left(setting)) {
      if (!fault.holdBack) {
        use(setting);
        toSend.push({ row, fault: fault.kind });
        continue;
      }
      if ((await fault.holdBack(trx, row, setting, now)) !== false) {
        use(setting);
        onHold?.();
        continue;
      }
    }
    toSend.push({ row, fault: FAULTS.find((f: Fault) => f.marks?.(row))?.kind ?? null });
  }
  const claimedRows = toSend.map((s) => s.row);
  for (const fault of FAULTS as readonly Fault[]) if (fault.claimed && claimedRows.length > 0) await fault.claimed(trx, claimedRows, now);
  for (const [partner, n] of used) {
    const remaining = settings.get(partner)!.remaining;
    if (remaining === null) continue;
    if (remaining <= n) await trx.deleteFrom('faults').where('partner', '=', partner).execute();
    else await trx.updateTable('faults').set({ remaining: remaining - n }).where('partner', '=', partner).execute();
  }
  return toSend;
}

/** The earliest next_attempt_at (or lock expiry) after `after` among undelivered notifications. */
export async function nextDueAt(db: Tx, after: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => [
      eb.fn.min(eb.case().when('state', 'in', ['pending', 'retrying']).then(eb.ref('next_attempt_at')).else(eb.ref('locked_until')).end()).as('at'),
    ])
    .where('state', 'in', ['pending', 'retrying', 'delivering'])
    .where((eb) =>
      eb.or([
        eb.and([eb('state', 'in', ['pending', 'retrying']), eb('next_attempt_at', '>', after)]),
        eb.and([eb('state', '=', 'delivering'), eb('locked_until', '>', after)]),
      ]),
    )
    .executeTakeFirst();
  return row?.at === null || row?.at === undefined ? undefined : Number(row.at);
}
