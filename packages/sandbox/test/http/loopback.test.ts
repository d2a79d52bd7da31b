import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import {
  authorize,
  closeTrade,
  createDirectPayByUser,
  createPartnerTradeByBuyer,
  GatewayError,
  queryAddress,
  refundFastpayByPlatformPwd,
  resolveConfig,
  tradeCreateByBuyer,
  sendGoodsConfirmByPlatform,
  singleTradeQuery,
  verifyNotification,
  verifyReturn,
  type ResolvedConfig,
} from 'alipay-legacy';
import { encodeForm } from 'alipay-legacy/protocol';
import { afterEach, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/routes/request-body.js';
import { SEED_BUYERS } from '../../src/seed.js';
import { listNotifications, updateMerchantSettings } from '../../src/services/index.js';
import { forEachDialect } from '../helpers/dialects.js';
import { MerchantServer } from '../helpers/merchant-server.js';
import { KEY, PARTNER, SELLER_EMAIL, orderNo } from '../helpers/gateway-client.js';
import { openSandbox, type TestSandbox } from '../helpers/sandbox-fixture.js';

/**
 * The same flows over real loopback sockets: the sandbox served by @hono/node-server on port 0, a
 * merchant notify_url on another port, and the SDK as the merchant (its request builders, server
 * calls and verifiers against the sandbox: both sides of the wire).
 */
const buyer = SEED_BUYERS[0]!;

interface Running {
  sb: TestSandbox;
  server: ServerType;
  base: string;
  merchant: MerchantServer;
  config: ResolvedConfig;
}

let running: Running | undefined;
afterEach(async () => {
  if (!running) return;
  const { sb, server, merchant } = running;
  running = undefined;
  await merchant.stop();
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  });
  await sb.close();
});

async function start(
  dialect: Parameters<typeof openSandbox>[0],
  answers: ConstructorParameters<typeof MerchantServer>[0] = 'success',
  extra: { antiPhishing?: boolean } = {},
): Promise<Running> {
  const sb = await openSandbox(dialect, { fetch: globalThis.fetch, deliveryTimeoutMs: 2000 });
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: sb.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sb.deps.publicUrl = base;
  const merchant = await new MerchantServer(answers).start();
  const config = resolveConfig({
    partner: PARTNER,
    key: KEY,
    sellerEmail: SELLER_EMAIL,
    gateway: `${base}/gateway.do`,
    notifyUrl: merchant.url,
    returnUrl: 'http://127.0.0.1:9/return',
    ...extra,
  });
  running = { sb, server, base, merchant, config };
  return running;
}

/** A browser's cookies, by hand: fetch does not keep them. */
async function browse(base: string, path: string, jar: Map<string, string>, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(new URL(path, base), {
    ...init,
    redirect: 'manual',
    headers: { ...(init.headers as Record<string, string>), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair!.indexOf('=');
    jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
  }
  return res;
}

function form(fields: Record<string, string>): RequestInit {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() };
}

forEachDialect('over loopback', (dialect) => {
  it('pays a direct-pay request built by the SDK through the cashier, delivers the notification and verifies it with notify_verify', async () => {
    const { sb, base, merchant, config } = await start(dialect, ['fail', 'success']);
    await updateMerchantSettings(sb.deps, PARTNER, { ipCheck: true });
    const outTradeNo = orderNo('L');
    const request = await createDirectPayByUser(config, { out_trade_no: outTradeNo, subject: '环回测试', total_fee: '0.01', exter_invoke_ip: '127.0.0.1' });

    const jar = new Map<string, string>();
    const opened = await browse(base, request.url, jar);
    expect(opened.status).toBe(303);
    const cashier = opened.headers.get('location')!;
    expect(await (await browse(base, cashier, jar)).text()).toContain('登录支付宝账户付款');
    expect((await browse(base, `${cashier}/login`, jar, form({ login: buyer.login, password: buyer.loginPassword }))).status).toBe(303);
    const paid = await browse(base, `${cashier}/pay`, jar, form({ pay_password: buyer.payPassword }));
    const success = await (await browse(base, paid.headers.get('location')!, jar)).text();
    expect(success).toContain('您已成功付款 0.01 元！');
    const returnUrl = /id="return-link" href="([^"]+)"/.exec(success)![1]!.replace(/&amp;/g, '&');

    // The SDK verifies the return: sign, then notify_verify over the socket (true once).
    const ret = await verifyReturn(config, returnUrl.slice(returnUrl.indexOf('?') + 1));
    expect(ret.kind).toBe('trade_status_sync');
    expect(ret.raw.trade_status).toBe('TRADE_FINISHED');

    await sb.deps.dispatcher.runDue();
    expect(merchant.received).toHaveLength(1);
    const first = merchant.received[0]!;
    expect(first.headers).toMatchObject({ 'content-type': 'application/x-www-form-urlencoded; text/html; charset=UTF-8', 'user-agent': 'Mozilla/4.0', connection: 'close' });
    // The merchant answered "fail": the notify_id stays valid for this attempt, once.
    const message = await verifyNotification(config, first.body);
    expect(message.raw).toMatchObject({ out_trade_no: outTradeNo, trade_status: 'TRADE_FINISHED', total_fee: '0.01' });
    const again = await fetch(`${base}/gateway.do?service=notify_verify&partner=${PARTNER}&notify_id=${message.raw.notify_id}`);
    expect(await again.text()).toBe('false');

    const advanced = await fetch(`${base}/sandbox/api/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds: 120 }) });
    expect(advanced.status).toBe(200);
    expect(merchant.received).toHaveLength(2);
    expect(merchant.received[1]!.body).toBe(first.body);
    const [n] = await listNotifications(sb.deps, { outTradeNo });
    expect(n!.state).toBe('acknowledged');
  });

  it('refuses a body over 1 MiB with ILLEGAL_ARGUMENT, changes nothing and keeps serving', async () => {
    const { base, sb } = await start(dialect);
    const huge = 'x'.repeat(MAX_BODY_BYTES + 1);
    const api = await fetch(`${base}/sandbox/api/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ partner: PARTNER, pad: huge }) });
    expect(api.status).toBe(413);
    expect(await api.json()).toMatchObject({ error: 'ILLEGAL_ARGUMENT', message: expect.stringContaining('larger than') });
    // Sent in chunks without a content-length: the limit is counted while reading.
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 17; i++) controller.enqueue(new Uint8Array(64 * 1024).fill(0x61));
        controller.close();
      },
    });
    const gateway = await fetch(`${base}/gateway.do?_input_charset=utf-8`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(await gateway.text()).toContain('ILLEGAL_ARGUMENT');
    expect(await sb.deps.db.selectFrom('trades').select('trade_no').execute()).toEqual([]);
    const ok = await fetch(`${base}/sandbox/api/clock`);
    expect(ok.status).toBe(200);
  });

  it('refuses over the socket an exter_invoke_ip that is not the caller’s address', async () => {
    const { sb, config } = await start(dialect);
    await updateMerchantSettings(sb.deps, PARTNER, { ipCheck: true });
    const request = await createDirectPayByUser(config, { out_trade_no: orderNo('L'), subject: 'x', total_fee: '0.01', exter_invoke_ip: '202.1.1.2' });
    const html = await (await fetch(request.url, { redirect: 'manual' })).text();
    expect(html).toMatch(/<meta name="alipay-error-code" content="ILLEGAL_EXTER_INVOKE_IP"/);
  });

  it('runs an escrow trade with the SDK’s server calls: API payment, send goods, single_trade_query', async () => {
    const { sb, base, merchant, config } = await start(dialect);
    sb.deps.dispatcher.start();
    const outTradeNo = orderNo('L');
    const request = await createPartnerTradeByBuyer(config, {
      out_trade_no: outTradeNo,
      subject: '担保环回',
      price: '2.00',
      quantity: '1',
      logistics_type: 'EXPRESS',
      logistics_fee: '0.00',
      logistics_payment: 'SELLER_PAY',
    });
    expect((await fetch(request.url, { redirect: 'manual' })).status).toBe(303);
    const pay = await fetch(`${base}/sandbox/api/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ partner: PARTNER, out_trade_no: outTradeNo, buyer: buyer.login }),
    });
    const { trade_no: tradeNo } = (await pay.json()) as { trade_no: string };
    const shipped = await sendGoodsConfirmByPlatform(config, { trade_no: tradeNo, logistics_name: '顺丰速运', invoice_no: 'SF100', transport_type: 'EXPRESS' });
    expect(shipped.reply.isSuccess).toBe(true);
    expect(shipped.trade?.trade_status).toBe('WAIT_BUYER_CONFIRM_GOODS');
    const queried = await singleTradeQuery(config, { out_trade_no: outTradeNo });
    expect(queried.trade.trade_status).toBe('WAIT_BUYER_CONFIRM_GOODS');
    expect(queried.trade.trade_no).toBe(tradeNo);

    // The started dispatcher delivers on its own: wait for the three notifications (no retry involved).
    const deadline = Date.now() + 10_000;
    while (merchant.received.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await sb.deps.dispatcher.stop();
    const statuses = merchant.received.map((r) => new URLSearchParams(r.body).get('trade_status'));
    expect(statuses).toEqual(['WAIT_BUYER_PAY', 'WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS']);
  });

  it('logs in by quick login, picks an address and pays without the cashier login, all with anti-phishing on', async () => {
    const { sb, base, config } = await start(dialect, 'success', { antiPhishing: true });
    await updateMerchantSettings(sb.deps, PARTNER, { antiPhishing: true });
    const html = (url: string, init?: RequestInit) => fetch(new URL(url, base), { redirect: 'manual', ...init });
    const ctxOf = (page: string) => /name="ctx" value="([^"]+)"/.exec(page)![1]!;

    // alipay.auth.authorize: the SDK fetches an anti_phishing_key by query_timestamp first.
    const login = await authorize(config, { return_url: 'http://127.0.0.1:9/login-return' });
    expect(login.params.anti_phishing_key).toBeTruthy();
    const window = await (await html(login.url)).text();
    expect(window).toContain('支付宝快捷登录');
    const back = await html('/auth/login', form({ ctx: ctxOf(window), login: buyer.login, password: buyer.loginPassword }));
    const location = back.headers.get('location')!;
    const auth = await verifyReturn(config, location.slice(location.indexOf('?') + 1));
    expect(auth.kind).toBe('auth_return');
    const token = auth.raw.token!;

    // user.logistics.address.query with the live token: the picker, then the auto-posted form.
    const picker = await (await html((await queryAddress(config, { token, return_url: 'http://127.0.0.1:9/address-return' })).url)).text();
    expect(picker).toContain('浦东新区');
    const posted = await (await html('/address/select', form({ ctx: ctxOf(picker), address: /name="address" value="(\d+)"/.exec(picker)![1]! }))).text();
    const fields: Record<string, string> = {};
    for (const m of posted.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
      fields[m[1]!] = m[2]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    }
    const address = await verifyReturn(config, encodeForm(fields, 'utf-8'));
    expect(address.kind).toBe('address_return');
    expect(address.raw.user_id).toBe(buyer.userId);

    // A payment carrying the token skips the cashier's login (decisions.md §16).
    const pay = await createDirectPayByUser(config, { out_trade_no: orderNo('Q'), subject: '快捷登录购物', total_fee: '0.01', token });
    const cashier = (await html(pay.url)).headers.get('location')!;
    const page = await (await html(cashier)).text();
    expect(page).toContain('支付密码');
    expect(page).not.toContain('登录支付宝账户付款');
  });

  it('refunds by refund_fastpay_by_platform_pwd and closes by close_trade, with the SDK', async () => {
    const { sb, base, merchant, config } = await start(dialect);
    await updateMerchantSettings(sb.deps, PARTNER, { advancedInstant: true });
    const api = (path: string, body: unknown) => fetch(`${base}/sandbox/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const outTradeNo = orderNo('R');
    await fetch((await createDirectPayByUser(config, { out_trade_no: outTradeNo, subject: '退款测试', total_fee: '0.10' })).url, { redirect: 'manual' });
    const { trade_no: tradeNo } = (await (await api('/pay', { partner: PARTNER, out_trade_no: outTradeNo, buyer: buyer.login })).json()) as { trade_no: string };

    const refund = await refundFastpayByPlatformPwd(config, { detail_data: [{ trade_no: tradeNo, amount: '0.10', reason: '协商退款' }] });
    const opened = await fetch(refund.url, { redirect: 'manual' });
    expect(opened.headers.get('location')).toBe(`/seller/refund-batches/${refund.params.batch_no}`);
    expect((await api(`/refund-batches/${refund.params.batch_no}/confirm`, {})).status).toBe(200);
    await sb.deps.dispatcher.runDue();
    const messages = await Promise.all(merchant.received.map((r) => verifyNotification(config, r.body, { notifyVerify: false })));
    const batch = messages.find((m) => m.kind === 'batch_refund_notify');
    expect(batch?.raw).toMatchObject({ batch_no: refund.params.batch_no, success_num: '1', result_details: `${tradeNo}^0.10^SUCCESS` });
    expect(messages.some((m) => m.raw.trade_no === tradeNo && m.raw.refund_status === 'REFUND_SUCCESS')).toBe(true);

    const unpaid = orderNo('C');
    await fetch((await createDirectPayByUser(config, { out_trade_no: unpaid, subject: '关闭测试', total_fee: '0.01' })).url, { redirect: 'manual' });
    await closeTrade(config, { out_order_no: unpaid, trade_role: 'S' });
    await expect(closeTrade(config, { out_order_no: unpaid })).rejects.toSatisfy((e) => e instanceof GatewayError && e.code === 'TRADE_STATUS_NOT_AVAILD');
  });

  it('pays the dual interface instantly by API and notifies WAIT_BUYER_PAY then TRADE_FINISHED', async () => {
    const { sb, base, merchant, config } = await start(dialect);
    const outTradeNo = orderNo('U');
    const request = await tradeCreateByBuyer(config, {
      out_trade_no: outTradeNo,
      subject: '双接口',
      price: '0.50',
      quantity: 1,
      logistics_type: 'EXPRESS',
      logistics_fee: '0.00',
      logistics_payment: 'SELLER_PAY',
    });
    await fetch(request.url, { redirect: 'manual' });
    const paid = await fetch(`${base}/sandbox/api/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ partner: PARTNER, out_trade_no: outTradeNo, buyer: buyer.login, method: 'instant' }),
    });
    expect(((await paid.json()) as { trade_status: string }).trade_status).toBe('TRADE_FINISHED');
    await sb.deps.dispatcher.runDue();
    expect(merchant.received.map((r) => new URLSearchParams(r.body).get('trade_status'))).toEqual(['WAIT_BUYER_PAY', 'TRADE_FINISHED']);
  });
});
