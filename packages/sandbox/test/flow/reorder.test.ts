import { parseForm } from 'alipay-legacy/protocol';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Sandbox } from '../../src/create-sandbox.js';
import { confirmReceipt, getFault, listNotifications, payTrade, setFault, shipTrade } from '../../src/services/index.js';
import { forEachDialect, openTestSandbox } from '../helpers/dialects.js';
import { MerchantServer } from '../helpers/merchant-server.js';
import { BUYER, directParams, escrowParams, open, PARTNER } from '../helpers/trades.js';

forEachDialect('the reorder fault (notifications out of order, protocol.md §12.8)', (dialect) => {
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

  /** The statuses the loopback merchant received so far, in the order they arrived. */
  async function arrived(): Promise<string[]> {
    await sandbox.deps.dispatcher.runDue();
    return merchant.received.map((r) => parseForm(r.body, 'utf-8').trade_status!);
  }

  /** Each of the trade's notifications: its status and its attempts' faults. */
  async function attempts(tradeNo: string): Promise<[string, (string | null)[]][]> {
    const list = (await listNotifications(sandbox.deps, { tradeNo })).sort((a, b) => a.sequence - b.sequence);
    return list.map((n) => [n.params.trade_status!, n.deliveryAttempts.map((a) => a.fault)]);
  }

  it('holds WAIT_SELLER_SEND_GOODS back until WAIT_BUYER_CONFIRM_GOODS was sent, then delivers it; once, for the next trade', async () => {
    await setFault(sandbox.deps, PARTNER, { kind: 'reorder', seconds: 3600, count: 1 });
    const trade = await open(sandbox.deps, escrowParams({ notify_url: merchant.url }));
    await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
    expect(await arrived()).toEqual(['WAIT_BUYER_PAY']);
    // Its count counted the trade.
    expect(await getFault(sandbox.deps, PARTNER)).toEqual({ kind: 'none' });

    await shipTrade(sandbox.deps, { partner: PARTNER, tradeNo: trade.tradeNo, logisticsName: '顺丰速运', invoiceNo: 'SF1', transportType: 'EXPRESS' });
    expect(await arrived()).toEqual(['WAIT_BUYER_PAY', 'WAIT_BUYER_CONFIRM_GOODS', 'WAIT_SELLER_SEND_GOODS']);

    await confirmReceipt(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
    expect((await arrived()).at(-1)).toBe('TRADE_FINISHED');
    expect(await attempts(trade.tradeNo)).toEqual([
      ['WAIT_BUYER_PAY', [null]],
      ['WAIT_SELLER_SEND_GOODS', ['reorder']],
      ['WAIT_BUYER_CONFIRM_GOODS', [null]],
      ['TRADE_FINISHED', [null]],
    ]);
    expect(merchant.maxInFlightPerTrade).toBe(1);
  });

  it('lets the later status written with it pass at once (DIRECT logistics), and holds each trade once while set', async () => {
    await setFault(sandbox.deps, PARTNER, { kind: 'reorder', seconds: 3600 });
    const trade = await open(sandbox.deps, escrowParams({ notify_url: merchant.url }));
    await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId, logisticsIndex: 2 });
    expect(await arrived()).toEqual(['WAIT_BUYER_PAY', 'WAIT_BUYER_CONFIRM_GOODS', 'WAIT_SELLER_SEND_GOODS']);
    await confirmReceipt(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
    expect((await arrived()).at(-1)).toBe('TRADE_FINISHED');
    expect(await getFault(sandbox.deps, PARTNER)).toEqual({ kind: 'reorder', seconds: 3600 });
  });

  it('sends a held notification on its own after `seconds` when no later one comes', async () => {
    await setFault(sandbox.deps, PARTNER, { kind: 'reorder', seconds: 90, count: 1 });
    const trade = await open(sandbox.deps, directParams({ notify_url: merchant.url }));
    await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
    expect(await arrived()).toEqual([]);
    await sandbox.deps.clock.advance(89);
    expect(await arrived()).toEqual([]);
    await sandbox.deps.clock.advance(1);
    expect(await arrived()).toEqual(['TRADE_FINISHED']);
    expect(await attempts(trade.tradeNo)).toEqual([['TRADE_FINISHED', ['reorder']]]);
  });
});
