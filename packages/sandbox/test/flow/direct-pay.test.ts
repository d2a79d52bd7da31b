import { GatewayError } from 'alipay-legacy';
import { parseForm, parseTradeStatusSync, verifyMessageSign } from 'alipay-legacy/protocol';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Sandbox } from '../../src/create-sandbox.js';
import { ALIPAY_RSA_PUBLIC_KEY } from '../../src/seed-keys.js';
import { SEED_MERCHANT } from '../../src/seed.js';
import {
  closeTrade,
  getBuyer,
  listNotifications,
  payTrade,
  SandboxError,
  tradeEvents,
  updateMerchantSettings,
  verifyNotifyId,
} from '../../src/services/index.js';
import { forEachDialect, openTestSandbox } from '../helpers/dialects.js';
import { MerchantServer } from '../helpers/merchant-server.js';
import { BUYER, directParams, GBK_BUYER, open, PARTNER, POOR } from '../helpers/trades.js';

const KEY = SEED_MERCHANT.key;

function queryOf(url: string): string {
  return url.slice(url.indexOf('?') + 1);
}

forEachDialect('direct pay (create_direct_pay_by_user)', (dialect) => {
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

  it('creates a WAIT_BUYER_PAY trade with a 28-digit trade_no and records the event', async () => {
    const trade = await open(sandbox.deps, directParams({ notify_url: merchant.url }));
    expect(trade.tradeStatus).toBe('WAIT_BUYER_PAY');
    expect(trade.tradeNo).toMatch(/^\d{28}$/);
    const events = await tradeEvents(sandbox.deps, trade.tradeNo);
    expect(events.map((e) => [e.kind, e.toStatus])).toEqual([['created', 'WAIT_BUYER_PAY']]);
    // decisions.md §10: WAIT_BUYER_PAY is never notified for direct pay.
    expect(await listNotifications(sandbox.deps, { tradeNo: trade.tradeNo })).toEqual([]);
  });

  it('shows the same trade again for the same out_trade_no and data, and refuses other data (decisions.md §15)', async () => {
    const params = directParams();
    const first = await open(sandbox.deps, params);
    const again = await open(sandbox.deps, { ...params, anti_phishing_key: 'whatever' });
    expect(again.tradeNo).toBe(first.tradeNo);
    await expect(open(sandbox.deps, { ...params, total_fee: '0.02' })).rejects.toMatchObject({ code: 'TRADE_DATA_MATCH_ERROR' });
  });

  it('refuses the out_trade_no of a paid or closed trade with TRADE_NOT_ALLOWED_PAY', async () => {
    const paid = directParams();
    await payTrade(sandbox.deps, (await open(sandbox.deps, paid)).tradeNo, { buyerId: BUYER.userId });
    await expect(open(sandbox.deps, paid)).rejects.toMatchObject({ code: 'TRADE_NOT_ALLOWED_PAY' });
    const closed = directParams();
    await open(sandbox.deps, closed);
    await closeTrade(sandbox.deps, { partner: PARTNER, outTradeNo: closed.out_trade_no! });
    await expect(open(sandbox.deps, closed)).rejects.toMatchObject({ code: 'TRADE_NOT_ALLOWED_PAY' });
  });

  it('pays: debits the buyer, finishes the trade, notifies TRADE_FINISHED signed with the merchant key', async () => {
    const trade = await open(sandbox.deps, directParams({ notify_url: merchant.url, total_fee: '12.34', body: '描述', extra_common_param: 'abc' }));
    const before = (await getBuyer(sandbox.deps, BUYER.userId))!.balanceFen;
    const { trade: paid } = await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
    expect(paid.tradeStatus).toBe('TRADE_FINISHED');
    expect((await getBuyer(sandbox.deps, BUYER.userId))!.balanceFen).toBe(before - 1234);

    expect(await sandbox.deps.dispatcher.runDue()).toBe(1);
    expect(merchant.received).toHaveLength(1);
    const request = merchant.received[0]!;
    expect(request.headers).toMatchObject({ 'content-type': 'application/x-www-form-urlencoded; text/html; charset=UTF-8', 'user-agent': 'Mozilla/4.0', connection: 'close' });
    const params = parseForm(request.body, 'utf-8');
    expect(() => verifyMessageSign(params, { signType: 'MD5', key: KEY, charset: 'utf-8' })).not.toThrow();
    const message = parseTradeStatusSync(params, 'notify');
    expect(message).toMatchObject({ trade_status: 'TRADE_FINISHED', out_trade_no: trade.outTradeNo, trade_no: trade.tradeNo });
    expect(params).toMatchObject({
      notify_type: 'trade_status_sync',
      total_fee: '12.34',
      price: '12.34',
      quantity: '1',
      buyer_id: BUYER.userId,
      buyer_email: BUYER.email,
      seller_id: PARTNER,
      seller_email: SEED_MERCHANT.sellerEmail,
      body: '描述',
      extra_common_param: 'abc',
      is_total_fee_adjust: 'N',
      use_coupon: 'N',
      discount: '0.00',
    });
    expect(params.notify_id).toMatch(/^[0-9a-z]{34}$/);
    expect(params.gmt_payment).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    // decisions.md §22: never an empty value.
    expect(request.body).not.toMatch(/=(&|$)/);
    const [n] = await listNotifications(sandbox.deps, { tradeNo: trade.tradeNo });
    expect(n!.state).toBe('acknowledged');
  });

  it('returns a signed return_url with is_success=T, exterface and a fresh notify_id holding literal %2F escapes', async () => {
    const trade = await open(sandbox.deps, directParams({ return_url: 'http://127.0.0.1:9/return' }));
    const { returnUrl } = await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
    expect(returnUrl).toMatch(/^http:\/\/127\.0\.0\.1:9\/return\?/);
    // The value contains %2F, so the URL carries %252F (protocol.md §1.2).
    expect(returnUrl).toContain('notify_id=RqPnCoPT3K9%252Fvwbh3In');
    const params = parseForm(queryOf(returnUrl!), 'utf-8');
    expect(params.notify_id).toMatch(/^RqPnCoPT3K9%2Fvwbh3In/);
    expect(params).toMatchObject({ is_success: 'T', exterface: 'create_direct_pay_by_user', trade_status: 'TRADE_FINISHED', notify_type: 'trade_status_sync' });
    expect(() => verifyMessageSign(params, { signType: 'MD5', key: KEY, charset: 'utf-8' })).not.toThrow();
  });

  it('answers notify_verify true once for a return notify_id, within 60 s only (decisions.md §1)', async () => {
    const make = async () => {
      const trade = await open(sandbox.deps, directParams({ return_url: 'http://127.0.0.1:9/return' }));
      const { returnUrl } = await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
      return parseForm(queryOf(returnUrl!), 'utf-8').notify_id!;
    };
    const id = await make();
    expect(await verifyNotifyId(sandbox.deps, PARTNER, id)).toBe('true');
    expect(await verifyNotifyId(sandbox.deps, PARTNER, id)).toBe('false');

    const late = await make();
    await sandbox.deps.clock.advance(61);
    expect(await verifyNotifyId(sandbox.deps, PARTNER, late)).toBe('false');

    const intime = await make();
    await sandbox.deps.clock.advance(59);
    expect(await verifyNotifyId(sandbox.deps, '2088000000000000', intime)).toBe('false');
    expect(await verifyNotifyId(sandbox.deps, PARTNER, intime)).toBe('true');
  });

  it('answers false for an unknown notify_id and invalid for missing parameters (decisions.md §3)', async () => {
    expect(await verifyNotifyId(sandbox.deps, PARTNER, 'nope')).toBe('false');
    expect(await verifyNotifyId(sandbox.deps, '', 'nope')).toBe('invalid');
    expect(await verifyNotifyId(sandbox.deps, PARTNER, undefined)).toBe('invalid');
  });

  it('refuses a buyer without enough balance, changing nothing', async () => {
    const trade = await open(sandbox.deps, directParams({ notify_url: merchant.url, total_fee: '1.01' }));
    await expect(payTrade(sandbox.deps, trade.tradeNo, { buyerId: POOR.userId })).rejects.toSatisfy(
      (e) => e instanceof SandboxError && e.code === 'BALANCE_NOT_ENOUGH',
    );
    expect((await getBuyer(sandbox.deps, POOR.userId))!.balanceFen).toBe(POOR.balanceFen);
    expect((await tradeEvents(sandbox.deps, trade.tradeNo)).map((e) => e.kind)).toEqual(['created']);
    expect(await listNotifications(sandbox.deps, { tradeNo: trade.tradeNo })).toEqual([]);
  });

  it('refuses a second payment with TRADE_NOT_ALLOWED_PAY', async () => {
    const trade = await open(sandbox.deps, directParams());
    await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
    await expect(payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId })).rejects.toSatisfy((e) => e instanceof GatewayError && e.code === 'TRADE_NOT_ALLOWED_PAY');
  });

  it('pays from a trade read earlier, and starts over from a fresh read when it changed meanwhile (no double debit)', async () => {
    const trade = await open(sandbox.deps, directParams({ notify_url: merchant.url, total_fee: '1.00' }));
    const before = (await getBuyer(sandbox.deps, BUYER.userId))!.balanceFen;
    // The API reads the trade before its transaction and hands it over: the same result as a fresh read.
    const paid = await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId, trade });
    expect(paid.trade.tradeStatus).toBe('TRADE_FINISHED');
    // The same stale read again: the guarded update finds the trade changed, the payment starts over
    // from a fresh read and is refused as a second payment, with nothing written.
    const notifications = (await listNotifications(sandbox.deps, { tradeNo: trade.tradeNo })).length;
    const events = (await tradeEvents(sandbox.deps, trade.tradeNo)).length;
    await expect(payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId, trade })).rejects.toMatchObject({ code: 'TRADE_NOT_ALLOWED_PAY' });
    expect((await getBuyer(sandbox.deps, BUYER.userId))!.balanceFen).toBe(before - 100);
    expect(await listNotifications(sandbox.deps, { tradeNo: trade.tradeNo })).toHaveLength(notifications);
    expect(await tradeEvents(sandbox.deps, trade.tradeNo)).toHaveLength(events);
  });

  it('closes an unpaid trade on close_trade without notifying (decisions.md §13)', async () => {
    const trade = await open(sandbox.deps, directParams({ notify_url: merchant.url }));
    const closed = await closeTrade(sandbox.deps, { partner: PARTNER, tradeNo: trade.tradeNo, role: 'S' });
    expect(closed.tradeStatus).toBe('TRADE_CLOSED');
    expect(closed.gmtClose).not.toBeNull();
    await expect(closeTrade(sandbox.deps, { partner: PARTNER, tradeNo: trade.tradeNo })).rejects.toMatchObject({ code: 'TRADE_STATUS_NOT_AVAILD' });
    await expect(closeTrade(sandbox.deps, { partner: PARTNER, tradeNo: '2015000000000000000000000000' })).rejects.toMatchObject({ code: 'TRADE_NOT_EXIST' });
    expect(await listNotifications(sandbox.deps, { tradeNo: trade.tradeNo })).toEqual([]);
  });

  it('closes an unpaid trade when it_b_pay ends, silently, as the clock moves', async () => {
    const trade = await open(sandbox.deps, directParams({ notify_url: merchant.url, it_b_pay: '30m' }));
    await sandbox.deps.clock.advance(29 * 60);
    expect((await tradeEvents(sandbox.deps, trade.tradeNo)).at(-1)!.toStatus).toBe('WAIT_BUYER_PAY');
    await sandbox.deps.clock.advance(60);
    const events = await tradeEvents(sandbox.deps, trade.tradeNo);
    expect(events.at(-1)).toMatchObject({ kind: 'pay_timeout', toStatus: 'TRADE_CLOSED', actor: 'system' });
    expect(merchant.received).toHaveLength(0);
  });

  it('on advanced instant pay, notifies TRADE_SUCCESS, then TRADE_FINISHED when the refund window ends', async () => {
    await updateMerchantSettings(sandbox.deps, PARTNER, { advancedInstant: true, refundWindowDays: 3 });
    const trade = await open(sandbox.deps, directParams({ notify_url: merchant.url }));
    const { trade: paid } = await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
    expect(paid.tradeStatus).toBe('TRADE_SUCCESS');
    await sandbox.deps.clock.advance(3 * 86_400 + 1);
    const statuses = merchant.received.map((r) => parseForm(r.body, 'utf-8').trade_status);
    expect(statuses).toEqual(['TRADE_SUCCESS', 'TRADE_FINISHED']);
    const ids = merchant.received.map((r) => parseForm(r.body, 'utf-8').notify_id);
    expect(new Set(ids).size).toBe(2);
  });

  it('notifies a GBK trade in GBK bytes, signed over the GBK text', async () => {
    const trade = await open(sandbox.deps, directParams({ notify_url: merchant.url, _input_charset: 'gbk', subject: '中文商品' }), { charset: 'gbk' });
    await payTrade(sandbox.deps, trade.tradeNo, { buyerId: GBK_BUYER.userId });
    await sandbox.deps.dispatcher.runDue();
    const request = merchant.received[0]!;
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded; text/html; charset=GBK');
    expect(request.body).toContain('subject=%D6%D0%CE%C4%C9%CC%C6%B7');
    const params = parseForm(request.body, 'gbk');
    expect(params.subject).toBe('中文商品');
    expect(() => verifyMessageSign(params, { signType: 'MD5', key: KEY, charset: 'gbk' })).not.toThrow();
    expect(() => verifyMessageSign(params, { signType: 'MD5', key: KEY, charset: 'utf-8' })).toThrow();
  });

  it("signs an RSA trade's notification and return with the sandbox's Alipay key", async () => {
    const trade = await open(sandbox.deps, directParams({ notify_url: merchant.url, return_url: 'http://127.0.0.1:9/r' }), { signType: 'RSA' });
    const { returnUrl } = await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
    await sandbox.deps.dispatcher.runDue();
    const notify = parseForm(merchant.received[0]!.body, 'utf-8');
    expect(notify.sign_type).toBe('RSA');
    expect(() => verifyMessageSign(notify, { signType: 'RSA', publicKey: ALIPAY_RSA_PUBLIC_KEY, charset: 'utf-8' })).not.toThrow();
    const ret = parseForm(queryOf(returnUrl!), 'utf-8');
    expect(() => verifyMessageSign(ret, { signType: 'RSA', publicKey: ALIPAY_RSA_PUBLIC_KEY, charset: 'utf-8' })).not.toThrow();
  });

  it('sends nothing when the trade has no notify_url', async () => {
    const trade = await open(sandbox.deps, directParams());
    await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
    expect(await listNotifications(sandbox.deps, { tradeNo: trade.tradeNo })).toEqual([]);
  });
});
