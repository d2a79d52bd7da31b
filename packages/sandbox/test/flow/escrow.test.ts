import { parseForm, verifyMessageSign } from 'alipay-legacy/protocol';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Sandbox } from '../../src/create-sandbox.js';
import { SEED_MERCHANT } from '../../src/seed.js';
import {
  agreeRefund,
  closeTrade,
  confirmOrder,
  confirmReceipt,
  confirmReturnedGoods,
  getBuyer,
  getTrade,
  listAddresses,
  listRefunds,
  markGoodsReturned,
  payTrade,
  refuseRefund,
  requestRefund,
  shipTrade,
  tradeEvents,
} from '../../src/services/index.js';
import { forEachDialect, openTestSandbox } from '../helpers/dialects.js';
import { MerchantServer } from '../helpers/merchant-server.js';
import { BUYER, escrowParams, FAMILY, open, PARTNER } from '../helpers/trades.js';

const DAY = 86_400;

forEachDialect('escrow (create_partner_trade_by_buyer, trade_create_by_buyer)', (dialect) => {
  let sandbox: Sandbox;
  let merchant: MerchantServer;
  beforeEach(async () => {
    merchant = await new MerchantServer('success').start();
    sandbox = await openTestSandbox(dialect);
  });
  afterEach(async () => {
    await sandbox.close();
    await merchant.stop();
  });

  /** What the merchant received so far, in order: [trade_status, refund_status?]. */
  async function received(): Promise<Record<string, string>[]> {
    await sandbox.deps.dispatcher.runDue();
    return merchant.received.map((r) => parseForm(r.body, 'utf-8'));
  }
  const statuses = async () => (await received()).map((p) => (p.refund_status ? `${p.trade_status}/${p.refund_status}` : p.trade_status!));

  it('notifies WAIT_BUYER_PAY when the buyer confirms logistics and address, with logistics_* and receive_* fields', async () => {
    const trade = await open(sandbox.deps, escrowParams({ notify_url: merchant.url }));
    expect(await statuses()).toEqual([]);
    const [address] = await listAddresses(sandbox.deps, BUYER.userId);
    await confirmOrder(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId, logisticsIndex: 1, addressId: address!.id });
    const [n] = await received();
    expect(n).toMatchObject({
      trade_status: 'WAIT_BUYER_PAY',
      logistics_type: 'POST',
      logistics_fee: '2.00',
      logistics_payment: 'BUYER_PAY',
      receive_name: '张三',
      receive_zip: '200120',
      receive_mobile: '13800138000',
      total_fee: '12.00',
      price: '10.00',
      quantity: '1',
      is_total_fee_adjust: 'N',
      buyer_id: BUYER.userId,
    });
    expect(n!.receive_address).toContain('浦东新区');
    expect(n!.gmt_logistics_modify).toBeDefined();
    expect(() => verifyMessageSign(n!, { signType: 'MD5', key: SEED_MERCHANT.key, charset: 'utf-8' })).not.toThrow();
  });

  it('runs the whole escrow lifecycle, notifying every status in order (protocol.md §12.8)', async () => {
    const trade = await open(sandbox.deps, escrowParams({ notify_url: merchant.url, return_url: 'http://127.0.0.1:9/r' }));
    const { trade: paid, returnUrl } = await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
    expect(paid.tradeStatus).toBe('WAIT_SELLER_SEND_GOODS');
    expect((await getBuyer(sandbox.deps, BUYER.userId))!.balanceFen).toBe(BUYER.balanceFen - 1500);
    const ret = parseForm(returnUrl!.slice(returnUrl!.indexOf('?') + 1), 'utf-8');
    expect(ret).toMatchObject({ is_success: 'T', exterface: 'create_partner_trade_by_buyer', trade_status: 'WAIT_SELLER_SEND_GOODS', buyer_actions: 'REFUND', seller_actions: 'SEND_GOODS' });

    await shipTrade(sandbox.deps, { partner: PARTNER, tradeNo: trade.tradeNo, logisticsName: '顺丰速运', invoiceNo: 'SF123', transportType: 'EXPRESS' });
    await confirmReceipt(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
    expect(await statuses()).toEqual(['WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS', 'TRADE_FINISHED']);
    const all = await received();
    expect(all[2]!.gmt_send_goods).toBeDefined();
    expect(all[3]!.gmt_close).toBeDefined();
    expect(new Set(all.map((p) => p.notify_id)).size).toBe(4);
    expect((await tradeEvents(sandbox.deps, trade.tradeNo)).map((e) => e.kind)).toEqual(['created', 'order_confirmed', 'paid', 'shipped', 'receipt_confirmed']);
  });

  it('ships DIRECT logistics at payment: WAIT_SELLER_SEND_GOODS then WAIT_BUYER_CONFIRM_GOODS', async () => {
    const trade = await open(sandbox.deps, escrowParams({ notify_url: merchant.url }));
    const { trade: paid } = await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId, logisticsIndex: 2 });
    expect(paid.tradeStatus).toBe('WAIT_BUYER_CONFIRM_GOODS');
    expect(await statuses()).toEqual(['WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS']);
  });

  it('finishes the trade 10 days after shipping by EXPRESS when the buyer does nothing', async () => {
    const trade = await open(sandbox.deps, escrowParams({ notify_url: merchant.url }));
    await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
    await shipTrade(sandbox.deps, { partner: PARTNER, tradeNo: trade.tradeNo, logisticsName: 'EMS' });
    await sandbox.deps.clock.advance(10 * DAY - 60);
    expect((await getTrade(sandbox.deps, trade.tradeNo))!.tradeStatus).toBe('WAIT_BUYER_CONFIRM_GOODS');
    await sandbox.deps.clock.advance(61);
    expect((await getTrade(sandbox.deps, trade.tradeNo))!.tradeStatus).toBe('TRADE_FINISHED');
    expect((await tradeEvents(sandbox.deps, trade.tradeNo)).at(-1)).toMatchObject({ kind: 'confirm_timeout', actor: 'system' });
    expect((await statuses()).at(-1)).toBe('TRADE_FINISHED');
  });

  it('gives POST 30 days, or t_b_rec_post days', async () => {
    const trade = await open(sandbox.deps, escrowParams({ notify_url: merchant.url, t_b_rec_post: '3' }));
    await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId, logisticsIndex: 1 });
    await shipTrade(sandbox.deps, { partner: PARTNER, tradeNo: trade.tradeNo, logisticsName: '平邮' });
    await sandbox.deps.clock.advance(3 * DAY + 1);
    expect((await getTrade(sandbox.deps, trade.tradeNo))!.tradeStatus).toBe('TRADE_FINISHED');
  });

  it('takes t_b_rec_post in days with decimals, as the SDK does: 7.5 days', async () => {
    const trade = await open(sandbox.deps, escrowParams({ notify_url: merchant.url, t_b_rec_post: '7.5' }));
    await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId, logisticsIndex: 1 });
    await shipTrade(sandbox.deps, { partner: PARTNER, tradeNo: trade.tradeNo, logisticsName: '平邮' });
    await sandbox.deps.clock.advance(7.5 * DAY - 60);
    expect((await getTrade(sandbox.deps, trade.tradeNo))!.tradeStatus).toBe('WAIT_BUYER_CONFIRM_GOODS');
    await sandbox.deps.clock.advance(61);
    expect((await getTrade(sandbox.deps, trade.tradeNo))!.tradeStatus).toBe('TRADE_FINISHED');
  });

  it('closes an unpaid escrow trade at it_b_pay and notifies TRADE_CLOSED', async () => {
    const trade = await open(sandbox.deps, escrowParams({ notify_url: merchant.url, it_b_pay: '1h' }));
    const [address] = await listAddresses(sandbox.deps, BUYER.userId);
    await confirmOrder(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId, logisticsIndex: 0, addressId: address!.id });
    await sandbox.deps.clock.advance(3600);
    expect(await statuses()).toEqual(['WAIT_BUYER_PAY', 'TRADE_CLOSED']);
    await expect(payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId })).rejects.toMatchObject({ code: 'TRADE_NOT_ALLOWED_PAY' });
  });

  it('notifies close_trade on an escrow trade', async () => {
    const trade = await open(sandbox.deps, escrowParams({ notify_url: merchant.url }));
    await closeTrade(sandbox.deps, { partner: PARTNER, outTradeNo: trade.outTradeNo, role: 'B' });
    expect(await statuses()).toEqual(['TRADE_CLOSED']);
  });

  it('refuses to ship twice, ship another merchant’s trade, or confirm receipt for someone else', async () => {
    const trade = await open(sandbox.deps, escrowParams());
    await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
    await expect(shipTrade(sandbox.deps, { partner: '2088000000000000', tradeNo: trade.tradeNo, logisticsName: 'x' })).rejects.toMatchObject({ code: 'TRADE_NOT_EXIST' });
    await shipTrade(sandbox.deps, { partner: PARTNER, tradeNo: trade.tradeNo, logisticsName: 'x' });
    await expect(shipTrade(sandbox.deps, { partner: PARTNER, tradeNo: trade.tradeNo, logisticsName: 'x' })).rejects.toMatchObject({ code: 'TRADE_STATUS_NOT_AVAILD' });
    await expect(confirmReceipt(sandbox.deps, trade.tradeNo, { buyerId: FAMILY.userId })).rejects.toMatchObject({ code: 'BAD_STATE' });
  });

  it('refunds without goods: WAIT_SELLER_AGREE → REFUND_SUCCESS, full refund closes the trade and repays the buyer', async () => {
    const trade = await open(sandbox.deps, escrowParams({ notify_url: merchant.url }));
    await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
    await requestRefund(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId, amountFen: 1500, reason: '不想要了', returnGoods: false });
    const done = await agreeRefund(sandbox.deps, trade.tradeNo, { partner: PARTNER });
    expect([done.tradeStatus, done.refundStatus]).toEqual(['TRADE_CLOSED', 'REFUND_SUCCESS']);
    expect((await getBuyer(sandbox.deps, BUYER.userId))!.balanceFen).toBe(BUYER.balanceFen);
    expect(await statuses()).toEqual(['WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS', 'WAIT_SELLER_SEND_GOODS/WAIT_SELLER_AGREE', 'TRADE_CLOSED/REFUND_SUCCESS']);
    expect((await received()).at(-1)!.gmt_refund).toBeDefined();
    expect((await listRefunds(sandbox.deps, trade.tradeNo)).map((r) => [r.status, r.amountFen])).toEqual([['REFUND_SUCCESS', 1500]]);
  });

  it('refunds with goods: WAIT_BUYER_RETURN_GOODS → WAIT_SELLER_CONFIRM_GOODS → REFUND_SUCCESS, after a refusal and a second request', async () => {
    const trade = await open(sandbox.deps, escrowParams({ notify_url: merchant.url }));
    await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
    await shipTrade(sandbox.deps, { partner: PARTNER, tradeNo: trade.tradeNo, logisticsName: '顺丰' });
    await requestRefund(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId, amountFen: 1000, reason: '坏了', returnGoods: true });
    await refuseRefund(sandbox.deps, trade.tradeNo, { partner: PARTNER });
    await requestRefund(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId, amountFen: 1500, reason: '真的坏了', returnGoods: true });
    await agreeRefund(sandbox.deps, trade.tradeNo, { partner: PARTNER });
    await markGoodsReturned(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId, logisticsName: '圆通', invoiceNo: 'YT1' });
    const done = await confirmReturnedGoods(sandbox.deps, trade.tradeNo, { partner: PARTNER });
    expect([done.tradeStatus, done.refundStatus, done.refundedFen]).toEqual(['TRADE_CLOSED', 'REFUND_SUCCESS', 1500]);
    expect((await statuses()).slice(3)).toEqual([
      'WAIT_BUYER_CONFIRM_GOODS/WAIT_SELLER_AGREE',
      'WAIT_BUYER_CONFIRM_GOODS/SELLER_REFUSE_BUYER',
      'WAIT_BUYER_CONFIRM_GOODS/WAIT_SELLER_AGREE',
      'WAIT_BUYER_CONFIRM_GOODS/WAIT_BUYER_RETURN_GOODS',
      'WAIT_BUYER_CONFIRM_GOODS/WAIT_SELLER_CONFIRM_GOODS',
      'TRADE_CLOSED/REFUND_SUCCESS',
    ]);
    // The refused request was revised, not duplicated.
    expect((await listRefunds(sandbox.deps, trade.tradeNo)).map((r) => [r.status, r.amountFen])).toEqual([['REFUND_SUCCESS', 1500]]);
  });

  it('holds the confirm timeout while a refund is in progress', async () => {
    const trade = await open(sandbox.deps, escrowParams({ notify_url: merchant.url }));
    await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
    await shipTrade(sandbox.deps, { partner: PARTNER, tradeNo: trade.tradeNo, logisticsName: 'x' });
    await requestRefund(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId, amountFen: 100, reason: 'r', returnGoods: false });
    await sandbox.deps.clock.advance(11 * DAY);
    expect((await getTrade(sandbox.deps, trade.tradeNo))!.tradeStatus).toBe('WAIT_BUYER_CONFIRM_GOODS');
    await refuseRefund(sandbox.deps, trade.tradeNo, { partner: PARTNER });
    await sandbox.deps.clock.advance(1);
    expect((await getTrade(sandbox.deps, trade.tradeNo))!.tradeStatus).toBe('TRADE_FINISHED');
  });

  it('lets the dual interface buyer pay instantly: WAIT_BUYER_PAY then TRADE_FINISHED (decisions.md §12)', async () => {
    const trade = await open(sandbox.deps, escrowParams({ notify_url: merchant.url }, 'trade_create_by_buyer'));
    const { trade: paid, returnUrl } = await payTrade(sandbox.deps, trade.tradeNo, { buyerId: FAMILY.userId, method: 'instant' });
    expect(paid.tradeStatus).toBe('TRADE_FINISHED');
    expect(returnUrl).toBeUndefined();
    expect(await statuses()).toEqual(['WAIT_BUYER_PAY', 'TRADE_FINISHED']);
  });

  it('lets the dual interface buyer pay by escrow with a chosen address', async () => {
    const trade = await open(sandbox.deps, escrowParams({ notify_url: merchant.url }, 'trade_create_by_buyer'));
    const addresses = await listAddresses(sandbox.deps, FAMILY.userId);
    expect(addresses.length).toBeGreaterThan(2);
    const { trade: paid } = await payTrade(sandbox.deps, trade.tradeNo, { buyerId: FAMILY.userId, method: 'escrow', addressId: addresses[2]!.id });
    expect(paid.tradeStatus).toBe('WAIT_SELLER_SEND_GOODS');
    expect((await received())[0]!.receive_name).toBe(addresses[2]!.fullname);
  });
});
