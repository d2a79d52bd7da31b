import { randomInt } from 'node:crypto';

/** Identifiers of the sandbox's own (the protocol's identifiers come from the SDK: trade_no, notify_id, tokens). */

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A process-unique worker id for the dispatcher. */
export function newWorkerId(): string {
  let out = '';
  for (let i = 0; i < 8; i++) out += ALNUM[randomInt(ALNUM.length)]!;
  return `w-${process.pid}-${out}`;
}
