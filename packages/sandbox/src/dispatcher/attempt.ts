import type { Charset } from 'alipay-legacy';
import type { AttemptOutcome, ClaimedAttempt } from '../store/store-writer.js';
import { readAck } from './ack.js';
import { findFault } from './faults/index.js';
import { postNotification } from './post.js';

/** What one send of an attempt gave, before its end is stamped. */
export type Delivery = Omit<AttemptOutcome, 'finishedAt'>;

export interface AttemptOptions {
  /** Per-attempt HTTP timeout in ms (decisions.md §5). */
  timeoutMs: number;
  fetch?: typeof fetch | undefined;
  /** The virtual clock: the attempt's end is stamped with it. */
  now: () => number;
}

/**
 * Makes one claimed attempt: POSTs the notification and reads the merchant's answer
 * (decisions.md §5–6), or lets the attempt's injected fault send it its way (faults/). Never
 * throws for the merchant's sake: a refused connection or a timeout is a failed outcome.
 */
export async function makeAttempt(claim: ClaimedAttempt, options: AttemptOptions): Promise<AttemptOutcome> {
  const n = claim.notification;
  const send = async (body: string = n.body): Promise<Delivery> => {
    const sent = await postNotification(n.url, body, { charset: n.charset as Charset, timeoutMs: options.timeoutMs, fetch: options.fetch });
    const ack = sent.status === null ? { acknowledged: false, warning: null, error: sent.error } : readAck(sent.status, sent.body ?? '');
    return {
      durationMs: sent.durationMs,
      httpStatus: sent.status,
      responseBody: sent.body,
      error: ack.acknowledged ? null : ack.error,
      warning: ack.warning,
      acknowledged: ack.acknowledged,
    };
  };
  const fault = claim.fault === null ? undefined : findFault(claim.fault);
  const delivery = fault?.send ? await fault.send(send, n.body) : await send();
  return { finishedAt: options.now(), ...delivery };
}
