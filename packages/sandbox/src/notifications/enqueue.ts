import type { Charset, SignType } from 'alipay-legacy';
import { encodeForm, newNotifyId, signMessage } from 'alipay-legacy/protocol';
import { ALIPAY_RSA_PRIVATE_KEY } from '../seed-keys.js';
import type { NewNotification, Tx, WriteTx } from '../store/store-writer.js';

export interface EnqueueInput {
  partner: string;
  /** The merchant's MD5 key (RSA messages are signed with the sandbox's "Alipay" key). */
  key: string;
  url: string;
  notifyType: string;
  charset: Charset;
  signType: SignType;
  /** Everything but notify_id, sign and sign_type; built with the notify_id given to `build`. */
  build: (notifyId: string) => Record<string, string | undefined>;
  tradeNo?: string;
  batchNo?: string;
  /** The place in the ordering key's order, when the caller keeps count (trades do); else max + 1. */
  sequence?: number;
  now: number;
  replayOf?: number;
}

/**
 * Writes a notification into the outbox, inside the caller's transaction (decisions.md §8: the
 * notification commits with the change that causes it; the transaction then tells the dispatcher).
 * Its notify_id is stored unarmed: each delivery attempt arms it for 60 s (decisions.md §2).
 * Returns the new notification's id.
 */
export async function enqueueNotification(tx: WriteTx, input: EnqueueInput): Promise<number> {
  return (await tx.enqueue(await newNotification(tx.db, input))).id;
}

/** The notification to store: its row (signed message, body, place in its order) and its notify_id. */
export async function newNotification(trx: Tx, input: EnqueueInput): Promise<NewNotification> {
  const notifyId = newNotifyId();
  // RSA messages are signed with the sandbox's "Alipay" key (protocol.md §2.3).
  const params = signMessage(input.build(notifyId), { key: input.key, signType: input.signType, charset: input.charset, privateKey: ALIPAY_RSA_PRIVATE_KEY });
  const orderingKey = input.tradeNo ?? `batch:${input.partner}:${input.batchNo ?? ''}`;
  let sequence = input.sequence;
  if (sequence === undefined) {
    // The batch row was updated under a guard earlier in this transaction, so concurrent writers
    // for the same key are serialized and max(sequence) is stable.
    const last = await trx
      .selectFrom('notifications')
      .select((eb) => eb.fn.max('sequence').as('seq'))
      .where('ordering_key', '=', orderingKey)
      .executeTakeFirst();
    sequence = Number(last?.seq ?? 0) + 1;
  }
  return {
    notifyId,
    partner: input.partner,
    now: input.now,
    values: {
      trade_no: input.tradeNo ?? null,
      batch_no: input.batchNo ?? null,
      ordering_key: orderingKey,
      sequence,
      partner: input.partner,
      url: input.url,
      notify_type: input.notifyType,
      charset: input.charset,
      notify_id: notifyId,
      params: JSON.stringify(params),
      body: encodeForm(params, input.charset),
      state: 'pending',
      attempts: 0,
      next_attempt_at: input.now,
      locked_until: null,
      locked_by: null,
      delayed: 0,
      replay_of: input.replayOf ?? null,
      last_error: null,
      created_at: input.now,
      acknowledged_at: null,
    },
  };
}

