import { badSign } from './bad-sign.js';
import { delay } from './delay.js';
import { drop } from './drop.js';
import { duplicate } from './duplicate.js';
import { reorder } from './reorder.js';
import { skipReturn } from './skip-return.js';
import type { Fault, FaultSetting } from './fault.js';

/** Every fault the API accepts, in the order its error message lists them. A new fault is a file here and its line in this list. */
export const FAULTS = [drop, delay, duplicate, badSign, reorder, skipReturn] as const satisfies readonly Fault[];

export type FaultKind = (typeof FAULTS)[number]['kind'];

export type { Fault, FaultSetting };

const byKind = new Map<string, Fault>(FAULTS.map((f) => [f.kind, f]));

/** The fault of that kind, if there is one. */
export function findFault(kind: string): (Fault & { kind: FaultKind }) | undefined {
  return byKind.get(kind) as (Fault & { kind: FaultKind }) | undefined;
}

