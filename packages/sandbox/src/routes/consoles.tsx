import { GatewayError, toFen } from 'alipay-legacy';
import { safeEqual } from 'alipay-legacy/protocol';
import { Hono, type Context } from 'hono';
import { BuyerConsolePage, ConsoleLoginPage, RefundBatchPage, SellerConsolePage } from '../pages/consoles.js';
import {
  SandboxError,
  agreeRefund,
  checkLoginPassword,
  checkPayPassword,
  closeTrade,
  confirmReceipt,
  confirmRefundBatch,
  confirmReturnedGoods,
  getBuyer,
  getMerchant,
  getRefundBatch,
  getTrade,
  listMerchants,
  listRefundBatches,
  listTrades,
  markGoodsReturned,
  refuseRefund,
  requestRefund,
  shipTrade,
  type Merchant,
  type Trade,
} from '../services/index.js';
import { formText, readForm } from './form-input.js';
import { clearLogin, readLogin, setLogin } from './login-cookie.js';
import { localPath } from './local-path.js';
import { hasNul } from './text-guards.js';
import type { AppEnv, Web } from './web-context.js';


/**
 * `/seller/*`: the seller's console. The sandbox has no seller passwords: the seller logs in with
 * the partner id (or the seller email) and the MD5 key, the credentials a merchant holds anyway.
 */
export function sellerRoutes(web: Web): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { deps } = web;

  async function seller(c: Context<AppEnv>): Promise<Merchant | undefined> {
    const partner = readLogin(c, web, { kind: 'seller' });
    return partner ? await getMerchant(deps, partner) : undefined;
  }

  async function sellerTrade(c: Context<AppEnv>): Promise<{ merchant: Merchant; trade: Trade } | Response> {
    const merchant = await seller(c);
    if (!merchant) return c.redirect('/seller', 303);
    const tradeNo = c.req.param('tradeNo') ?? '';
    const trade = hasNul(tradeNo) ? undefined : await getTrade(deps, tradeNo);
    if (!trade || trade.partner !== merchant.partner) throw new GatewayError('TRADE_NOT_EXIST', 'no such trade of this seller');
    return { merchant, trade };
  }

  app.get('/', async (c) => {
    const merchant = await seller(c);
    if (!merchant) return c.html(<ConsoleLoginPage who="seller" />);
    const [trades, batches] = await Promise.all([listTrades(deps, { partner: merchant.partner }), listRefundBatches(deps, { partner: merchant.partner })]);
    return c.html(<SellerConsolePage merchant={merchant} trades={trades} batches={batches} />);
  });

  app.post('/login', async (c) => {
    const form = await readForm(c);
    const login = formText(form, 'login').trim();
    const next = localPath(form.next, '/seller');
    const merchants = await listMerchants(deps);
    const merchant = merchants.find((m) => m.partner === login || m.sellerEmail.toLowerCase() === login.toLowerCase());
    if (!merchant || !safeEqual(merchant.key, formText(form, 'password'))) {
      return c.html(<ConsoleLoginPage who="seller" next={next} login={login} error="账户或交易安全校验码不正确。" />);
    }
    setLogin(c, web, { kind: 'seller' }, merchant.partner);
    return c.redirect(next, 303);
  });

  app.post('/logout', (c) => {
    clearLogin(c, { kind: 'seller' });
    return c.redirect('/seller', 303);
  });

  app.post('/trades/:tradeNo/ship', async (c) => {
    const found = await sellerTrade(c);
    if (found instanceof Response) return found;
    const form = await readForm(c);
    const invoiceNo = formText(form, 'invoice_no');
    await shipTrade(deps, {
      partner: found.merchant.partner,
      tradeNo: found.trade.tradeNo,
      logisticsName: formText(form, 'logistics_name') || '沙箱快递',
      ...(invoiceNo ? { invoiceNo } : {}),
    });
    return c.redirect('/seller', 303);
  });

  const refundActions = { agree: agreeRefund, refuse: refuseRefund, 'confirm-goods': confirmReturnedGoods } as const;
  for (const [action, run] of Object.entries(refundActions)) {
    app.post(`/trades/:tradeNo/refund/${action}`, async (c) => {
      const found = await sellerTrade(c);
      if (found instanceof Response) return found;
      await run(deps, found.trade.tradeNo, { partner: found.merchant.partner });
      return c.redirect('/seller', 303);
    });
  }

  app.post('/trades/:tradeNo/close', async (c) => {
    const found = await sellerTrade(c);
    if (found instanceof Response) return found;
    await closeTrade(deps, { partner: found.merchant.partner, tradeNo: found.trade.tradeNo, role: 'S', actor: 'seller' });
    return c.redirect('/seller', 303);
  });

  // refund_fastpay_by_platform_pwd: the seller confirms the batch here (protocol.md §4.11).
  app.get('/refund-batches/:batchNo', async (c) => {
    const merchant = await seller(c);
    const path = `/seller/refund-batches/${encodeURIComponent(c.req.param('batchNo'))}`;
    if (!merchant) return c.html(<ConsoleLoginPage who="seller" next={path} />);
    const batch = hasNul(c.req.param('batchNo')) ? undefined : await getRefundBatch(deps, c.req.param('batchNo'), { partner: merchant.partner });
    if (!batch) throw new GatewayError('ILLEGAL_ARGUMENT', `no refund batch ${c.req.param('batchNo')} of this seller`, { param: 'batch_no' });
    return c.html(<RefundBatchPage merchant={merchant} batch={batch} />);
  });

  app.post('/refund-batches/:batchNo/confirm', async (c) => {
    const merchant = await seller(c);
    const path = `/seller/refund-batches/${encodeURIComponent(c.req.param('batchNo'))}`;
    if (!merchant) return c.redirect(path, 303);
    if (hasNul(c.req.param('batchNo'))) throw new GatewayError('ILLEGAL_ARGUMENT', 'no such refund batch', { param: 'batch_no' });
    await confirmRefundBatch(deps, c.req.param('batchNo'), { partner: merchant.partner });
    return c.redirect(path, 303);
  });

  return app;
}

/** `/buyer/*`: the buyer's console (confirm receipt, ask for a refund, say the goods went back). */
export function buyerRoutes(web: Web): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { deps } = web;

  async function buyerTrade(c: Context<AppEnv>): Promise<{ buyerId: string; trade: Trade } | Response> {
    const buyerId = readLogin(c, web, { kind: 'buyer' });
    if (!buyerId) return c.redirect('/buyer', 303);
    const tradeNo = c.req.param('tradeNo') ?? '';
    const trade = hasNul(tradeNo) ? undefined : await getTrade(deps, tradeNo);
    if (!trade || trade.buyerId !== buyerId) throw new GatewayError('TRADE_NOT_EXIST', 'no such trade of this buyer');
    return { buyerId, trade };
  }

  app.get('/', async (c) => {
    const buyerId = readLogin(c, web, { kind: 'buyer' });
    const buyer = buyerId ? await getBuyer(deps, buyerId) : undefined;
    if (!buyer) return c.html(<ConsoleLoginPage who="buyer" />);
    const trades = (await listTrades(deps, {})).filter((t) => t.buyerId === buyer.userId);
    return c.html(<BuyerConsolePage buyer={buyer} trades={trades} now={deps.clock.now()} />);
  });

  app.post('/login', async (c) => {
    const form = await readForm(c);
    const login = formText(form, 'login').trim();
    try {
      const buyer = await checkLoginPassword(deps, login, formText(form, 'password'));
      setLogin(c, web, { kind: 'buyer' }, buyer.userId);
    } catch (err) {
      if (err instanceof SandboxError && err.code === 'WRONG_LOGIN') {
        return c.html(<ConsoleLoginPage who="buyer" login={login} error="账户名或登录密码不正确，请重新输入。" />);
      }
      throw err;
    }
    return c.redirect(localPath(form.next, '/buyer'), 303);
  });

  app.post('/logout', (c) => {
    clearLogin(c, { kind: 'buyer' });
    return c.redirect('/buyer', 303);
  });

  app.post('/trades/:tradeNo/confirm-receipt', async (c) => {
    const found = await buyerTrade(c);
    if (found instanceof Response) return found;
    const form = await readForm(c);
    await checkPayPassword(deps, found.buyerId, formText(form, 'pay_password'));
    await confirmReceipt(deps, found.trade.tradeNo, { buyerId: found.buyerId });
    return c.redirect('/buyer', 303);
  });

  app.post('/trades/:tradeNo/refund', async (c) => {
    const found = await buyerTrade(c);
    if (found instanceof Response) return found;
    const form = await readForm(c);
    await requestRefund(deps, found.trade.tradeNo, {
      buyerId: found.buyerId,
      amountFen: toFen(formText(form, 'amount') || '0', 'amount'),
      reason: formText(form, 'reason') || '沙箱退款',
      returnGoods: formText(form, 'return_goods') === '1',
    });
    return c.redirect('/buyer', 303);
  });

  app.post('/trades/:tradeNo/goods-returned', async (c) => {
    const found = await buyerTrade(c);
    if (found instanceof Response) return found;
    const form = await readForm(c);
    const logisticsName = formText(form, 'logistics_name');
    const invoiceNo = formText(form, 'invoice_no');
    await markGoodsReturned(deps, found.trade.tradeNo, {
      buyerId: found.buyerId,
      ...(logisticsName ? { logisticsName } : {}),
      ...(invoiceNo ? { invoiceNo } : {}),
    });
    return c.redirect('/buyer', 303);
  });

  return app;
}
