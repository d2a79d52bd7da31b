import { fromFen, GatewayError, type Charset } from 'alipay-legacy';
import { encodeForm, newNotifyId } from 'alipay-legacy/protocol';
import type { SandboxDeps } from '../deps.js';
import { readAck } from '../dispatcher/ack.js';
import { DEFAULT_TIMEOUT_MS } from '../dispatcher/dispatcher.js';
import { postNotification, type PostResult } from '../dispatcher/post.js';
import { tradeReturnParams, tradeStatusParams } from '../notifications/trade-params.js';
import { SandboxError } from './errors.js';
import { RETURN_NOTIFY_ID_TTL_MS, issueReturnNotifyId, returnUrlWith, signReturn } from './returns.js';
import { loadMerchant } from './trade-store.js';
import { findTrade, listTrades } from './trades.js';
import type { Merchant, Trade } from './types.js';

/**
 * A check of a merchant's own endpoints: the cases the seeds say a merchant must handle
 * (protocol.md §3.4 and §4.1; decisions.md §6), sent to the merchant's live notify_url (and
 * return_url) for one of its sandbox trades, each with what it expects, what came back and how to
 * fix a failure. Nothing here changes the trade or the delivery log: the messages are built from
 * the trade as it is, and the genuine ones carry notify_ids that notify_verify answers `true` once.
 */

export interface CheckMerchantInput {
  partner: string;
  notifyUrl: string;
  returnUrl?: string | undefined;
  /** The trade to speak of; default the merchant's newest paid trade. */
  outTradeNo?: string | undefined;
  /** Per request; default the dispatcher's delivery timeout. */
  timeoutMs?: number | undefined;
}

export type CheckOutcome = 'passed' | 'failed' | 'check';

export interface CheckCase {
  id: string;
  title: string;
  expects: string;
  /** What came back: `HTTP 200 "success"`, a connection error, … */
  got: string;
  outcome: CheckOutcome;
  /** How to fix a failure, or what to check by hand when it passed on the wire. */
  advice: string | null;
}

export interface CheckReport {
  partner: string;
  tradeNo: string;
  outTradeNo: string;
  notifyUrl: string;
  returnUrl: string | null;
  charset: Charset;
  cases: CheckCase[];
  passed: number;
  failed: number;
}

/** Trade statuses a merchant has seen a payment in, newest first in the pick. */
const PAID = new Set(['TRADE_SUCCESS', 'TRADE_FINISHED', 'WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS']);

export async function checkMerchant(deps: SandboxDeps, input: CheckMerchantInput): Promise<CheckReport> {
  for (const [name, url] of [['notify_url', input.notifyUrl], ['return_url', input.returnUrl]] as const) {
    if (url !== undefined && !/^https?:\/\/[^\s]+$/i.test(url)) throw new GatewayError('ILLEGAL_ARGUMENT', `${name} must be an http(s) URL, got ${JSON.stringify(url)}`, { param: name });
  }
  const merchant = await deps.db.transaction().execute((trx) => loadMerchant(deps, trx, input.partner));
  const trade = await pickTrade(deps, input);
  const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const ctx: Ctx = { deps, merchant, trade, notifyUrl: input.notifyUrl, timeoutMs };

  const cases: CheckCase[] = [];
  cases.push(await genuine(ctx));
  cases.push(await again(ctx));
  cases.push(await refused(ctx, 'forged-sign', 'a forged sign', { sign: 'forge' }, 'verify the sign over the parameters as received, with your key, before anything else'));
  cases.push(
    await refused(ctx, 'denied-notify-id', 'a notify_id that notify_verify denies', { notifyId: 'unarmed' }, 'ask notify_verify for every notification, and refuse it unless the answer is exactly "true"'),
  );
  cases.push(
    await refused(ctx, 'unknown-order', 'an order you do not have', { params: { out_trade_no: `CHECK-UNKNOWN-${Date.now()}` } }, 'look the order up by out_trade_no and refuse a notification for an order you do not have'),
  );
  cases.push(
    await refused(
      ctx,
      'wrong-amount',
      'an amount that does not match the order',
      { params: { total_fee: fromFen(trade.totalFeeFen + 1), price: undefined, quantity: undefined } },
      "compare total_fee with the order's amount and refuse a mismatch",
    ),
  );
  cases.push(
    await refused(
      ctx,
      'wrong-seller',
      'another seller',
      { params: { seller_id: '2088000000000000', seller_email: 'someone-else@sandbox.test' } },
      'compare seller_id (or seller_email) with your own account and refuse a mismatch',
    ),
  );
  cases.push(await older(ctx));
  cases.push(await awkwardValues(ctx));
  if (input.returnUrl) cases.push(...(await returns(ctx, input.returnUrl)));

  return {
    partner: merchant.partner,
    tradeNo: trade.tradeNo,
    outTradeNo: trade.outTradeNo,
    notifyUrl: input.notifyUrl,
    returnUrl: input.returnUrl ?? null,
    charset: trade.charset,
    cases,
    passed: cases.filter((c) => c.outcome !== 'failed').length,
    failed: cases.filter((c) => c.outcome === 'failed').length,
  };
}

interface Ctx {
  deps: SandboxDeps;
  merchant: Merchant;
  trade: Trade;
  notifyUrl: string;
  timeoutMs: number;
}

async function pickTrade(deps: SandboxDeps, input: CheckMerchantInput): Promise<Trade> {
  if (input.outTradeNo !== undefined) {
    const trade = await findTrade(deps, { partner: input.partner, outTradeNo: input.outTradeNo });
    if (!trade) throw new SandboxError('NOT_FOUND', `merchant ${input.partner} has no trade with out_trade_no ${input.outTradeNo}`);
    return trade;
  }
  const trade = (await listTrades(deps, { partner: input.partner, limit: 200 })).find((t) => PAID.has(t.tradeStatus));
  if (!trade) {
    throw new SandboxError('NOT_FOUND', `merchant ${input.partner} has no paid trade yet: pay one of your orders in the sandbox first, or name one with out_trade_no`);
  }
  return trade;
}

/** A notify_id that notify_verify answers `true` for once in the next 60 s (decisions.md §1–2). */
async function armedNotifyId(ctx: Ctx): Promise<string> {
  const notifyId = newNotifyId();
  const now = ctx.deps.clock.now();
  await ctx.deps.db
    .insertInto('notify_ids')
    .values({ notify_id: notifyId, partner: ctx.merchant.partner, kind: 'async', notification_id: null, armed_until: now + RETURN_NOTIFY_ID_TTL_MS, used: 0, acknowledged: 0, created_at: now })
    .execute();
  return notifyId;
}

interface Variation {
  /** Replace (or, with undefined, remove) trade fields before signing. */
  params?: Record<string, string | undefined>;
  status?: string;
  /** `forge`: the sign is altered after signing. */
  sign?: 'forge';
  /** `unarmed`: a well-formed notify_id that notify_verify does not know. */
  notifyId?: 'unarmed';
}

async function send(ctx: Ctx, variation: Variation = {}): Promise<PostResult> {
  const { trade, merchant } = ctx;
  const notifyId = variation.notifyId === 'unarmed' ? newNotifyId() : await armedNotifyId(ctx);
  const params = { ...tradeStatusParams(trade, { notifyId, notifyTime: ctx.deps.clock.now() }), ...variation.params };
  if (variation.status) params.trade_status = variation.status;
  const signed = signReturn(params, { key: merchant.key, signType: trade.signType, charset: trade.charset });
  if (variation.sign === 'forge') signed.sign = forge(signed.sign!);
  return postNotification(ctx.notifyUrl, encodeForm(signed, trade.charset), { charset: trade.charset, timeoutMs: ctx.timeoutMs, fetch: ctx.deps.fetch });
}

/** The same sign with its first character changed: still well-formed, no longer valid. */
function forge(sign: string): string {
  const first = sign[0]!;
  const other = first === 'a' ? 'b' : first === 'A' ? 'B' : first === '0' ? '1' : 'a';
  return other + sign.slice(1);
}

function shown(result: PostResult): string {
  if (result.error !== null && result.status === null) return result.error;
  const body = result.body ?? '';
  const cut = body.length > 60 ? `${JSON.stringify(body.slice(0, 60))}…` : JSON.stringify(body);
  return `HTTP ${result.status} ${cut} in ${Math.round(result.durationMs)} ms`;
}

/** What the gateway counts as acknowledged (decisions.md §6); the genuine case asks for the exact bytes. */
const isSuccess = (r: PostResult) => r.status !== null && readAck(r.status, r.body ?? '').acknowledged;
const isExactSuccess = (r: PostResult) => r.status === 200 && r.body === 'success';

async function genuine(ctx: Ctx): Promise<CheckCase> {
  const result = await send(ctx);
  const ack = result.status === null ? null : readAck(result.status, result.body ?? '');
  const exact = isExactSuccess(result);
  const charsetNote = ctx.trade.charset === 'utf-8' ? '' : ` (a ${ctx.trade.charset.toUpperCase()} body, as the trade's _input_charset asks)`;
  return {
    id: 'genuine',
    title: `a genuine notification${charsetNote}`,
    expects: 'exactly "success": no newline, no HTML, within the timeout',
    got: shown(result),
    outcome: exact ? 'passed' : 'failed',
    advice: exact
      ? null
      : ack?.acknowledged
        ? 'print exactly "success" with nothing around it (no println, no template, no byte-order mark): the real gateway wanted those 7 bytes'
        : `verify (sign, then notify_verify), update the order, then answer exactly "success"${result.error ? ` — ${result.error}` : ''}`,
  };
}

async function again(ctx: Ctx): Promise<CheckCase> {
  const result = await send(ctx);
  return {
    id: 'again',
    title: 'the same notification again (a retry after a lost answer)',
    expects: '"success" again, and the order counted once',
    got: shown(result),
    outcome: isSuccess(result) ? 'check' : 'failed',
    advice: isSuccess(result)
      ? `check that order ${ctx.trade.outTradeNo} was paid once: no second shipment, email or stock change`
      : 'a repeated notification for a state you already have is answered "success" too, without doing the work twice (keep an idempotent update)',
  };
}

async function refused(ctx: Ctx, id: string, title: string, variation: Variation, fix: string): Promise<CheckCase> {
  const result = await send(ctx, variation);
  return {
    id,
    title,
    expects: 'anything but "success"',
    got: shown(result),
    outcome: isSuccess(result) ? 'failed' : 'check',
    advice: isSuccess(result) ? fix : `check that order ${ctx.trade.outTradeNo} did not change`,
  };
}

/** An earlier status after the later one (protocol.md §4.1: notifications can arrive out of order). */
async function older(ctx: Ctx): Promise<CheckCase> {
  const result = await send(ctx, { status: 'WAIT_BUYER_PAY', params: { gmt_payment: undefined, buyer_actions: undefined, seller_actions: undefined } });
  return {
    id: 'older-status',
    title: `WAIT_BUYER_PAY after ${ctx.trade.tradeStatus}`,
    expects: '"success", and the order does not move back',
    got: shown(result),
    outcome: isSuccess(result) ? 'check' : 'failed',
    advice: isSuccess(result)
      ? `check that order ${ctx.trade.outTradeNo} is still paid`
      : 'an older status is acknowledged with "success" and ignored; otherwise the gateway keeps resending it',
  };
}

/** Values that catch double decoding and trimming: `+`, `%`, `&`, a trailing space, a four-byte character. */
async function awkwardValues(ctx: Ctx): Promise<CheckCase> {
  // GBK has no emoji: those merchants get the rest.
  const emoji = ctx.trade.charset === 'utf-8' ? ' 🎁' : '';
  const subject = `${ctx.trade.subject} 1+1=2 100% A&B${emoji} `;
  const result = await send(ctx, { params: { subject, body: `${subject}。` } });
  return {
    id: 'awkward-values',
    title: 'a subject and body with "+", "%", "&", a trailing space' + (emoji ? ' and an emoji' : ''),
    expects: '"success" (the sign covers the values exactly as sent)',
    got: shown(result),
    outcome: isSuccess(result) ? 'passed' : 'failed',
    advice: isSuccess(result)
      ? null
      : 'decode the body once, in its charset, and sign-check the values untrimmed: a second decode turns "+" into a space and "%" into garbage',
  };
}

/** The return: shown once (200), and a page again when its notify_id is used up (not a 5xx). */
async function returns(ctx: Ctx, returnUrl: string): Promise<CheckCase[]> {
  const { trade, merchant } = ctx;
  const now = ctx.deps.clock.now();
  const notifyId = await ctx.deps.db.transaction().execute((trx) => issueReturnNotifyId(trx, merchant.partner, 'return', now));
  const params = signReturn(tradeReturnParams({ ...trade, returnUrl }, { notifyId, notifyTime: now }), { key: merchant.key, signType: trade.signType, charset: trade.charset });
  const url = returnUrlWith(returnUrl, params, trade.charset);
  const first = await getPage(url, ctx.timeoutMs);
  const second = await getPage(url, ctx.timeoutMs);
  return [
    {
      id: 'return',
      title: 'a genuine return',
      expects: 'HTTP 200, a page for the buyer',
      got: first.shown,
      outcome: first.status === 200 ? 'passed' : 'failed',
      advice: first.status === 200 ? null : 'verify the return (sign, then notify_verify) and show the order; a redirect to your own page is fine too',
    },
    {
      id: 'return-again',
      title: 'the same return URL again (reload, back button: its notify_id is used up)',
      expects: 'a page (the order as your database has it), not a 5xx',
      got: second.shown,
      outcome: second.status !== null && second.status < 500 ? 'passed' : 'failed',
      advice:
        second.status !== null && second.status < 500
          ? null
          : 'a used notify_id makes notify_verify answer "false": show the order from your database instead of failing',
    },
  ];
}

async function getPage(url: string, timeoutMs: number): Promise<{ status: number | null; shown: string }> {
  const started = performance.now();
  try {
    const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return { status: res.status, shown: `HTTP ${res.status} in ${Math.round(performance.now() - started)} ms` };
  } catch (err) {
    return { status: null, shown: `no answer: ${(err as Error).message}` };
  }
}
