import type { Charset, SignType } from 'alipay-legacy';
import type { SandboxDeps } from '../deps.js';
import type { Merchant, RefundBatch } from './types.js';

export interface CreateRefundBatchInput {
  merchant: Merchant;
  /** The verified refund_fastpay_by_platform_pwd parameters, sign removed. */
  params: Record<string, string>;
  charset: Charset;
  signType: SignType;
}

/** Records a refund_fastpay_by_platform_pwd batch awaiting the seller's confirmation on the sandbox page. */
export async function createRefundBatch(deps: SandboxDeps, input: CreateRefundBatchInput): Promise<RefundBatch> {
  void deps; void input;
  throw new Error('not implemented');
}
/** The seller confirms: refunds each item, sends batch_refund_notify and each trade's trade_status_sync with refund_status. */
export async function confirmRefundBatch(deps: SandboxDeps, batchNo: string, options: { partner?: string } = {}): Promise<RefundBatch> {
  void deps; void batchNo; void options;
  throw new Error('not implemented');
}
export async function getRefundBatch(deps: SandboxDeps, batchNo: string, options: { partner?: string } = {}): Promise<RefundBatch | undefined> {
  void deps; void batchNo; void options;
  throw new Error('not implemented');
}
export async function listRefundBatches(deps: SandboxDeps, query: { partner?: string } = {}): Promise<RefundBatch[]> {
  void deps; void query;
  throw new Error('not implemented');
}
