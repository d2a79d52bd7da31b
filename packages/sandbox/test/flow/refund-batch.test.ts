import { parseBatchRefundNotify, parseForm, verifyMessageSign } from 'alipay-legacy/protocol';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Sandbox } from '../../src/create-sandbox.js';
import { SEED_MERCHANT } from '../../src/seed.js';
import {
  confirmRefundBatch,
  createRefundBatch,
  getBuyer,
  getMerchant,
  getRefundBatch,
  getTrade,
  listRefunds,
  payTrade,
  updateMerchantSettings,
} from '../../src/services/index.js';
import { forEachDialect, openTestSandbox } from '../helpers/dialects.js';
import { MerchantServer } from '../helpers/merchant-server.js';
import { BUYER, directParams, open, PARTNER } from '../helpers/trades.js';

forEachDialect('direct-pay refunds (refund_fastpay_by_platform_pwd)', (dialect) => {
  let sandbox: Sandbox;
  let merchant: MerchantServer;
  beforeEach(async () => {
    merchant = await new MerchantServer('success').start();
    sandbox = await openTestSandbox(dialect);
    await updateMerchantSettings(sandbox.deps, PARTNER, { advancedInstant: true });
  });
  afterEach(async () => {
    await sandbox.close();
    await merchant.stop();
  });

  async function paid(totalFee: string) {
    const trade = await open(sandbox.deps, directParams({ notify_url: merchant.url, total_fee: totalFee }));
    return (await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId })).trade;
  }
  let serial = 100;
  async function batch(detail: string, count: number) {
    const m = (await getMerchant(sandbox.deps, PARTNER))!;
    serial++;
    const params = {
      service: 'refund_fastpay_by_platform_pwd',
      partner: PARTNER,
      _input_charset: 'utf-8',
      notify_url: merchant.url,
      seller_user_id: PARTNER,
      refund_date: '2015-01-01 00:00:00',
      batch_no: `20150101${serial}`,
      batch_num: String(count),
      detail_data: detail,
    };
    return { params, batch: await createRefundBatch(sandbox.deps, { merchant: m, params, charset: 'utf-8', signType: 'MD5' }) };
  }

  it('waits for the seller, then refunds, repays the buyer and sends batch_refund_notify plus each trade’s trade_status_sync', async () => {
    const a = await paid('10.00');
    const b = await paid('5.00');
    await sandbox.deps.dispatcher.runDue();
    merchant.received.length = 0;
    const balance = (await getBuyer(sandbox.deps, BUYER.userId))!.balanceFen;
    const { batch: created } = await batch(`${a.tradeNo}^10.00^退货#${b.tradeNo}^1.00^部分退款#20150101000000000000000000000000^1.00^x`, 3);
    expect(created.status).toBe('WAIT_SELLER_CONFIRM');
    expect(created.items).toHaveLength(3);

    const done = await confirmRefundBatch(sandbox.deps, created.batchNo, { partner: PARTNER });
    expect(done.successNum).toBe(2);
    expect(done.resultDetails).toBe(`${a.tradeNo}^10.00^SUCCESS#${b.tradeNo}^1.00^SUCCESS#20150101000000000000000000000000^1.00^TRADE_NOT_EXIST`);
    expect((await getBuyer(sandbox.deps, BUYER.userId))!.balanceFen).toBe(balance + 1100);
    expect((await getTrade(sandbox.deps, a.tradeNo))!).toMatchObject({ tradeStatus: 'TRADE_CLOSED', refundStatus: 'REFUND_SUCCESS' });
    expect((await getTrade(sandbox.deps, b.tradeNo))!).toMatchObject({ tradeStatus: 'TRADE_SUCCESS', refundStatus: 'REFUND_SUCCESS', refundedFen: 100 });
    expect((await listRefunds(sandbox.deps, b.tradeNo)).map((r) => [r.kind, r.status, r.amountFen])).toEqual([['batch', 'REFUND_SUCCESS', 100]]);

    await sandbox.deps.dispatcher.runDue();
    const messages = merchant.received.map((r) => parseForm(r.body, 'utf-8'));
    const batchNotify = messages.find((p) => p.notify_type === 'batch_refund_notify')!;
    expect(() => verifyMessageSign(batchNotify, { signType: 'MD5', key: SEED_MERCHANT.key, charset: 'utf-8' })).not.toThrow();
    const parsed = parseBatchRefundNotify(batchNotify, 'notify');
    expect(parsed.batch_no).toBe(created.batchNo);
    expect(batchNotify.success_num).toBe('2');
    const syncs = messages.filter((p) => p.notify_type === 'trade_status_sync');
    expect(syncs.map((p) => [p.out_trade_no, p.trade_status, p.refund_status])).toEqual(
      expect.arrayContaining([
        [a.outTradeNo, 'TRADE_CLOSED', 'REFUND_SUCCESS'],
        [b.outTradeNo, 'TRADE_SUCCESS', 'REFUND_SUCCESS'],
      ]),
    );
    expect(syncs.every((p) => p.gmt_refund)).toBe(true);
  });

  it('confirms a batch once only', async () => {
    const a = await paid('1.00');
    const { batch: created } = await batch(`${a.tradeNo}^1.00^r`, 1);
    await confirmRefundBatch(sandbox.deps, created.batchNo);
    await expect(confirmRefundBatch(sandbox.deps, created.batchNo)).rejects.toMatchObject({ code: 'BAD_STATE' });
    expect((await getRefundBatch(sandbox.deps, created.batchNo))!.status).toBe('DONE');
  });

  it('shows the same unconfirmed batch again, and refuses a reused batch_no with BATCH_NO_EXIST', async () => {
    const a = await paid('1.00');
    const { params, batch: created } = await batch(`${a.tradeNo}^1.00^r`, 1);
    const m = (await getMerchant(sandbox.deps, PARTNER))!;
    expect((await createRefundBatch(sandbox.deps, { merchant: m, params, charset: 'utf-8', signType: 'MD5' })).id).toBe(created.id);
    await expect(createRefundBatch(sandbox.deps, { merchant: m, params: { ...params, detail_data: `${a.tradeNo}^0.50^r` }, charset: 'utf-8', signType: 'MD5' })).rejects.toMatchObject({
      code: 'BATCH_NO_EXIST',
    });
  });

  it('refuses malformed detail_data with the SDK\'s own check', async () => {
    const a = await paid('1.00');
    await expect(batch(`${a.tradeNo}^1.00`, 1)).rejects.toMatchObject({ code: 'ILLEGAL_ARGUMENT' });
    // The SDK's detail_data check, the one the gateway runs too.
    await expect(batch(`${a.tradeNo}^1.001^r`, 1)).rejects.toMatchObject({ code: 'ILLEGAL_ARGUMENT', message: expect.stringContaining('amount "1.001"') });
  });

  it('answers per-item failure codes for a plain instant trade (not refundable) and too much money', async () => {
    await updateMerchantSettings(sandbox.deps, PARTNER, { advancedInstant: false });
    const finished = await paid('1.00');
    await updateMerchantSettings(sandbox.deps, PARTNER, { advancedInstant: true });
    const success = await paid('1.00');
    const { batch: created } = await batch(`${finished.tradeNo}^1.00^r#${success.tradeNo}^2.00^r`, 2);
    const done = await confirmRefundBatch(sandbox.deps, created.batchNo);
    expect(done.successNum).toBe(0);
    expect(done.resultDetails).toBe(`${finished.tradeNo}^1.00^TRADE_STATUS_NOT_AVAILD#${success.tradeNo}^2.00^REFUND_AMOUNT_NOT_VALID`);
  });
});
