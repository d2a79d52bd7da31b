import { BANKS, bankByCode, GatewayError, type Bank } from 'alipay-legacy';
import { Hono, type Context } from 'hono';
import { BankChoice, BankPage } from '../pages/bank.js';
import { BalanceRefusalPage, CashierLoginPage, ClosedPage, ConfirmOrderPage, MERCHANT_CONSIGNEE, PayPage, SuccessPage } from '../pages/cashier.js';
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
  type PayTradeResult,
  type Trade,
} from '../services/index.js';
import { isEscrowService, payMethodsOf } from '../service-catalogue.js';
import { awaitsOrderConfirmation, bankChannel, merchantConsignee, requirePayable } from '../services/trade-rules.js';
import { readLogin, setLogin } from './login-cookie.js';
import { formText, readForm } from './form-input.js';
import { createPaidReturns } from './paid-returns.js';
import { hasNul } from './text-guards.js';
import type { AppEnv, Web } from './web-context.js';

/**
 * The cashier (`/cashier/:tradeNo`): thin handlers over the cashier services. Each step posts and
 * redirects back (POST-redirect-GET), so a reload never pays twice.
 */
export function cashierRoutes(web: Web): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { deps } = web;
  const paidReturns = createPaidReturns();

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
    // '' is a buyer who logged out here: the token does not log them in again (the switch of account).
    let userId = readLogin(c, web, scope);
    if (userId === undefined) {
      const token = trade.requestParams.token;
      const resolved = token ? await resolveToken(deps, trade.partner, token) : undefined;
      if (resolved?.loginLive) {
        userId = resolved.userId;
        setLogin(c, web, scope, userId);
      }
    }
    return userId ? await getBuyer(deps, userId) : undefined;
  }

  /**
   * The step the buyer is at: confirming the order (escrow, not yet confirmed, confirmed by another
   * account, or `change`: back from the password to change the choice), else the payment password.
   */
  async function stepPage(c: Context<AppEnv>, trade: Trade, merchant: Merchant, buyer: Buyer, error?: string, change = false) {
    const addresses = await listAddresses(deps, buyer.userId);
    const escrow = isEscrowService(trade.service);
    const consignee = merchantConsignee(trade);
    if (awaitsOrderConfirmation(trade) || (escrow && (change || trade.buyerId !== buyer.userId))) {
      return c.html(
        <ConfirmOrderPage trade={trade} merchant={merchant} buyer={buyer} addresses={addresses} {...(consignee ? { consignee } : {})} {...(error ? { error } : {})} />,
      );
    }
    const address = addresses.find((a) => a.id === trade.addressId);
    const channel = bankChannel(trade);
    const bankChoice = channel ? (
      <BankChoice tradeNo={trade.tradeNo} banks={BANKS} {...(channel.bank ? { chosen: channel.bank } : {})} {...(channel.unknownCode !== undefined ? { unknownCode: channel.unknownCode } : {})} />
    ) : undefined;
    return c.html(
      <PayPage trade={trade} merchant={merchant} buyer={buyer} {...(address ? { address } : {})} {...(error ? { error } : {})} {...(bankChoice ? { bankChoice } : {})} />,
    );
  }

  /** To the success page of a payment just made, by the short id of its way back (decisions.md §35). */
  function toSuccess(c: Context<AppEnv>, tradeNo: string, result: PayTradeResult) {
    const paid = result.returnSkipped ? { returnSkipped: true } : result.returnUrl ? { returnUrl: result.returnUrl } : {};
    return c.redirect(`/cashier/${tradeNo}/success?s=${paidReturns.add(tradeNo, paid)}`, 303);
  }

  /** The bank of a bank-payment step, when the trade offers the bank channel and the code is a known bank (decisions.md §27). */
  function bankFor(trade: Trade, code: string): Bank | undefined {
    return bankChannel(trade) ? bankByCode(code) : undefined;
  }

  app.get('/:tradeNo', async (c) => {
    const { trade, merchant } = await load(c);
    assertPayable(trade);
    const buyer = await currentBuyer(c, trade);
    if (!buyer) return c.html(<CashierLoginPage trade={trade} merchant={merchant} login={trade.buyerEmail ?? ''} />);
    return stepPage(c, trade, merchant, buyer, undefined, c.req.query('change') === '1');
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
    setLogin(c, web, { kind: 'trade', tradeNo: trade.tradeNo }, '');
    return c.redirect(`/cashier/${trade.tradeNo}`, 303);
  });

  app.post('/:tradeNo/confirm', async (c) => {
    const { trade, merchant } = await load(c);
    assertPayable(trade);
    const buyer = await currentBuyer(c, trade);
    if (!buyer) return c.redirect(`/cashier/${trade.tradeNo}`, 303);
    const form = await readForm(c);
    const logisticsIndex = Number(formText(form, 'logistics') || '0');
    // `merchant`: the consignee the request filled in (decisions.md §27); else a saved address's id.
    const chosen = formText(form, 'address');
    const consignee = chosen === MERCHANT_CONSIGNEE && merchantConsignee(trade) !== undefined;
    const addressId = consignee ? undefined : Number(chosen);
    if (!Number.isInteger(logisticsIndex) || !trade.logisticsOptions[logisticsIndex]) {
      return stepPage(c, trade, merchant, buyer, '请选择物流方式。');
    }
    if (addressId !== undefined && (!Number.isInteger(addressId) || addressId <= 0)) return stepPage(c, trade, merchant, buyer, '请选择收货地址。');
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
      result = await payTrade(deps, trade.tradeNo, { buyerId: buyer.userId, atCashier: true, ...(method ? { method } : {}) });
    } catch (err) {
      if (err instanceof SandboxError && err.code === 'BALANCE_NOT_ENOUGH') {
        return c.html(<BalanceRefusalPage trade={trade} merchant={merchant} buyer={buyer} />);
      }
      throw err;
    }
    return toSuccess(c, trade.tradeNo, result);
  });

  // The simulated online bank (decisions.md §27): a known bank of a bankPay trade, else back to the cashier's choice.
  app.get('/:tradeNo/bank', async (c) => {
    const { trade, merchant } = await load(c);
    assertPayable(trade);
    const buyer = await currentBuyer(c, trade);
    const bank = bankFor(trade, c.req.query('bank') ?? '');
    if (!buyer || !bank) return c.redirect(`/cashier/${trade.tradeNo}`, 303);
    return c.html(<BankPage trade={trade} merchant={merchant} bank={bank} />);
  });

  app.post('/:tradeNo/bank/pay', async (c) => {
    const { trade } = await load(c);
    assertPayable(trade);
    const buyer = await currentBuyer(c, trade);
    const bank = bankFor(trade, formText(await readForm(c), 'bank'));
    if (!buyer || !bank) return c.redirect(`/cashier/${trade.tradeNo}`, 303);
    const result = await payTrade(deps, trade.tradeNo, { buyerId: buyer.userId, bank: bank.code, atCashier: true });
    return toSuccess(c, trade.tradeNo, result);
  });

  app.get('/:tradeNo/success', async (c) => {
    const { trade } = await load(c);
    if (trade.tradeStatus === 'WAIT_BUYER_PAY') return c.redirect(`/cashier/${trade.tradeNo}`, 303);
    const id = c.req.query('s');
    const paid = paidReturns.get(id, trade.tradeNo);
    const way = paid
      ? { ...(paid.returnUrl ? { returnUrl: paid.returnUrl } : {}), ...(paid.returnSkipped ? { returnSkipped: true } : {}) }
      : { returnLost: trade.returnUrl !== null };
    const closeUrl = `/cashier/${trade.tradeNo}/closed${paid && id ? `?s=${id}` : ''}`;
    return c.html(<SuccessPage amountFen={trade.totalFeeFen} subject={trade.subject} closeUrl={closeUrl} {...way} />);
  });

  // 关闭: the buyer closed the success page; the browser does not go back (protocol.md §12.1).
  app.get('/:tradeNo/closed', async (c) => {
    const { trade } = await load(c);
    if (trade.tradeStatus === 'WAIT_BUYER_PAY' || !paidReturns.get(c.req.query('s'), trade.tradeNo)) return c.redirect(`/cashier/${trade.tradeNo}`, 303);
    return c.html(<ClosedPage amountFen={trade.totalFeeFen} />);
  });

  return app;
}
