import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createNotificationHandler, handleReturn, isPaid, resolveConfig, toFen, updateOutcome, type TradeStatus } from 'alipay-legacy';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { nodeHttp, type CliIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run-cli.js';
import type { Sandbox } from '../../src/create-sandbox.js';
import { SEED_MERCHANT } from '../../src/seed.js';
import { checkMerchant, type CheckReport } from '../../src/services/check-merchant.js';
import { payTrade } from '../../src/services/index.js';
import { forEachDialect, openTestSandbox } from '../helpers/dialects.js';
import { BUYER, directParams, open } from '../helpers/trades.js';

/** A loopback server for one test merchant; `url` is its origin. */
async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * A merchant that does everything right, on the SDK: the handler verifies (sign, amount and seller,
 * notify_verify against the sandbox over HTTP), updates an order never backwards, answers exactly
 * `success`; the return page verifies and, when the notify_id is used up, shows the order anyway.
 */
function goodMerchant(gateway: string, orders: Map<string, { totalFen: number; status: TradeStatus; paidCount: number }>, returns: string[]) {
  const config = resolveConfig({ partner: SEED_MERCHANT.partner, key: SEED_MERCHANT.key, gateway });
  const notify = createNotificationHandler(config, {
    expect: (m) => {
      const order = orders.get(m.out_trade_no);
      return order && { totalFee: order.totalFen };
    },
    onNotification: (m) => {
      if (m.kind !== 'trade_status_sync') return;
      const order = orders.get(m.out_trade_no)!;
      if (updateOutcome({ trade_status: order.status }, { trade_status: m.trade_status }) !== 'apply') return;
      if (isPaid(m.trade_status) && !isPaid(order.status)) order.paidCount++;
      order.status = m.trade_status;
    },
    onError: () => {},
  });
  return listen((req, res) => {
    if (req.method === 'POST') return notify.node(req, res);
    handleReturn(config, new URL(req.url ?? '/', 'http://merchant.test')).then(
      () => {
        returns.push('verified');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<p>支付成功</p>');
      },
      (error: Error) => {
        returns.push(error.message);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<p>订单状态以本站记录为准</p>');
      },
    );
  });
}

/** A merchant that gets each thing wrong: `success` to anything, with a newline; the return page fails on a reload. */
function badMerchant() {
  let returns = 0;
  return listen((req, res) => {
    req.resume();
    if (req.method === 'POST') return void res.writeHead(200).end('success\n');
    returns++;
    res.writeHead(returns > 1 ? 500 : 200).end(returns > 1 ? 'Internal Server Error' : 'ok');
  });
}

const outcomes = (report: CheckReport) => Object.fromEntries(report.cases.map((c) => [c.id, c.outcome]));

forEachDialect('check-merchant', (dialect) => {
  let sandbox: Sandbox;
  let server: ServerType;
  let sandboxUrl = '';
  const servers: Server[] = [];
  const orders = new Map<string, { totalFen: number; status: TradeStatus; paidCount: number }>();
  let outTradeNo = '';

  beforeAll(async () => {
    sandbox = await openTestSandbox(dialect, { fetch: undefined });
    server = serve({ fetch: createApp(sandbox.deps).fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    sandboxUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    sandbox.deps.publicUrl = sandboxUrl;
    // One paid trade of the merchant's; the good merchant has its order.
    const trade = await open(sandbox.deps, directParams({ total_fee: '12.34' }));
    outTradeNo = trade.outTradeNo;
    orders.set(outTradeNo, { totalFen: toFen('12.34'), status: 'WAIT_BUYER_PAY', paidCount: 0 });
    await payTrade(sandbox.deps, trade.tradeNo, { buyerId: BUYER.userId });
  });
  afterAll(async () => {
    for (const s of servers) s.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sandbox.close();
  });

  it('passes a merchant that does everything right, and the order is paid once and never moves back', async () => {
    const returns: string[] = [];
    const good = await goodMerchant(`${sandboxUrl}/gateway.do`, orders, returns);
    servers.push(good.server);
    const report = await checkMerchant(sandbox.deps, { partner: SEED_MERCHANT.partner, notifyUrl: `${good.url}/notify`, returnUrl: `${good.url}/return` });
    expect(report.outTradeNo).toBe(outTradeNo);
    expect(report.failed, JSON.stringify(report.cases, null, 2)).toBe(0);
    expect(outcomes(report)).toEqual({
      genuine: 'passed',
      again: 'check',
      'forged-sign': 'check',
      'denied-notify-id': 'check',
      'unknown-order': 'check',
      'wrong-amount': 'check',
      'wrong-seller': 'check',
      'older-status': 'check',
      'awkward-values': 'passed',
      return: 'passed',
      'return-again': 'passed',
    });
    expect(orders.get(outTradeNo)).toMatchObject({ status: 'TRADE_FINISHED', paidCount: 1 });
    // The first return verified (sign and notify_verify); the reload found its notify_id used up.
    expect(returns[0]).toBe('verified');
    expect(returns[1]).toMatch(/notify_verify/);
  });

  it('fails a merchant that gets each thing wrong, saying how to fix each', async () => {
    const bad = await badMerchant();
    servers.push(bad.server);
    const report = await checkMerchant(sandbox.deps, { partner: SEED_MERCHANT.partner, notifyUrl: `${bad.url}/notify`, returnUrl: `${bad.url}/return`, outTradeNo });
    expect(outcomes(report)).toEqual({
      genuine: 'failed',
      // "success\n" counts as acknowledged (decisions.md §6): the genuine case reports the newline.
      again: 'check',
      'forged-sign': 'failed',
      'denied-notify-id': 'failed',
      'unknown-order': 'failed',
      'wrong-amount': 'failed',
      'wrong-seller': 'failed',
      'older-status': 'check',
      'awkward-values': 'passed',
      return: 'passed',
      'return-again': 'failed',
    });
    const byId = Object.fromEntries(report.cases.map((c) => [c.id, c]));
    expect(byId.genuine!.got).toContain('"success\\n"');
    expect(byId.genuine!.advice).toMatch(/exactly "success"/);
    expect(byId['forged-sign']!.advice).toMatch(/verify the sign/);
    expect(byId['wrong-amount']!.advice).toMatch(/total_fee/);
    expect(byId['return-again']!.got).toContain('HTTP 500');
  });

  it('runs from the command line against a running sandbox, exit status 1 when something failed', async () => {
    const bad = await badMerchant();
    servers.push(bad.server);
    const io: CliIo & { out: string; err: string } = {
      out: '',
      err: '',
      stdout: (t) => void (io.out += t),
      stderr: (t) => void (io.err += t),
      env: {},
      cwd: process.cwd(),
      http: nodeHttp,
    };
    const code = await runCli(['check-merchant', '--notify-url', `${bad.url}/notify`, '--url', sandboxUrl], io);
    expect(io.err).toBe('');
    expect(code).toBe(1);
    expect(io.out).toContain(`order ${outTradeNo}`);
    expect(io.out).toMatch(/✗ a genuine notification\n {4}expects {2}exactly "success"/);
    expect(io.out).toContain('3 passed (2 to check in your database: marked ?), 6 failed');
  });

  it('refuses a check without a paid trade or with a bad URL, with a clear error', async () => {
    await expect(checkMerchant(sandbox.deps, { partner: SEED_MERCHANT.partner, notifyUrl: 'ftp://x', outTradeNo })).rejects.toMatchObject({ code: 'ILLEGAL_ARGUMENT', param: 'notify_url' });
    await expect(checkMerchant(sandbox.deps, { partner: SEED_MERCHANT.partner, notifyUrl: 'http://127.0.0.1:9/', outTradeNo: 'no-such-order' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
