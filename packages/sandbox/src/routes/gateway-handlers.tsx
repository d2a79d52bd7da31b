import { type Charset, GatewayError, type SignType } from 'alipay-legacy';
import { sign } from 'alipay-legacy/protocol';
import type { Context } from 'hono';
import type { CheckedRequest } from '../gateway/check-request.js';
import { readGatewayParams, type RawGatewayRequest } from '../gateway/read-params.js';
import { QuickLoginPage } from '../pages/quick-login.js';
import type { CheckedService, TradeService, WordService } from '../service-catalogue.js';
import {
  closeTrade,
  createRefundBatch,
  findTrade,
  getAlipayKeys,
  issueAntiPhishingKey,
  openTrade,
  resolveToken,
  shipTrade,
  verifyNotifyId,
  type Merchant,
} from '../services/index.js';
import { tradeQueryFields } from '../trade-fields.js';
import { renderAddressPicker, sealQuickLogin } from './quick-login.js';
import { xmlReply } from './replies.js';
import type { AppEnv, Web } from './web-context.js';

/** Answers a request that passed the gateway's checks (gateway/check-request.ts). */
export type CheckedHandler<S extends CheckedService> = (c: Context<AppEnv>, web: Web, req: CheckedRequest<S>) => Promise<Response>;

/** Answers a request as it came, before any check (`notify_verify`: decisions.md §3). */
export type WordHandler = (c: Context<AppEnv>, web: Web, raw: RawGatewayRequest) => Promise<Response>;

/**
 * What `/gateway.do` does for each service, keyed like the SDK's `SERVICES` and the sandbox's
 * `SERVICE_FACTS` (service-catalogue.ts): a service the SDK adds has no handler until one is
 * written here. Page services answer the buyer's (or seller's) browser, server services XML.
 */
export const CHECKED_HANDLERS: { [S in CheckedService]: CheckedHandler<S> } = {
  create_direct_pay_by_user: openTradeAtCashier,
  create_partner_trade_by_buyer: openTradeAtCashier,
  trade_create_by_buyer: openTradeAtCashier,

  'alipay.auth.authorize': async (c, web, req) => {
    const ctx = sealQuickLogin(web, quickLoginContext('auth', req));
    return c.html(<QuickLoginPage merchant={req.merchant} ctx={ctx} action="/auth/login" purpose="登录" />);
  },

  'user.logistics.address.query': async (c, web, req) => {
    // protocol.md §12.10: the token spares the buyer the login; without a live one, the login window.
    const token = req.params.token ?? '';
    const resolved = token === '' ? undefined : await resolveToken(web.deps, req.merchant.partner, token);
    const ctx = quickLoginContext('address', req);
    if (resolved?.loginLive) return renderAddressPicker(c, web, req.merchant, ctx, resolved.userId);
    return c.html(<QuickLoginPage merchant={req.merchant} ctx={sealQuickLogin(web, ctx)} action="/address/login" purpose="向以下网站提供收货地址" />);
  },

  refund_fastpay_by_platform_pwd: async (c, web, req) => {
    const batch = await createRefundBatch(web.deps, { ...req, signType: signed(req) });
    return c.redirect(`/seller/refund-batches/${encodeURIComponent(batch.batchNo)}`, 303);
  },

  single_trade_query: async (c, web, req) => {
    const trade = await findTrade(web.deps, {
      partner: req.merchant.partner,
      ...(req.params.trade_no ? { tradeNo: req.params.trade_no } : {}),
      ...(req.params.out_trade_no ? { outTradeNo: req.params.out_trade_no } : {}),
    });
    if (!trade) throw new GatewayError('TRADE_NOT_EXIST', 'no trade of this partner has that trade_no / out_trade_no');
    return tradeReply(c, req, tradeQueryFields(trade));
  },

  send_goods_confirm_by_platform: async (c, web, req) => {
    const trade = await shipTrade(web.deps, {
      partner: req.merchant.partner,
      tradeNo: req.params.trade_no ?? '',
      logisticsName: req.params.logistics_name ?? '',
      ...(req.params.invoice_no ? { invoiceNo: req.params.invoice_no } : {}),
      ...(req.params.transport_type || req.params.create_transport_type
        ? { transportType: req.params.transport_type || req.params.create_transport_type }
        : {}),
    });
    return tradeReply(c, req, tradeQueryFields(trade));
  },

  close_trade: async (c, web, req) => {
    const role = req.params.trade_role;
    await closeTrade(web.deps, {
      partner: req.merchant.partner,
      ...(req.params.trade_no ? { tradeNo: req.params.trade_no } : {}),
      ...(req.params.out_order_no ? { outTradeNo: req.params.out_order_no } : {}),
      ...(role === 'B' || role === 'S' ? { role } : {}),
      actor: 'merchant',
    });
    return xmlReply(c, { isSuccess: true }, req.charset);
  },

  query_timestamp: async (c, web, req) => {
    // decisions.md §18: the key is valid for 30 s and once.
    const { key } = await issueAntiPhishingKey(web.deps, req.merchant.partner);
    return xmlReply(c, { isSuccess: true, response: { name: 'timestamp', fields: { encrypt_key: key } } }, req.charset);
  },
};

export const WORD_HANDLERS: { [S in WordService]: WordHandler } = {
  /**
   * `notify_verify` (decisions.md §1–4): the bare word, `text/plain`, no newline. A request that
   * cannot even be read counts as missing parameters: `invalid`.
   */
  notify_verify: async (c, web, raw) => {
    let params: Record<string, string>;
    try {
      params = readGatewayParams(raw).params;
    } catch {
      return c.text('invalid');
    }
    return c.text(await verifyNotifyId(web.deps, params.partner, params.notify_id));
  },
};

/** Hands a checked request to its service's handler. */
export function handleChecked<S extends CheckedService>(c: Context<AppEnv>, web: Web, req: CheckedRequest<S>): Promise<Response> {
  const handler: CheckedHandler<S> = CHECKED_HANDLERS[req.service];
  return handler(c, web, req);
}

/** The payment services: open the trade (decisions.md §15: same request → same trade) and send the buyer to the cashier. */
async function openTradeAtCashier(c: Context<AppEnv>, web: Web, req: CheckedRequest<TradeService>): Promise<Response> {
  const trade = await openTrade(web.deps, { ...req, signType: signed(req) });
  return c.redirect(`/cashier/${trade.tradeNo}`, 303);
}

function signed(req: CheckedRequest): SignType {
  // Only the unsigned helpers lack a sign type, and they never reach the services that need one.
  return req.signType ?? 'MD5';
}

function quickLoginContext(kind: 'auth' | 'address', req: CheckedRequest) {
  return {
    k: kind,
    p: req.merchant.partner,
    r: req.params.return_url ?? '',
    c: req.charset,
    s: signed(req),
    ...(req.params.target_url ? { t: req.params.target_url } : {}),
  };
}

/**
 * A successful trade reply: the request echoed (without sign/sign_type), the `<trade>` block, and
 * a `<sign>` over the `<trade>` fields (protocol.md §10 gap 3: no source says what it covers; the
 * sandbox signs the trade block's fields with the request's sign type — the merchant's MD5 key, or
 * the sandbox's Alipay RSA key — so a client that wants to check the reply can, with the same
 * canonical string as a notification).
 */
function tradeReply(c: Context<AppEnv>, req: CheckedRequest, fields: Record<string, string>): Response {
  const signType = signed(req);
  return xmlReply(
    c,
    {
      isSuccess: true,
      request: req.params,
      response: { name: 'trade', fields },
      sign: signReply(fields, req.merchant, signType, req.charset),
      signType,
    },
    req.charset,
  );
}

function signReply(fields: Record<string, string>, merchant: Merchant, signType: SignType, charset: Charset): string {
  return signType === 'RSA'
    ? sign(fields, { signType, charset, privateKey: getAlipayKeys().privateKey })
    : sign(fields, { signType, charset, key: merchant.key });
}
