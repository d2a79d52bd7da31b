import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../src/dispatcher/attempt.js';
import { FAULTS, findFault } from '../../src/dispatcher/faults/index.js';
import { faultKindsText } from '../../src/services/faults.js';
import type { NotificationRow, Tx } from '../../src/store/store-writer.js';
import { faultsAtClaim } from '../../src/dispatcher/claim.js';

const answer = (overrides: Partial<Delivery>): Delivery => ({ durationMs: 3, httpStatus: 200, responseBody: 'success', error: null, warning: null, acknowledged: true, ...overrides });
const failed = answer({ httpStatus: 500, responseBody: 'oops', error: 'HTTP 500: the notify_url must answer 200 with the body "success"', acknowledged: false });

/** A send that answers each call with the next of `answers`, counting the calls. */
function sender(...answers: Delivery[]) {
  const calls = { count: 0 };
  const send = async () => answers[calls.count++]!;
  return { send, calls };
}

describe('injected faults (dispatcher/faults)', () => {
  it('have distinct kinds, each found by name, listed in the API’s refusal', () => {
    const kinds = FAULTS.map((f) => f.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const kind of kinds) expect(findFault(kind)?.kind).toBe(kind);
    expect(findFault('none')).toBeUndefined();
    expect(faultKindsText()).toBe('none, drop, delay, duplicate, bad_sign, reorder or skip_return');
  });

  it('drop: never sends, records a failed attempt', async () => {
    const { send, calls } = sender(answer({}));
    expect(await findFault('drop')!.send!(send, 'sign=x')).toEqual({
      durationMs: 0,
      httpStatus: null,
      responseBody: null,
      error: 'dropped by an injected fault: never sent',
      warning: null,
      acknowledged: false,
    });
    expect(calls.count).toBe(0);
  });

  it('duplicate: sends twice, records the first answer, acknowledged if either was', async () => {
    const duplicate = findFault('duplicate')!;
    const both = sender(answer({ warning: 'trimmed' }), answer({ httpStatus: 404, acknowledged: false, error: 'HTTP 404' }));
    expect(await duplicate.send!(both.send, 'sign=x')).toEqual(answer({ warning: 'trimmed; sent twice by an injected fault; the second answer was 404' }));
    expect(both.calls.count).toBe(2);

    const secondOnly = sender(failed, answer({ durationMs: 9 }));
    expect(await duplicate.send!(secondOnly.send, 'sign=x')).toEqual({ ...failed, acknowledged: true, error: null, warning: 'sent twice by an injected fault; the second answer was 200' });

    const neither = sender(failed, answer({ httpStatus: null, responseBody: null, acknowledged: false, error: 'ECONNREFUSED: connect ECONNREFUSED' }));
    expect(await duplicate.send!(neither.send, 'sign=x')).toEqual({ ...failed, warning: 'sent twice by an injected fault; the second answer was ECONNREFUSED: connect ECONNREFUSED' });
  });

  it('bad_sign: sends the body with its sign altered, and says so', async () => {
    const bodies: (string | undefined)[] = [];
    const send = async (body?: string) => {
      bodies.push(body);
      return failed;
    };
    const body = 'notify_id=abc&sign=Zx9%2Bq&sign_type=RSA&subject=sign%3Dkept';
    expect(await findFault('bad_sign')!.send!(send, body)).toEqual({ ...failed, warning: 'sent with an altered sign by an injected fault' });
    expect(bodies).toEqual(['notify_id=abc&sign=0x9%2Bq&sign_type=RSA&subject=sign%3Dkept']);
    const taken = await findFault('bad_sign')!.send!(async () => answer({}), 'sign=A1');
    expect(taken.warning).toMatch(/does not check the sign/);
  });

  it('delay: acts on a first attempt not yet postponed, and marks the postponed one', () => {
    const delay = findFault('delay')!;
    const row = (r: Partial<NotificationRow>) => ({ state: 'pending', attempts: 0, delayed: 0, ...r }) as NotificationRow;
    expect(delay.seconds).toEqual({ default: 60 });
    expect(delay.actsOn!(row({}))).toBe(true);
    expect(delay.actsOn!(row({ delayed: 1 }))).toBe(false);
    expect(delay.actsOn!(row({ state: 'retrying', attempts: 1 }))).toBe(false);
    expect(delay.marks!(row({ delayed: 1 }))).toBe(true);
    expect(delay.marks!(row({ delayed: 1, attempts: 1 }))).toBe(false);
  });

  it('skip_return: acts in the cashier, with no delivery hook, so the claim passes it by', async () => {
    const skip = findFault('skip_return')!;
    expect(skip.actsIn).toBe('cashier');
    expect([skip.actsOn, skip.holdBack, skip.marks, skip.send, skip.seconds]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    const row = { id: 1, partner: 'P', trade_no: null, sequence: 1, ordering_key: 'batch:P:1', state: 'pending', attempts: 0, delayed: 0, held_by: null } as NotificationRow;
    const trx = {
      selectFrom: () => ({ selectAll: () => ({ where: () => ({ execute: async () => [{ partner: 'P', kind: 'skip_return', remaining: 1, delay_seconds: null, created_at: 0 }] }) }) }),
    } as unknown as Tx;
    expect(await faultsAtClaim(trx, [row], 0)).toEqual([{ row, fault: null }]);
  });

  it('reorder: acts on a trade’s first attempt past WAIT_BUYER_PAY not held before, marks the one it held, takes a duration', () => {
    const reorder = findFault('reorder')!;
    const row = (status: string, r: Partial<NotificationRow> = {}) =>
      ({ trade_no: 'T', replay_of: null, state: 'pending', attempts: 0, held_by: null, params: JSON.stringify({ trade_status: status }), ...r }) as NotificationRow;
    expect(reorder.seconds).toEqual({ default: 300 });
    expect(reorder.actsOn!(row('WAIT_SELLER_SEND_GOODS'))).toBe(true);
    expect(reorder.actsOn!(row('TRADE_FINISHED'))).toBe(true);
    expect(reorder.actsOn!(row('WAIT_BUYER_PAY'))).toBe(false);
    expect(reorder.actsOn!(row('TRADE_FINISHED', { held_by: 'reorder' }))).toBe(false);
    expect(reorder.actsOn!(row('TRADE_FINISHED', { attempts: 1, state: 'retrying' }))).toBe(false);
    expect(reorder.actsOn!(row('TRADE_FINISHED', { replay_of: 4 }))).toBe(false);
    expect(reorder.actsOn!(row('TRADE_FINISHED', { trade_no: null }))).toBe(false);
    expect(reorder.marks!(row('TRADE_FINISHED', { held_by: 'reorder' }))).toBe(true);
    expect(reorder.marks!(row('TRADE_FINISHED', { held_by: 'reorder', attempts: 1 }))).toBe(false);
    expect(reorder.marks!(row('TRADE_FINISHED'))).toBe(false);
  });
});

