import { AlipayError, GatewayError, toFen } from 'alipay-legacy';
import { safeEqual } from 'alipay-legacy/protocol';
import { Hono, type Context } from 'hono';
import { BuyerConsolePage, ConsoleLoginPage, RefundBatchPage, SellerConsolePage, type ConsoleRefusal } from '../pages/consoles.js';
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
  latestEscrowRefunds,
  listMerchants,
  listRefundBatches,
  listTrades,
  markGoodsReturned,
  refuseRefund,
  requestRefund,
  shipTrade,
  type Buyer,
  type Merchant,
  type Trade,
} from '../services/index.js';
import { formText, readForm, type FormFields } from './form-input.js';
import { clearLogin, readLogin, setLogin } from './login-cookie.js';
import { localPath } from './local-path.js';
import { hasNul } from './text-guards.js';
import type { AppEnv, Web } from './web-context.js';

type Form = FormFields;

/**
 * A console action refused (a wrong payment password, a rule's refusal, a bad amount): the typed
 * refusal the service threw, shown on the console itself (decisions.md §34). Anything else is the
 * sandbox's own error and goes to the app's error mapping.
 */
function refusalOf(err: unknown, tradeNo: string): ConsoleRefusal {
  if (err instanceof AlipayError) return { tradeNo, code: err.code, detail: err.message };
  throw err;
}

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

  async function sellerTrade(merchant: Merchant, tradeNo: string): Promise<Trade> {
    const trade = hasNul(tradeNo) ? undefined : await getTrade(deps, tradeNo);
    if (!trade || trade.partner !== merchant.partner) throw new GatewayError('TRADE_NOT_EXIST', 'no such trade of this seller');
    return trade;
  }

  async function sellerPage(c: Context<AppEnv>, merchant: Merchant, refusal?: ConsoleRefusal) {
    const [trades, batches] = await Promise.all([listTrades(deps, { partner: merchant.partner }), listRefundBatches(deps, { partner: merchant.partner })]);
    const refunds = await latestEscrowRefunds(deps, trades.map((t) => t.tradeNo));
    return c.html(<SellerConsolePage merchant={merchant} trades={trades} batches={batches} refunds={refunds} {...(refusal ? { refusal } : {})} />);
  }

  /** One action on one of the seller's trades: done, back to the console; refused, the console with the reason. */
  function sellerAction(path: string, run: (merchant: Merchant, trade: Trade, form: Form) => Promise<unknown>) {
    app.post(`/trades/:tradeNo/${path}`, async (c) => {
      const merchant = await seller(c);
      if (!merchant) return c.redirect('/seller', 303);
      const tradeNo = c.req.param('tradeNo');
      try {
        const trade = await sellerTrade(merchant, tradeNo);
        await run(merchant, trade, await readForm(c));
      } catch (err) {
        return sellerPage(c, merchant, refusalOf(err, tradeNo));
      }
      return c.redirect('/seller', 303);
    });
  }

  app.get('/', async (c) => {
    const merchant = await seller(c);
    if (!merchant) return c.html(<ConsoleLoginPage who="seller" />);
    return sellerPage(c, merchant);
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

  sellerAction('ship', async (merchant, trade, form) => {
    const invoiceNo = formText(form, 'invoice_no');
    await shipTrade(deps, {
      partner: merchant.partner,
      tradeNo: trade.tradeNo,
      logisticsName: formText(form, 'logistics_name') || '沙箱快递',
      ...(invoiceNo ? { invoiceNo } : {}),
    });
  });

  const refundActions = { agree: agreeRefund, refuse: refuseRefund, 'confirm-goods': confirmReturnedGoods } as const;
  for (const [action, run] of Object.entries(refundActions)) {
    sellerAction(`refund/${action}`, (merchant, trade) => run(deps, trade.tradeNo, { partner: merchant.partner }));
  }

  sellerAction('close', (merchant, trade) => closeTrade(deps, { partner: merchant.partner, tradeNo: trade.tradeNo, role: 'S', actor: 'seller' }));

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
    try {
      await confirmRefundBatch(deps, c.req.param('batchNo'), { partner: merchant.partner });
    } catch (err) {
      const refusal = refusalOf(err, '');
      const batch = await getRefundBatch(deps, c.req.param('batchNo'), { partner: merchant.partner });
      if (!batch) throw err;
      return c.html(<RefundBatchPage merchant={merchant} batch={batch} refusal={refusal} />);
    }
    return c.redirect(path, 303);
  });

  return app;
}

/** `/buyer/*`: the buyer's console (confirm receipt, ask for a refund, say the goods went back). */
export function buyerRoutes(web: Web): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { deps } = web;

  async function buyerTrade(buyer: Buyer, tradeNo: string): Promise<Trade> {
    const trade = hasNul(tradeNo) ? undefined : await getTrade(deps, tradeNo);
    if (!trade || trade.buyerId !== buyer.userId) throw new GatewayError('TRADE_NOT_EXIST', 'no such trade of this buyer');
    return trade;
  }

  async function loggedInBuyer(c: Context<AppEnv>): Promise<Buyer | undefined> {
    const buyerId = readLogin(c, web, { kind: 'buyer' });
    return buyerId ? await getBuyer(deps, buyerId) : undefined;
  }

  async function buyerPage(c: Context<AppEnv>, buyer: Buyer, refusal?: ConsoleRefusal) {
    const trades = (await listTrades(deps, {})).filter((t) => t.buyerId === buyer.userId);
    const refunds = await latestEscrowRefunds(deps, trades.map((t) => t.tradeNo));
    return c.html(<BuyerConsolePage buyer={buyer} trades={trades} refunds={refunds} now={deps.clock.now()} {...(refusal ? { refusal } : {})} />);
  }

  /** One action on one of the buyer's trades: done, back to the console; refused, the console with the reason. */
  function buyerAction(path: string, run: (buyer: Buyer, trade: Trade, form: Form) => Promise<unknown>) {
    app.post(`/trades/:tradeNo/${path}`, async (c) => {
      const buyer = await loggedInBuyer(c);
      if (!buyer) return c.redirect('/buyer', 303);
      const tradeNo = c.req.param('tradeNo');
      try {
        const trade = await buyerTrade(buyer, tradeNo);
        await run(buyer, trade, await readForm(c));
      } catch (err) {
        return buyerPage(c, buyer, refusalOf(err, tradeNo));
      }
      return c.redirect('/buyer', 303);
    });
  }

  app.get('/', async (c) => {
    const buyer = await loggedInBuyer(c);
    if (!buyer) return c.html(<ConsoleLoginPage who="buyer" />);
    return buyerPage(c, buyer);
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

  buyerAction('confirm-receipt', async (buyer, trade, form) => {
    await checkPayPassword(deps, buyer.userId, formText(form, 'pay_password'));
    await confirmReceipt(deps, trade.tradeNo, { buyerId: buyer.userId });
  });

  buyerAction('refund', (buyer, trade, form) =>
    requestRefund(deps, trade.tradeNo, {
      buyerId: buyer.userId,
      amountFen: toFen(formText(form, 'amount').trim() || '0', 'amount'),
      reason: formText(form, 'reason') || '沙箱退款',
      returnGoods: formText(form, 'return_goods') === '1',
    }),
  );

  buyerAction('goods-returned', (buyer, trade, form) => {
    const logisticsName = formText(form, 'logistics_name');
    const invoiceNo = formText(form, 'invoice_no');
    return markGoodsReturned(deps, trade.tradeNo, {
      buyerId: buyer.userId,
      ...(logisticsName ? { logisticsName } : {}),
      ...(invoiceNo ? { invoiceNo } : {}),
    });
  });

  return app;
}
