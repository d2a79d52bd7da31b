import { readTextBody } from './request-body.js';
import { BANKS, bankByCode, formatAlipayTime, fromFen, GatewayError, toFen } from 'alipay-legacy';
import { Hono, type Context } from 'hono';
import {
  SandboxError,
  addressQueryForm,
  agreeRefund,
  authorizeReturnUrl,
  closeTrade,
  confirmReceipt,
  confirmRefundBatch,
  confirmReturnedGoods,
  faultKindsText,
  faultParameters,
  findBuyerByLogin,
  findTrade,
  getAlipayKeys,
  getBuyer,
  getFault,
  getTrade,
  issueToken,
  listAddresses,
  listBuyers,
  listMerchants,
  listNotifications,
  listRefundBatches,
  listRefunds,
  listTrades,
  markGoodsReturned,
  payTrade,
  recoverGivenUp,
  refuseRefund,
  replayNotification,
  requestRefund,
  requireMerchant,
  setFault,
  shipTrade,
  tradeEvents,
  updateMerchantSettings,
  type Buyer,
  type MerchantSettingsPatch,
  type Trade,
} from '../services/index.js';
import { isEscrowService } from '../service-catalogue.js';
import { buyerView, checkReportView, eventView, merchantView, notificationView, refundBatchView, tradeView } from './api-views.js';
import { checkMerchant } from '../services/check-merchant.js';
import { apiGuard } from './site-guard.js';
import { API_ROUTES } from './api-index.js';
import { readBeijingTime } from '../beijing-time.js';
import { hasNul } from './text-guards.js';
import type { AppEnv, Web } from './web-context.js';

type Body = Record<string, unknown>;

/** The most notifications `GET /notifications` answers at once. */
const NOTIFICATION_PAGE = 500;

/** A refusal of the API's own input: `{error: 'ILLEGAL_ARGUMENT', message}` with 400. */
function bad(message: string, param?: string): GatewayError {
  return new GatewayError('ILLEGAL_ARGUMENT', message, param ? { param } : {});
}

async function jsonBody(c: Context<AppEnv>): Promise<Body> {
  const text = await readTextBody(c);
  if (text.trim() === '') return {};
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('the body must be a JSON object');
  return value as Body;
}

function str(body: Body, name: string, required: true): string;
function str(body: Body, name: string, required?: false): string | undefined;
function str(body: Body, name: string, required = false): string | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') {
    if (required) throw bad(`${name} is required`, name);
    return undefined;
  }
  if (typeof value !== 'string' && typeof value !== 'number') throw bad(`${name} must be a string`, name);
  const text = String(value);
  // Identifiers with a NUL are looked up and not found (text-guards.ts); free text is refused.
  if (hasNul(text) && !LOOKUP_FIELDS.has(name)) throw bad(`${name} contains a NUL character`, name);
  return text;
}

const LOOKUP_FIELDS = new Set(['partner', 'out_trade_no', 'buyer', 'token']);

/** What a page service's request would have said: partner, return_url, `charset`, `sign_type`. */
function pageRequest(body: Body, partner: string): { partner: string; returnUrl: string; charset?: string; signType?: string } {
  const charset = str(body, 'charset');
  const signType = str(body, 'sign_type');
  return { partner, returnUrl: str(body, 'return_url', true), ...(charset ? { charset } : {}), ...(signType ? { signType } : {}) };
}

function int(body: Body, name: string, range: [number, number]): number | undefined {
  const value = body[name];
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < range[0] || n > range[1]) throw bad(`${name} must be a whole number from ${range[0]} to ${range[1]}`, name);
  return n;
}

function bool(body: Body, name: string): boolean | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw bad(`${name} must be true or false`, name);
  return value;
}

/** `since`: a Beijing time (`2026-11-22 10:00:00`) or epoch milliseconds. */
function sinceOf(body: Body): number {
  const value = body.since;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  const ms = typeof value === 'string' ? readBeijingTime(value) : undefined;
  if (ms === undefined) throw bad('since must be a Beijing time such as "2026-11-22 10:00:00", or epoch milliseconds', 'since');
  return ms;
}

/**
 * `/sandbox/api/*`: the JSON test-helper API. It lets a
 * merchant's automated tests do what a buyer or seller would do in the browser, through the same
 * service functions as the pages (so the same notifications go out), and see what happened.
 * Errors are `{error: CODE, message}` with a 4xx status.
 */
export function apiRoutes(web: Web): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { deps } = web;
  app.use('*', async (c, next) => {
    c.set('replyKind', 'json');
    await next();
  });
  app.use('*', apiGuard(web));

  async function trade(c: Context<AppEnv>): Promise<Trade> {
    const tradeNo = c.req.param('trade_no') ?? '';
    const found = hasNul(tradeNo) ? undefined : await getTrade(deps, tradeNo);
    if (!found) throw new SandboxError('NOT_FOUND', `no trade ${tradeNo}`);
    return found;
  }

  async function buyerOf(login: string): Promise<Buyer> {
    const buyer = hasNul(login) ? undefined : (await findBuyerByLogin(deps, login)) ?? (/^2088\d{12}$/.test(login) ? await getBuyer(deps, login) : undefined);
    if (!buyer) throw new SandboxError('NOT_FOUND', `no buyer "${login}" (use a login such as buyer@sandbox.test or a 2088… user id)`);
    return buyer;
  }

  function tradeBuyer(t: Trade): string {
    if (!t.buyerId) throw new SandboxError('BAD_STATE', `trade ${t.tradeNo} has no buyer yet (it is unpaid)`);
    return t.buyerId;
  }

  app.get('/', (c) => c.json({ routes: API_ROUTES, readme: 'the README of alipay-legacy-sandbox, "The test-helper API"' }));

  // --- Who is there -----------------------------------------------------------------------------
  app.get('/merchants', async (c) => {
    const { publicKey } = getAlipayKeys();
    return c.json((await listMerchants(deps)).map((m) => merchantView(m, publicKey)));
  });

  app.post('/merchants/:partner/settings', async (c) => {
    const body = await jsonBody(c);
    const patch: MerchantSettingsPatch = {};
    const flags = { anti_phishing: 'antiPhishing', ip_check: 'ipCheck', advanced_instant: 'advancedInstant', self_timeout: 'selfTimeout' } as const;
    for (const [name, field] of Object.entries(flags)) {
      const value = bool(body, name);
      if (value !== undefined) patch[field] = value;
    }
    const days = int(body, 'refund_window_days', [1, 3650]);
    if (days !== undefined) patch.refundWindowDays = days;
    if (body.services !== undefined) {
      if (!Array.isArray(body.services) || !body.services.every((s) => typeof s === 'string')) throw bad('services must be a list of service names', 'services');
      patch.services = body.services as string[];
    }
    if (body.sign_types !== undefined) {
      if (!Array.isArray(body.sign_types) || !body.sign_types.every((s) => s === 'MD5' || s === 'RSA')) throw bad('sign_types must be a list of MD5 / RSA', 'sign_types');
      patch.signTypes = body.sign_types as ('MD5' | 'RSA')[];
    }
    if (body.rsa_public_key !== undefined) {
      if (body.rsa_public_key !== null && typeof body.rsa_public_key !== 'string') throw bad('rsa_public_key must be a PEM string or null', 'rsa_public_key');
      patch.rsaPublicKey = body.rsa_public_key;
    }
    const merchant = await updateMerchantSettings(deps, c.req.param('partner'), patch);
    return c.json(merchantView(merchant, getAlipayKeys().publicKey));
  });

  app.get('/buyers', async (c) => {
    const buyers = await listBuyers(deps);
    return c.json(
      await Promise.all(
        buyers.map(async (b) => ({
          ...buyerView(b),
          addresses: (await listAddresses(deps, b.userId)).map((a) => ({
            id: a.id,
            fullname: a.fullname,
            prov: a.prov,
            city: a.city,
            area: a.area,
            address: a.address,
            address_code: a.addressCode,
            mobile_phone: a.mobilePhone,
            phone: a.phone,
            post: a.post,
          })),
        })),
      ),
    );
  });

  // --- The buyer pays -----------------------------------------------------------------------------
  app.post('/pay', async (c) => {
    const body = await jsonBody(c);
    const partner = str(body, 'partner', true);
    const outTradeNo = str(body, 'out_trade_no', true);
    const buyer = await buyerOf(str(body, 'buyer', true));
    const requested = str(body, 'method');
    if (requested !== undefined && requested !== 'instant' && requested !== 'escrow' && requested !== 'bank') {
      throw bad('method must be "instant", "escrow" or "bank"', 'method');
    }
    // "bank": through the online bank named by `bank` (decisions.md §27), in the trade's own way.
    const bankCode = str(body, 'bank');
    if ((requested === 'bank') !== (bankCode !== undefined)) throw bad('method "bank" and a bank code (e.g. "ICBCB2C") go together', 'bank');
    if (bankCode !== undefined && !bankByCode(bankCode)) {
      throw bad(`unknown bank code ${JSON.stringify(bankCode)}: use one of ${BANKS.map((b) => b.code).join(', ')}`, 'bank');
    }
    const method = requested === 'bank' ? undefined : requested;
    const logistics = int(body, 'logistics', [0, 2]);
    await requireMerchant(deps, partner);
    const found = hasNul(outTradeNo) ? undefined : await findTrade(deps, { partner, outTradeNo });
    if (!found) throw new GatewayError('TRADE_NOT_EXIST', `partner ${partner} has no trade with out_trade_no ${outTradeNo} (send the payment request to /gateway.do first)`);
    if (logistics !== undefined && !found.logisticsOptions[logistics]) throw bad(`the trade has no logistics option ${logistics}`, 'logistics');
    // The cashier's steps in one transaction: an escrow-type order not yet confirmed is confirmed
    // with the chosen logistics (default 0) and the buyer's first saved address (decisions.md §11),
    // then paid; a refusal (BALANCE_NOT_ENOUGH…) leaves the trade as it was.
    const result = await payTrade(deps, found.tradeNo, {
      buyerId: buyer.userId,
      buyer,
      trade: found,
      ...(method ? { method } : {}),
      ...(bankCode !== undefined ? { bank: bankCode } : {}),
      ...(logistics !== undefined && isEscrowService(found.service) ? { logisticsIndex: logistics } : {}),
    });
    return c.json({ trade_no: result.trade.tradeNo, trade_status: result.trade.tradeStatus, return_url: result.returnUrl ?? null });
  });

  app.post('/quick-login', async (c) => {
    const body = await jsonBody(c);
    const partner = str(body, 'partner', true);
    const buyer = await buyerOf(str(body, 'buyer', true));
    const { token, expiresAt } = await issueToken(deps, { partner, userId: buyer.userId });
    return c.json({ token, user_id: buyer.userId, expires_at: formatAlipayTime(expiresAt) });
  });

  app.post('/authorize', async (c) => {
    const body = await jsonBody(c);
    const partner = str(body, 'partner', true);
    const buyer = await buyerOf(str(body, 'buyer', true));
    const targetUrl = str(body, 'target_url');
    const url = await authorizeReturnUrl(deps, {
      ...pageRequest(body, partner),
      userId: buyer.userId,
      ...(targetUrl ? { targetUrl } : {}),
    });
    return c.json({ return_url: url });
  });

  app.post('/address-query', async (c) => {
    const body = await jsonBody(c);
    const partner = str(body, 'partner', true);
    const addressId = int(body, 'address', [1, Number.MAX_SAFE_INTEGER]);
    const { action, fields, charset } = await addressQueryForm(deps, {
      ...pageRequest(body, partner),
      token: str(body, 'token', true),
      ...(addressId !== undefined ? { addressId } : {}),
    });
    return c.json({ form: { action, method: 'POST', charset, fields } });
  });

  // --- Time -------------------------------------------------------------------------------------
  app.get('/clock', (c) => {
    const now = deps.clock.now();
    return c.json({ now, time: formatAlipayTime(now), offset_ms: deps.clock.offsetMs() });
  });

  app.post('/clock/advance', async (c) => {
    const body = await jsonBody(c);
    const seconds = body.seconds;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > 10 * 366 * 86400) {
      throw bad('seconds must be a number from 0 to ten years', 'seconds');
    }
    const now = await deps.clock.advance(seconds);
    return c.json({ now, time: formatAlipayTime(now) });
  });

  // --- Trades -----------------------------------------------------------------------------------
  app.get('/trades', async (c) => {
    const outTradeNo = c.req.query('out_trade_no');
    const partner = c.req.query('partner');
    if (hasNul(outTradeNo, partner)) return c.json([]);
    const trades = await listTrades(deps, { ...(outTradeNo ? { outTradeNo } : {}), ...(partner ? { partner } : {}) });
    return c.json(trades.map(tradeView));
  });

  app.get('/trades/:trade_no', async (c) => {
    const t = await trade(c);
    const [events, refunds] = await Promise.all([tradeEvents(deps, t.tradeNo), listRefunds(deps, t.tradeNo)]);
    return c.json({
      trade: tradeView(t),
      events: events.map(eventView),
      refunds: refunds.map((r) => ({ id: r.id, kind: r.kind, amount: fromFen(r.amountFen), reason: r.reason, return_goods: r.returnGoods, status: r.status })),
    });
  });

  app.post('/trades/:trade_no/ship', async (c) => {
    const t = await trade(c);
    const body = await jsonBody(c);
    const invoiceNo = str(body, 'invoice_no');
    const transportType = str(body, 'transport_type');
    const shipped = await shipTrade(deps, {
      partner: t.partner,
      tradeNo: t.tradeNo,
      logisticsName: str(body, 'logistics_name') ?? '沙箱快递',
      ...(invoiceNo ? { invoiceNo } : {}),
      ...(transportType ? { transportType } : {}),
    });
    return c.json(tradeView(shipped));
  });

  app.post('/trades/:trade_no/confirm-receipt', async (c) => {
    const t = await trade(c);
    return c.json(tradeView(await confirmReceipt(deps, t.tradeNo, { buyerId: tradeBuyer(t) })));
  });

  app.post('/trades/:trade_no/refund', async (c) => {
    const t = await trade(c);
    const body = await jsonBody(c);
    const amount = str(body, 'amount');
    const returnGoods = bool(body, 'return_goods');
    const refunded = await requestRefund(deps, t.tradeNo, {
      buyerId: tradeBuyer(t),
      amountFen: amount === undefined ? t.totalFeeFen - t.refundedFen : toFen(amount, 'amount'),
      reason: str(body, 'reason') ?? '沙箱退款',
      returnGoods: returnGoods ?? false,
    });
    return c.json(tradeView(refunded));
  });

  app.post('/trades/:trade_no/refund/agree', async (c) => {
    const t = await trade(c);
    return c.json(tradeView(await agreeRefund(deps, t.tradeNo, { partner: t.partner })));
  });

  app.post('/trades/:trade_no/refund/refuse', async (c) => {
    const t = await trade(c);
    return c.json(tradeView(await refuseRefund(deps, t.tradeNo, { partner: t.partner })));
  });

  app.post('/trades/:trade_no/refund/goods-returned', async (c) => {
    const t = await trade(c);
    const body = await jsonBody(c);
    const logisticsName = str(body, 'logistics_name');
    const invoiceNo = str(body, 'invoice_no');
    const returned = await markGoodsReturned(deps, t.tradeNo, {
      buyerId: tradeBuyer(t),
      ...(logisticsName ? { logisticsName } : {}),
      ...(invoiceNo ? { invoiceNo } : {}),
    });
    return c.json(tradeView(returned));
  });

  app.post('/trades/:trade_no/refund/confirm-goods', async (c) => {
    const t = await trade(c);
    return c.json(tradeView(await confirmReturnedGoods(deps, t.tradeNo, { partner: t.partner })));
  });

  app.post('/trades/:trade_no/close', async (c) => {
    const t = await trade(c);
    const body = await jsonBody(c);
    const role = str(body, 'role') ?? 'S';
    if (role !== 'B' && role !== 'S') throw bad('role must be "B" or "S"', 'role');
    return c.json(tradeView(await closeTrade(deps, { partner: t.partner, tradeNo: t.tradeNo, role, actor: role === 'B' ? 'buyer' : 'seller' })));
  });

  // --- Refund batches (refund_fastpay_by_platform_pwd) --------------------------------------------
  app.get('/refund-batches', async (c) => {
    const partner = c.req.query('partner');
    if (hasNul(partner)) return c.json([]);
    return c.json((await listRefundBatches(deps, partner ? { partner } : {})).map(refundBatchView));
  });

  app.post('/refund-batches/:batch_no/confirm', async (c) => {
    const body = await jsonBody(c);
    const partner = str(body, 'partner');
    if (hasNul(partner, c.req.param('batch_no'))) throw new SandboxError('NOT_FOUND', 'no such refund batch');
    return c.json(refundBatchView(await confirmRefundBatch(deps, c.req.param('batch_no'), partner ? { partner } : {})));
  });

  // --- Notifications ------------------------------------------------------------------------------
  app.get('/notifications', async (c) => {
    const outTradeNo = c.req.query('out_trade_no');
    const tradeNo = c.req.query('trade_no');
    const partner = c.req.query('partner');
    if (hasNul(outTradeNo, tradeNo, partner)) return c.json([]);
    // At most NOTIFICATION_PAGE a call, oldest first; `after` (the last id seen) gives the next ones.
    const after = c.req.query('after');
    const limit = c.req.query('limit');
    const afterId = after === undefined ? undefined : Number(after);
    if (afterId !== undefined && (!/^\d+$/.test(after!) || !Number.isSafeInteger(afterId))) throw bad('after is a notification id', 'after');
    const pageSize = limit === undefined ? NOTIFICATION_PAGE : Number(limit);
    if (!/^\d+$/.test(limit ?? '1') || pageSize < 1 || pageSize > NOTIFICATION_PAGE) throw bad(`limit is a whole number from 1 to ${NOTIFICATION_PAGE}`, 'limit');
    const list = await listNotifications(deps, {
      ...(outTradeNo ? { outTradeNo } : {}),
      ...(tradeNo ? { tradeNo } : {}),
      ...(partner ? { partner } : {}),
      ...(afterId === undefined ? {} : { afterId }),
      limit: pageSize,
    });
    return c.json(list.map(notificationView));
  });

  app.post('/notifications/:id/replay', async (c) => {
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id) || id <= 0) throw bad('the notification id is a positive whole number', 'id');
    const replay = await replayNotification(deps, id);
    return c.json({ id: replay.id, replay_of: replay.replayOf, notify_id: replay.notifyId, state: replay.state });
  });

  app.post('/notifications/recover', async (c) => {
    const body = await jsonBody(c);
    const since = sinceOf(body);
    const partner = str(body, 'partner');
    if (partner !== undefined) await requireMerchant(deps, partner);
    const { recovered, more } = await recoverGivenUp(deps, { since, ...(partner ? { partner } : {}) });
    return c.json({
      since: formatAlipayTime(since),
      count: recovered.length,
      more,
      recovered: recovered.map(({ original, replay }) => ({ id: replay.id, replay_of: original.id, trade_no: original.tradeNo, notify_id: replay.notifyId, state: replay.state })),
    });
  });

  // --- A merchant's own endpoints ------------------------------------------------------------------
  app.post('/check-merchant', async (c) => {
    const body = await jsonBody(c);
    const partner = str(body, 'partner', true);
    await requireMerchant(deps, partner);
    const report = await checkMerchant(deps, {
      partner,
      notifyUrl: str(body, 'notify_url', true),
      returnUrl: str(body, 'return_url'),
      outTradeNo: str(body, 'out_trade_no'),
    });
    return c.json(checkReportView(report));
  });

  // --- Faults -------------------------------------------------------------------------------------
  app.get('/faults/:partner', async (c) => {
    return c.json(await getFault(deps, c.req.param('partner')));
  });

  app.post('/faults', async (c) => {
    const body = await jsonBody(c);
    const partner = str(body, 'partner', true);
    const kind = str(body, 'kind', true);
    const count = int(body, 'count', [1, 1_000_000]);
    const withCount = count === undefined ? {} : { count };
    // Which kinds there are, and which take seconds, is the dispatcher's (dispatcher/faults/).
    const takes = faultParameters(kind);
    if (!takes) throw bad(`kind must be ${faultKindsText()}`, 'kind');
    const seconds = takes.seconds ? { seconds: int(body, 'seconds', [1, 366 * 86400]) ?? takes.seconds.default } : {};
    await setFault(deps, partner, { kind, ...seconds, ...withCount });
    return c.json(await getFault(deps, partner));
  });

  return app;
}
