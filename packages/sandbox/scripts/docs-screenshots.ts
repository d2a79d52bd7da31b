// Writes the README's two dashboard screenshots (docs/dashboard.png, docs/trade.png) from a
// sandbox with a few trades in it: a paid order, an escrow order taken to a refund, a merchant
// that answers "success\n", and one that is down until its notification is given up and recovered.
//   node --conditions=alipay-legacy-source --import tsx packages/sandbox/scripts/docs-screenshots.ts
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { SEED_BUYERS } from '../src/seed.js';
import { listNotifications, recoverGivenUp, takeTradeAction } from '../src/services/index.js';
import { MerchantServer } from '../test/helpers/merchant-server.js';
import { serveSandbox } from '../test/helpers/served-sandbox.js';
import { PARTNER, directPayParams, escrowParams, gatewayPath, signRequest } from '../test/helpers/gateway-client.js';

const DOCS = join(import.meta.dirname, '..', 'docs');
const served = await serveSandbox({ db: ':memory:' });
const { sandbox, base } = served;
const merchant = await new MerchantServer('success').start();
const newline = await new MerchantServer('success-newline').start();
const down = await new MerchantServer('error-500').start();

async function order(params: Record<string, string>, pay = true): Promise<string> {
  const res = await fetch(`${base}${gatewayPath(signRequest(params))}`, { redirect: 'manual' });
  const tradeNo = res.headers.get('location')!.split('/').pop()!;
  if (pay) await fetch(`${base}/sandbox/api/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ partner: PARTNER, out_trade_no: params.out_trade_no, buyer: SEED_BUYERS[0]!.login }) });
  return tradeNo;
}

async function settled(): Promise<void> {
  for (;;) {
    const open = (await listNotifications(sandbox.deps)).filter((n) => n.state === 'pending' || n.state === 'delivering');
    if (open.length === 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

await order(directPayParams({ subject: '年货礼盒', total_fee: '268.00', notify_url: down.url }));
await settled();
await sandbox.deps.clock.advance(2 * 86_400);
down.answer('success');
await recoverGivenUp(sandbox.deps, { since: 0 });
await order(directPayParams({ subject: '会员年费', total_fee: '99.00', notify_url: newline.url }));
const escrow = await order(escrowParams({ subject: '机械键盘', notify_url: merchant.url }));
await takeTradeAction(sandbox.deps, escrow, 'SEND_GOODS', { logisticsName: '顺丰速运', invoiceNo: 'SF1001' });
await takeTradeAction(sandbox.deps, escrow, 'REFUND', { reason: '不想要了' });
await order(directPayParams({ subject: '咖啡豆 500g', total_fee: '88.00', notify_url: merchant.url }), false);
await settled();

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } })).newPage();
await page.goto(base);
await page.screenshot({ path: join(DOCS, 'dashboard.png'), fullPage: true });
await page.goto(`${base}/trades/${escrow}`);
await page.screenshot({ path: join(DOCS, 'trade.png'), fullPage: true });
await browser.close();
await served.close();
await Promise.all([merchant.stop(), newline.stop(), down.stop()]);
