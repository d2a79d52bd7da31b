import { fromFen, toFen } from '../money.js';
import { baseFields, malformed, required, type MessageBase, type MessageVia } from './message-base.js';

/** The fee-refund part of a `result_details` item (after `$`, protocol.md §4.11). */
export interface RefundFeeResult {
  /** The account the fee is refunded from, e.g. `jax_chuanhang@alipay.com`. */
  account: string;
  /** That account's user id (2088…). */
  userId: string;
  /** The fee amount, as sent (`0.01`). */
  amount: string;
  amountFen: number;
  /** `SUCCESS` or an error code. */
  result: string;
  succeeded: boolean;
}

/** One trade of a refund batch, from `result_details` (protocol.md §4.11). */
export interface RefundResultItem {
  /** Alipay's trade number. */
  tradeNo: string;
  /** The refunded amount, as sent (`80`, `0.01`). */
  amount: string;
  amountFen: number;
  /** `SUCCESS` or an error code such as `TXN_RESULT_ACCOUNT_BALANCE_NOT_ENOUGH`. */
  result: string;
  succeeded: boolean;
  /** Present when the service fee was refunded too. */
  fee?: RefundFeeResult;
}

/** A `batch_refund_notify` notification (protocol.md §4.11). */
export interface BatchRefundNotifyMessage extends MessageBase {
  kind: 'batch_refund_notify';
  batch_no: string;
  /** How many refunds of the batch succeeded. */
  success_num?: string;
  /** The raw `trade_no^amount^result[$fee_account^fee_user_id^fee_amount^result]#…` text. */
  result_details?: string;
  /** `success_num` as a number. */
  successCount?: number;
  /** `result_details`, parsed; empty when absent. */
  items: RefundResultItem[];
}

/**
 * Reads a `batch_refund_notify` notification; `batch_no` is required.
 * @example
 * parseBatchRefundNotify({ notify_type: 'batch_refund_notify', batch_no: '20150101001',
 *   success_num: '1', result_details: '2015…^0.01^SUCCESS' }, 'notify').items[0]?.succeeded // true
 */
export function parseBatchRefundNotify(raw: Readonly<Record<string, string>>, via: MessageVia): BatchRefundNotifyMessage {
  const message: BatchRefundNotifyMessage = {
    ...baseFields(raw, via),
    kind: 'batch_refund_notify',
    batch_no: required(raw, 'batch_no', 'batch_refund_notify'),
    items: [],
  };
  if (raw.success_num) {
    if (!/^\d+$/.test(raw.success_num)) throw malformed(`success_num="${raw.success_num}" is not a count`);
    message.success_num = raw.success_num;
    message.successCount = Number(raw.success_num);
  }
  if (raw.result_details) {
    message.result_details = raw.result_details;
    message.items = parseResultDetails(raw.result_details);
  }
  return message;
}

/**
 * Splits `result_details`: items joined by `#`, each `trade_no^amount^result`, optionally followed
 * by `$fee_account^fee_user_id^fee_amount^result` when the fee was refunded (protocol.md §4.11).
 * @example
 * parseResultDetails('2010031906272929^80^SUCCESS$jax_chuanhang@alipay.com^2088101003147483^0.01^SUCCESS')
 * // [{ tradeNo: '2010031906272929', amount: '80', amountFen: 8000, result: 'SUCCESS', succeeded: true,
 * //    fee: { account: 'jax_chuanhang@alipay.com', userId: '2088101003147483', amount: '0.01', amountFen: 1, result: 'SUCCESS', succeeded: true } }]
 */
export function parseResultDetails(text: string): RefundResultItem[] {
  const items: RefundResultItem[] = [];
  for (const entry of text.split('#')) {
    if (entry === '') continue;
    const [main = '', feePart] = splitOnce(entry, '$');
    const parts = main.split('^');
    if (parts.length !== 3) throw malformed(`result_details item "${entry}" is not trade_no^amount^result`);
    const [tradeNo, amount, result] = parts as [string, string, string];
    const item: RefundResultItem = { tradeNo, amount, amountFen: fen(amount, entry), result, succeeded: result === 'SUCCESS' };
    if (feePart !== undefined) {
      const fee = feePart.split('^');
      if (fee.length !== 4) throw malformed(`result_details fee part "${feePart}" is not account^user_id^amount^result`);
      const [account, userId, feeAmount, feeResult] = fee as [string, string, string, string];
      item.fee = { account, userId, amount: feeAmount, amountFen: fen(feeAmount, entry), result: feeResult, succeeded: feeResult === 'SUCCESS' };
    }
    items.push(item);
  }
  return items;
}

/** What `renderResultDetails` writes for one trade; amounts in fen. */
export interface RefundResultInput {
  tradeNo: string;
  amountFen: number;
  result: string;
  fee?: { account: string; userId: string; amountFen: number; result: string };
}

/**
 * Writes `result_details` for a refund batch (the sandbox's side of `parseResultDetails`).
 * @example renderResultDetails([{ tradeNo: '2015…01', amountFen: 1, result: 'SUCCESS' }]) // '2015…01^0.01^SUCCESS'
 */
export function renderResultDetails(items: readonly RefundResultInput[]): string {
  return items
    .map((item) => {
      let out = `${item.tradeNo}^${fromFen(item.amountFen)}^${item.result}`;
      if (item.fee) out += `$${item.fee.account}^${item.fee.userId}^${fromFen(item.fee.amountFen)}^${item.fee.result}`;
      return out;
    })
    .join('#');
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function fen(amount: string, entry: string): number {
  try {
    return toFen(amount, 'result_details');
  } catch {
    throw malformed(`result_details item "${entry}" has a malformed amount "${amount}"`);
  }
}
