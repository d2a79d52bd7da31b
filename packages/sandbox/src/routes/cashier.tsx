import { GatewayError } from 'alipay-legacy';
import { Hono, type Context } from 'hono';
import { BalanceRefusalPage, CashierLoginPage, ConfirmOrderPage, PayPage, SuccessPage } from '../pages/cashier.js';
import {
  SandboxError,
  checkLoginPassword,
  checkPayPassword,
  confirmOrder,
  getBuyer,
  getMerchant,
  getTrade,
  listAddresses,
  payTrade,
  resolveToken,
  type Buyer,
  type Merchant,
  type Trade,
} from '../services/index.js';
import { payMethodsOf } from '../service-catalogue.js';
import { awaitsOrderConfirmation, requirePayable } from '../services/trade-rules.js';
import { clearLogin, readLogin, setLogin } from './login-cookie.js';
import { formText, readForm } from './form-input.js';
import { hasNul } from './text-guards.js';
import type { AppEnv, Web } from './web-context.js';

interface SuccessTicket {
  t: string;
  r?: string;
}

/**
 * The cashier (`/cashier/:tradeNo`): thin handlers over the cashier services. Each step posts and
 * redirects back (POST-redirect-GET), so a reload never pays twice.
 */
export function cashierRoutes(web: Web): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { deps } = web;

  async function load(c: Context<AppEnv>): Promise<{ trade: Trade; merchant: Merchant }> {
    const tradeNo = c.req.param('tradeNo') ?? '';
    const trade = hasNul(tradeNo) ? undefined : await getTrade(deps, tradeNo);
    const merchant = trade ? await getMerchant(deps, trade.partner) : undefined;
    if (!trade || !merchant) throw new GatewayError('TRADE_NOT_EXIST', `no trade ${tradeNo}`, { param: 'trade_no' });
    return { trade, merchant };
  }

  /** The cashier is there for a trade the buyer can pay: the rule says (trade-rules.ts). */
  function assertPayable(trade: Trade): void {
    requirePayable(trade, deps.clock.now());
  }

  /**
   * The buyer logged in for this trade: by the cashier's login form, or by the quick-login token the
   * payment request carried when its login state is still live (decisions.md §16).
   */
  async function currentBuyer(c: Context<AppEnv>, trade: Trade): Promise<Buyer | undefined> {
    const scope = { kind: 'trade', tradeNo: trade.tradeNo } as const;
    let userId = readLogin(c, web, scope);
    if (!userId) {
      const token = trade.requestParams.token;
      const resolved = token ? await resolveToken(deps, trade.partner, token) : undefined;
      if (resolved?.loginLive) {
        userId = resolved.userId;
        setLogin(c, web, scope, userId);
      }
    }
    return userId ? await getBuyer(deps, userId) : undefined;
  }

  async function stepPage(c: Context<AppEnv>, trade: Trade, merchant: Merchant, buyer: Buyer, error?: string) {
    const addresses = await listAddresses(deps, buyer.userId);
    if (awaitsOrderConfirmation(trade)) {
      return c.html(<ConfirmOrderPage trade={trade} merchant={merchant} buyer={buyer} addresses={addresses} {...(error ? { error } : {})} />);
    }
    const address = addresses.find((a) => a.id === trade.addressId);
    return c.html(<PayPage trade={trade} merchant={merchant} buyer={buyer} {...(address ? { address } : {})} {...(error ? { error } : {})} />);
  }

  app.get('/:tradeNo', async (c) => {
    const { trade, merchant } = await load(c);
    assertPayable(trade);
    const buyer = await currentBuyer(c, trade);
    if (!buyer) return c.html(<CashierLoginPage trade={trade} merchant={merchant} login={trade.buyerEmail ?? ''} />);
    return stepPage(c, trade, merchant, buyer);
  });

  app.post('/:tradeNo/login', async (c) => {
    const { trade, merchant } = await load(c);
    assertPayable(trade);
    const form = await readForm(c);
    const login = formText(form, 'login');
    try {
      const buyer = await checkLoginPassword(deps, login, formText(form, 'password'));
      setLogin(c, web, { kind: 'trade', tradeNo: trade.tradeNo }, buyer.userId);
    } catch (err) {
      if (err instanceof SandboxError && err.code === 'WRONG_LOGIN') {
        return c.html(<CashierLoginPage trade={trade} merchant={merchant} login={login} error="账户名或登录密码不正确，请重新输入。" />);
      }
      throw err;
    }
    return c.redirect(`/cashier/${trade.tradeNo}`, 303);
  });

  app.post('/:tradeNo/logout', async (c) => {
    // Only a trade that exists names a cookie (and a redirect): anything else is TRADE_NOT_EXIST.
    const { trade } = await load(c);
    clearLogin(c, { kind: 'trade', tradeNo: trade.tradeNo });
    return c.redirect(`/cashier/${trade.tradeNo}`, 303);
  });

  app.post('/:tradeNo/confirm', async (c) => {
    const { trade, merchant } = await load(c);
    assertPayable(trade);
    const buyer = await currentBuyer(c, trade);
    if (!buyer) return c.redirect(`/cashier/${trade.tradeNo}`, 303);
    const form = await readForm(c);
    const logisticsIndex = Number(formText(form, 'logistics') || '0');
    const addressId = Number(formText(form, 'address'));
    if (!Number.isInteger(logisticsIndex) || !trade.logisticsOptions[logisticsIndex]) {
      return stepPage(c, trade, merchant, buyer, '请选择物流方式。');
    }
    if (!Number.isInteger(addressId) || addressId <= 0) return stepPage(c, trade, merchant, buyer, '请选择收货地址。');
    try {
      await confirmOrder(deps, trade.tradeNo, { buyerId: buyer.userId, logisticsIndex, addressId });
    } catch (err) {
      if (err instanceof SandboxError && err.code === 'BAD_INPUT') return stepPage(c, trade, merchant, buyer, err.message);
      throw err;
    }
    return c.redirect(`/cashier/${trade.tradeNo}`, 303);
  });

  app.post('/:tradeNo/pay', async (c) => {
    const { trade, merchant } = await load(c);
    assertPayable(trade);
    const buyer = await currentBuyer(c, trade);
    if (!buyer) return c.redirect(`/cashier/${trade.tradeNo}`, 303);
    const form = await readForm(c);
    try {
      await checkPayPassword(deps, buyer.userId, formText(form, 'pay_password'));
    } catch (err) {
      if (err instanceof SandboxError && err.code === 'WRONG_PAY_PASSWORD') {
        return stepPage(c, trade, merchant, buyer, '支付密码不正确，请重新输入。');
      }
      throw err;
    }
    const chosen = formText(form, 'method');
    const method = payMethodsOf(trade.service).find((m) => m === chosen);
    let result;
    try {
      result = await payTrade(deps, trade.tradeNo, { buyerId: buyer.userId, ...(method ? { method } : {}) });
    } catch (err) {
      if (err instanceof SandboxError && err.code === 'BALANCE_NOT_ENOUGH') {
        return c.html(<BalanceRefusalPage trade={trade} merchant={merchant} buyer={buyer} />);
      }
      throw err;
    }
    const ticket: SuccessTicket = { t: trade.tradeNo, ...(result.returnUrl ? { r: result.returnUrl } : {}) };
    return c.redirect(`/cashier/${trade.tradeNo}/success?s=${encodeURIComponent(web.sealer.seal(ticket))}`, 303);
  });

  app.get('/:tradeNo/success', async (c) => {
    const { trade } = await load(c);
    const ticket = web.sealer.open<SuccessTicket>(c.req.query('s'));
    if (!ticket || ticket.t !== trade.tradeNo || trade.tradeStatus === 'WAIT_BUYER_PAY') {
      return c.redirect(`/cashier/${trade.tradeNo}`, 303);
    }
    return c.html(<SuccessPage amountFen={trade.totalFeeFen} subject={trade.subject} {...(ticket.r ? { returnUrl: ticket.r } : {})} />);
  });

  return app;
}
