import { GatewayError, normalizeCharset, type Charset, type SignType } from 'alipay-legacy';
import { sign } from 'alipay-legacy/protocol';
import { Hono, type Context } from 'hono';
import { checkGatewayRequest, type CheckedRequest } from '../gateway/check-request.js';
import { peekLenient, readGatewayParams, type RawGatewayRequest } from '../gateway/read-params.js';
import { isServerService } from '../gateway/service-kinds.js';
import { urlencodedBody } from './form-body.js';
import { readBody } from './request-body.js';
import { tradeQueryFields } from '../gateway/trade-fields.js';
import { QuickLoginPage } from '../pages/quick-login.js';
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
import { renderAddressPicker, sealQuickLogin } from './quick-login.js';
import { xmlReply } from './replies.js';
import { clientIp, type AppEnv, type Web } from './web-context.js';

/**
 * `/gateway.do` (GET and POST) and `/trade/notify_query.do`: every request is checked
 * (gateway/check-request.ts), then handed to the service function that owns it. Page services
 * answer the buyer's browser (cashier, login, address picker, refund confirmation); server services
 * answer XML; `notify_verify` answers a bare word.
 */
export function gatewayRoutes(web: Web): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { deps } = web;

  app.on(['GET', 'POST'], '/gateway.do', async (c) => {
    const raw = await readRaw(c);
    // How to answer is decided before (and whatever) the strict reading finds.
    const service = peekLenient(raw, 'service');
    if (service === 'notify_verify') return notifyVerify(c, web, raw);
    c.set('replyKind', isServerService(service) ? 'xml' : 'page');
    const charset = safeCharset(raw);
    if (charset) c.set('replyCharset', charset);

    const req = await checkGatewayRequest(deps, raw);
    c.set('replyCharset', req.charset);
    switch (req.service) {
      case 'create_direct_pay_by_user':
      case 'create_partner_trade_by_buyer':
      case 'trade_create_by_buyer': {
        const trade = await openTrade(deps, { ...req, signType: signed(req) });
        return c.redirect(`/cashier/${trade.tradeNo}`, 303);
      }
      case 'alipay.auth.authorize': {
        const ctx = sealQuickLogin(web, quickLoginContext('auth', req));
        return c.html(<QuickLoginPage merchant={req.merchant} ctx={ctx} action="/auth/login" purpose="登录" />);
      }
      case 'user.logistics.address.query': {
        // seed 002 §6.2: the token spares the buyer the login; without a live one, the login window.
        const token = req.params.token ?? '';
        const resolved = token === '' ? undefined : await resolveToken(deps, req.merchant.partner, token);
        const ctx = quickLoginContext('address', req);
        if (resolved?.loginLive) return renderAddressPicker(c, web, req.merchant, ctx, resolved.userId);
        return c.html(<QuickLoginPage merchant={req.merchant} ctx={sealQuickLogin(web, ctx)} action="/address/login" purpose="向以下网站提供收货地址" />);
      }
      case 'refund_fastpay_by_platform_pwd': {
        const batch = await createRefundBatch(deps, { ...req, signType: signed(req) });
        return c.redirect(`/seller/refund-batches/${encodeURIComponent(batch.batchNo)}`, 303);
      }
      case 'single_trade_query': {
        const trade = await findTrade(deps, {
          partner: req.merchant.partner,
          ...(req.params.trade_no ? { tradeNo: req.params.trade_no } : {}),
          ...(req.params.out_trade_no ? { outTradeNo: req.params.out_trade_no } : {}),
        });
        if (!trade) throw new GatewayError('TRADE_NOT_EXIST', 'no trade of this partner has that trade_no / out_trade_no');
        return tradeReply(c, req, tradeQueryFields(trade));
      }
      case 'send_goods_confirm_by_platform': {
        const trade = await shipTrade(deps, {
          partner: req.merchant.partner,
          tradeNo: req.params.trade_no ?? '',
          logisticsName: req.params.logistics_name ?? '',
          ...(req.params.invoice_no ? { invoiceNo: req.params.invoice_no } : {}),
          ...(req.params.transport_type || req.params.create_transport_type
            ? { transportType: req.params.transport_type || req.params.create_transport_type }
            : {}),
        });
        return tradeReply(c, req, tradeQueryFields(trade));
      }
      case 'close_trade': {
        const role = req.params.trade_role;
        await closeTrade(deps, {
          partner: req.merchant.partner,
          ...(req.params.trade_no ? { tradeNo: req.params.trade_no } : {}),
          ...(req.params.out_order_no ? { outTradeNo: req.params.out_order_no } : {}),
          ...(role === 'B' || role === 'S' ? { role } : {}),
          actor: 'merchant',
        });
        return xmlReply(c, { isSuccess: true }, req.charset);
      }
      case 'query_timestamp': {
        // decisions.md §18: the key is valid for 30 s and once.
        const { key } = await issueAntiPhishingKey(deps, req.merchant.partner);
        return xmlReply(c, { isSuccess: true, response: { name: 'timestamp', fields: { encrypt_key: key } } }, req.charset);
      }
      case 'notify_verify':
        return notifyVerify(c, web, raw);
    }
  });

  // decisions.md §4: the legacy ATN URL, same answers.
  app.on(['GET', 'POST'], '/trade/notify_query.do', async (c) => notifyVerify(c, web, await readRaw(c)));

  return app;
}

/**
 * `notify_verify` (decisions.md §1–4): the bare word, `text/plain`, no newline. A request that
 * cannot even be read counts as missing parameters: `invalid`.
 */
async function notifyVerify(c: Context<AppEnv>, web: Web, raw: RawGatewayRequest): Promise<Response> {
  let params: Record<string, string>;
  try {
    params = readGatewayParams(raw).params;
  } catch {
    return c.text('invalid');
  }
  return c.text(await verifyNotifyId(web.deps, params.partner, params.notify_id));
}

/** The raw query string (escapes intact) and, for a POST, the raw body bytes. */
async function readRaw(c: Context<AppEnv>): Promise<RawGatewayRequest> {
  const url = c.req.url;
  const q = url.indexOf('?');
  const hash = url.indexOf('#', q);
  const query = q === -1 ? '' : url.slice(q + 1, hash === -1 ? undefined : hash);
  const body = c.req.method === 'POST' ? await urlencodedBody(c.req.header('content-type'), await readBody(c)) : undefined;
  const ip = clientIp(c);
  return { query, ...(body && body.length > 0 ? { body } : {}), ...(ip ? { clientIp: ip } : {}) };
}

function safeCharset(raw: RawGatewayRequest): Charset | undefined {
  try {
    return normalizeCharset(peekLenient(raw, '_input_charset'), 'utf-8');
  } catch {
    return undefined;
  }
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
