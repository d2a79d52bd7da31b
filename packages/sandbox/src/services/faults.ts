import type { SandboxDeps } from '../deps.js';
import { findFault, FAULTS, type FaultKind } from '../dispatcher/faults/index.js';
import type { Tx } from '../store/store-writer.js';
import { SandboxError } from './errors.js';
import { requireMerchant } from './merchants.js';
import type { Fault } from './types.js';

/** The kinds the API accepts, as its refusal lists them: "none, drop, delay, duplicate, bad_sign or …". */
export function faultKindsText(): string {
  const kinds = ['none', ...FAULTS.map((f) => f.kind)];
  return `${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)}`;
}

/** What a fault of that kind takes besides `count` (`seconds`, with its default when left out); undefined for an unknown kind. */
export function faultParameters(kind: string): { seconds?: { default: number } } | undefined {
  if (kind === 'none') return {};
  const fault = findFault(kind);
  return fault && (fault.seconds ? { seconds: fault.seconds } : {});
}

/** A fault as the API's request gives it; setFault checks it. */
export interface FaultInput {
  kind: string;
  count?: number;
  seconds?: number;
}

/**
 * Sets (or with kind 'none' removes) the fault injected into a merchant's deliveries; what each
 * kind does is in its file under dispatcher/faults/. `count` limits how many attempts it acts on
 * (for delay: how many notifications it postpones).
 */
export async function setFault(deps: SandboxDeps, partner: string, fault: FaultInput): Promise<void> {
  await requireMerchant(deps, partner);
  await deps.db.deleteFrom('faults').where('partner', '=', partner).execute();
  if (fault.kind === 'none') return;
  const definition = findFault(fault.kind);
  if (!definition) throw new SandboxError('BAD_INPUT', `unknown fault kind ${fault.kind}`);
  const count = fault.count;
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) throw new SandboxError('BAD_INPUT', 'fault count must be a whole number ≥ 1');
  let seconds: number | null = null;
  if (definition.seconds) {
    if (fault.seconds === undefined || !Number.isFinite(fault.seconds) || fault.seconds <= 0) throw new SandboxError('BAD_INPUT', `a ${fault.kind} fault needs seconds > 0`);
    seconds = Math.round(fault.seconds);
  }
  await deps.db
    .insertInto('faults')
    .values({ partner, kind: fault.kind, remaining: count ?? null, delay_seconds: seconds, created_at: deps.clock.now() })
    .execute();
}

export async function getFault(deps: SandboxDeps, partner: string): Promise<Fault> {
  await requireMerchant(deps, partner);
  const row = await deps.db.selectFrom('faults').selectAll().where('partner', '=', partner).executeTakeFirst();
  const definition = row && findFault(row.kind);
  if (!row || !definition) return { kind: 'none' };
  const count = row.remaining === null ? {} : { count: row.remaining };
  if (definition.seconds) return { kind: definition.kind, seconds: row.delay_seconds ?? 0, ...count };
  return { kind: definition.kind, ...count };
}

/**
 * In a payment's transaction at the cashier: whether the merchant's fault is `kind` (one that acts
 * in the cashier, as skip_return), counting it down as the dispatcher counts its faults (removed
 * when its count runs out). A payment rolled back gives the count back.
 */
export async function takeCashierFault(trx: Tx, partner: string, kind: FaultKind): Promise<boolean> {
  const row = await trx.selectFrom('faults').selectAll().where('partner', '=', partner).executeTakeFirst();
  if (!row || row.kind !== kind || findFault(kind)?.actsIn !== 'cashier') return false;
  if (row.remaining === null) return true;
  if (row.remaining <= 1) await trx.deleteFrom('faults').where('partner', '=', partner).execute();
  else await trx.updateTable('faults').set({ remaining: row.remaining - 1 }).where('partner', '=', partner).execute();
  return true;
}
