import { GatewayError, toFen } from 'alipay-legacy';
import { Hono, type Context } from 'hono';
import { readBeijingTime } from '../beijing-time.js';
import type { ControlResult } from '../pages/dashboard-results.js';
import { RefusedPage } from '../pages/dashboard-results.js';
import { checkMerchant } from '../services/check-merchant.js';
import {
  SandboxError,
  advanceClock,
  faultKindsText,
  faultParameters,
  getFault,
  getMerchant,
  getTrade,
  isTradeAction,
  recoverGivenUp,
  replayNotification,
  setFault,
  takeTradeAction,
  type TradeActionInput,
} from '../services/index.js';
import { DURATION_HINT, readDuration } from '../time-input.js';
import { backPath, withResult, type ControlResults } from './control-results.js';
import { formText, readForm } from './form-input.js';
import { describeError, replyToError } from './replies.js';
import { crossSiteRefusal } from './same-origin.js';
import { hasNul } from './text-guards.js';
import type { AppEnv, Web } from './web-context.js';

type Form = Record<string, unknown>;

const TEN_YEARS_S = 10 * 366 * 86_400;

function bad(message: string, param: string): GatewayError {
  return new GatewayError('ILLEGAL_ARGUMENT', message, { param });
}

/** A duration field: `90`, `2m`, `1h`, `10d`; at most ten years. */
function durationField(form: Form, name: string, fallback?: number): number {
  const text = formText(form, name).trim();
  if (text === '' && fallback !== undefined) return fallback;
  const seconds = readDuration(text);
  if (seconds === undefined || seconds <= 0 || seconds > TEN_YEARS_S) throw bad(`${name} "${text}" is not a duration: ${DURATION_HINT}, above 0 and at most ten years`, name);
  return seconds;
}

/** An optional whole number from 1. */
function countField(form: Form, name: string): number | undefined {
  const text = formText(form, name).trim();
  if (text === '') return undefined;
  if (!/^[1-9]\d{0,5}$/.test(text)) throw bad(`${name} must be a whole number from 1 to 999999`, name);
  return Number(text);
}

async function knownPartner(web: Web, partner: string): Promise<string> {
  if (hasNul(partner) || !(await getMerchant(web.deps, partner))) throw new SandboxError('NOT_FOUND', `no merchant ${partner}`);
  return partner;
}

/** What a trade action's form says, checked before anything runs. */
function actionInput(form: Form): TradeActionInput {
  const input: TradeActionInput = {};
  const buyer = formText(form, 'buyer').trim();
  if (buyer) input.buyer = buyer;
  const method = formText(form, 'method');
  if (method !== '') {
    if (method !== 'instant' && method !== 'escrow') throw bad('method must be instant or escrow', 'method');
    input.method = method;
  }
  const amount = formText(form, 'amount').trim();
  if (amount !== '') input.amountFen = toFen(amount, 'amount');
  for (const [name, field] of [
    ['logistics_name', 'logisticsName'],
    ['invoice_no', 'invoiceNo'],
    ['reason', 'reason'],
  ] as const) {
    const value = formText(form, name).trim();
    if (value) input[field] = value;
  }
  if (formText(form, 'return_goods') === '1') input.returnGoods = true;
  return input;
}

/**
 * The dashboard's controls, each a plain HTML form: a POST runs one service, then redirects back to
 * the page it came from (`back`) with its result shown there. Only the sandbox's own pages may post
 * them: a POST whose Origin (or, without one, Referer) is another site is refused with 403.
 * Anything refused (bad input, unknown id, wrong state) answers 4xx with the reason and changes
 * nothing.
 */
export function controlRoutes(web: Web, results: ControlResults): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const { deps } = web;

  const refused = (c: Context<AppEnv>, back: string, code: string, message: string, status: 400 | 403 | 404 | 409 | 413) =>
    c.html(<RefusedPage code={code} message={message} back={back} now={deps.clock.now()} />, status);

  function control(path: string, run: (c: Context<AppEnv>, form: Form) => Promise<ControlResult>): void {
    app.post(path, async (c) => {
      const refusal = crossSiteRefusal(c, web, { requireOrigin: true });
      if (refusal) return refused(c, '/', 'FORBIDDEN', `This form may be posted only from the sandbox's own pages: ${refusal}.`, 403);
      let back = '/';
      try {
        const form = await readForm(c);
        back = backPath(form.back);
        return c.redirect(withResult(back, results.put(await run(c, form))), 303);
      } catch (err) {
        const { code, message, callerFault, status } = describeError(err);
        if (!callerFault) return replyToError(err, c);
        return refused(c, back, code, message, status as 400 | 404 | 409 | 413);
      }
    });
  }

  control('/clock/advance', async (_c, form) => {
    const seconds = durationField(form, 'duration');
    return { kind: 'clock', seconds, advance: await advanceClock(deps, seconds) };
  });

  control('/merchants/:partner/fault', async (c, form) => {
    const kind = formText(form, 'kind');
    const count = countField(form, 'count');
    const withCount = count === undefined ? {} : { count };
    // Which kinds there are, and which take seconds, is the dispatcher's (dispatcher/faults/).
    const takes = faultParameters(kind);
    if (!takes) throw bad(`kind must be ${faultKindsText()}`, 'kind');
    const seconds = takes.seconds ? { seconds: durationField(form, 'seconds', takes.seconds.default) } : {};
    const partner = await knownPartner(web, c.req.param('partner') ?? '');
    await setFault(deps, partner, { kind, ...seconds, ...withCount });
    return { kind: 'fault', partner, fault: await getFault(deps, partner) };
  });

  control('/notifications/recover', async (_c, form) => {
    const sinceText = formText(form, 'since');
    const since = readBeijingTime(sinceText);
    if (since === undefined) throw bad(`since "${sinceText}" is not a Beijing time such as 2026-11-22 10:00:00`, 'since');
    const partnerText = formText(form, 'partner').trim();
    const partner = partnerText ? await knownPartner(web, partnerText) : undefined;
    return { kind: 'recover', since, partner, result: await recoverGivenUp(deps, { since, ...(partner ? { partner } : {}) }) };
  });

  control('/notifications/:id/resend', async (c) => {
    const id = Number(c.req.param('id'));
    if (!Number.isSafeInteger(id) || id <= 0) throw bad('the notification id is a positive whole number', 'id');
    return { kind: 'resend', originalId: id, replay: await replayNotification(deps, id) };
  });

  control('/trades/:trade_no/actions/:action', async (c, form) => {
    const action = c.req.param('action') ?? '';
    if (!isTradeAction(action)) throw bad(`unknown action ${action}`, 'action');
    const input = actionInput(form);
    const tradeNo = c.req.param('trade_no') ?? '';
    if (hasNul(tradeNo)) throw new SandboxError('NOT_FOUND', 'no such trade');
    return { kind: 'action', action, trade: await takeTradeAction(deps, tradeNo, action, input) };
  });

  control('/trades/:trade_no/check-merchant', async (c, form) => {
    const notifyUrl = formText(form, 'notify_url').trim();
    if (!notifyUrl) throw bad('notify_url is required', 'notify_url');
    const returnUrl = formText(form, 'return_url').trim();
    const tradeNo = c.req.param('trade_no') ?? '';
    const trade = hasNul(tradeNo) ? undefined : await getTrade(deps, tradeNo);
    if (!trade) throw new SandboxError('NOT_FOUND', `no trade ${tradeNo}`);
    const report = await checkMerchant(deps, { partner: trade.partner, notifyUrl, outTradeNo: trade.outTradeNo, ...(returnUrl ? { returnUrl } : {}) });
    return { kind: 'check', report };
  });

  return app;
}
