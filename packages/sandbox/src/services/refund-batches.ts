import { type Charset, formatAlipayTime, GatewayError, type SignType } from 'alipay-legacy';
import { type RefundResultInput, renderResultDetails } from 'alipay-legacy/protocol';
import type { SandboxDeps } from '../deps.js';
import { enqueueNotification } from '../notifications/enqueue.js';
import { toRefundBatch } from '../store/rows.js';
import { SandboxError } from './errors.js';
import { parseDetailData } from './refund-detail.js';
import { batchRefundItem, requestDataMismatch } from './trade-rules.js';
import { applyTransition, inTransaction, loadMerchant, loadTrade } from './trade-store.js';
import type { Merchant, RefundBatch } from './types.js';

export interface CreateRefundBatchInput {
  merchant: Merchant;
  /** The verified refund_fastpay_by_platform_pwd parameters, sign removed. */
  params: Record<string, string>;
  charset: Charset;
  signType: SignType;
}

/**
 * Records a refund_fastpay_by_platform_pwd batch awaiting the seller's confirmation on the sandbox
 * page (protocol.md §4.11). The parameters passed the SDK's `validateServiceRequest` (batch_no,
 * batch_num and detail_data agree). The same batch sent again while unconfirmed shows the same
 * batch; a batch_no used for other data or already confirmed is BATCH_NO_EXIST.
 */
export async function createRefundBatch(deps: SandboxDeps, input: CreateRefundBatchInput): Promise<RefundBatch> {
  const { merchant, params } = input;
  const batchNo = params.batch_no ?? '';
  const batchNum = parseDetailData(params.detail_data ?? '').length;
  const now = deps.clock.now();
  return inTransaction(deps, async (tx) => {
    const trx = tx.db;
    const existing = await trx.selectFrom('refund_batches').selectAll().where('partner', '=', merchant.partner).where('batch_no', '=', batchNo).executeTakeFirst();
    if (existing) {
      const batch = toRefundBatch(existing);
      if (batch.status === 'WAIT_SELLER_CONFIRM' && requestDataMismatch(batch.requestParams, params) === undefined) return batch;
      throw new GatewayError('BATCH_NO_EXIST', `batch_no ${batchNo} was already used`, { param: 'batch_no' });
    }
    const row = await trx
      .insertInto('refund_batches')
      .values({
        partner: merchant.partner,
        batch_no: batchNo,
        charset: input.charset,
        sign_type: input.signType,
        notify_url: params.notify_url || null,
        request_params: JSON.stringify(params),
        batch_num: batchNum,
        status: 'WAIT_SELLER_CONFIRM',
        success_num: null,
        result_details: null,
        created_at: now,
        confirmed_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRefundBatch(row);
  });
}

/**
 * The seller confirms the batch: each item is refunded (or gets its failure code), then
 * batch_refund_notify goes to the batch's notify_url and each refunded trade's trade_status_sync
 * (with refund_status and gmt_refund) to the trade's notify_url (protocol.md §4.11).
 */
export async function confirmRefundBatch(deps: SandboxDeps, batchNo: string, options: { partner?: string } = {}): Promise<RefundBatch> {
  const now = deps.clock.now();
  return inTransaction(deps, async (tx) => {
    const trx = tx.db;
    let q = trx.selectFrom('refund_batches').selectAll().where('batch_no', '=', batchNo);
    if (options.partner) q = q.where('partner', '=', options.partner);
    const row = await q.orderBy('id', 'desc').executeTakeFirst();
    if (!row) throw new SandboxError('NOT_FOUND', `no refund batch ${batchNo}`);
    const batch = toRefundBatch(row);
    const merchant = await loadMerchant(deps, trx, batch.partner);
    const results: RefundResultInput[] = [];
    let successNum = 0;
    for (const item of batch.items) {
      const trade = await loadTrade(trx, item.tradeNo);
      const outcome = batchRefundItem(trade, { partner: batch.partner, amountFen: item.amountFen, now });
      const status = 'code' in outcome ? outcome.code : 'SUCCESS';
      if (!('code' in outcome)) {
        successNum++;
        await applyTransition(tx, merchant, outcome, now);
        await trx
          .updateTable('buyers')
          .set((eb) => ({ balance_fen: eb('balance_fen', '+', item.amountFen) }))
          .where('user_id', '=', outcome.trade.buyerId ?? '')
          .execute();
      }
      if (trade) {
        await trx
          .insertInto('refunds')
          .values({
            trade_no: trade.tradeNo,
            kind: 'batch',
            batch_id: batch.id,
            amount_fen: item.amountFen,
            reason: item.reason,
            return_goods: 0,
            status: 'code' in outcome ? outcome.code : 'REFUND_SUCCESS',
            created_at: now,
            updated_at: now,
          })
          .execute();
      }
      results.push({ tradeNo: item.tradeNo, amountFen: item.amountFen, result: status });
    }
    const resultDetails = renderResultDetails(results);
    // Guarded by status, so a batch is confirmed once even when two clicks race.
    const done = await trx
      .updateTable('refund_batches')
      .set({ status: 'DONE', success_num: successNum, result_details: resultDetails, confirmed_at: now })
      .where('id', '=', batch.id)
      .where('status', '=', 'WAIT_SELLER_CONFIRM')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new SandboxError('BAD_STATE', `refund batch ${batchNo} was already confirmed`);
    if (batch.notifyUrl) {
      await enqueueNotification(tx, {
        partner: batch.partner,
        key: merchant.key,
        url: batch.notifyUrl,
        notifyType: 'batch_refund_notify',
        charset: batch.charset,
        signType: batch.signType,
        batchNo: batch.batchNo,
        now,
        build: (notifyId) => ({
          notify_time: formatAlipayTime(now),
          notify_type: 'batch_refund_notify',
          notify_id: notifyId,
          batch_no: batch.batchNo,
          success_num: String(successNum),
          result_details: resultDetails,
        }),
      });
    }
    return { ...batch, status: 'DONE', successNum, resultDetails, confirmedAt: now };
  });
}

export async function getRefundBatch(deps: SandboxDeps, batchNo: string, options: { partner?: string } = {}): Promise<RefundBatch | undefined> {
  let q = deps.db.selectFrom('refund_batches').selectAll().where('batch_no', '=', batchNo);
  if (options.partner) q = q.where('partner', '=', options.partner);
  const row = await q.orderBy('id', 'desc').executeTakeFirst();
  return row ? toRefundBatch(row) : undefined;
}

/** Refund batches, newest first. */
export async function listRefundBatches(deps: SandboxDeps, query: { partner?: string } = {}): Promise<RefundBatch[]> {
  let q = deps.db.selectFrom('refund_batches').selectAll();
  if (query.partner) q = q.where('partner', '=', query.partner);
  const rows = await q.orderBy('id', 'desc').limit(200).execute();
  return rows.map(toRefundBatch);
}
