import { GatewayError, type GatewayErrorCode } from '../errors.js';
import { fromFen } from '../money.js';
import { amountFen, docLength, isAccount, isAlipayTime, isIpv4, isTradeNo, isUserId, urlProblem } from './formats.js';
import type { ParamSpec } from './schema.js';

/** A value the protocol treats as absent: not sent, not signed (protocol.md §2.1 step 2). */
export function isBlank(value: string | undefined | null): value is '' | undefined | null {
  return value === undefined || value === null || value === '';
}

/**
 * Checks one present value against its spec: length first, then format. Throws `GatewayError`
 * with the spec's code, the parameter's name, what is wrong and how to fix it.
 */
export function checkParam(name: string, spec: ParamSpec, value: string): void {
  const code: GatewayErrorCode = spec.code ?? 'ILLEGAL_ARGUMENT';
  const fail = (problem: string, fix: string, failCode: GatewayErrorCode = code): never => {
    throw new GatewayError(failCode, `${name}="${shorten(value)}" ${problem}: ${fix}`, { param: name });
  };
  if (spec.maxLength !== undefined && docLength(value) > spec.maxLength) {
    fail(
      `is too long (${docLength(value)} > ${spec.maxLength}; Chinese characters count 2)`,
      `shorten it to at most ${spec.maxLength} (${spec.doc})`,
    );
  }
  const format = spec.format;
  if (!format) return;
  switch (format.kind) {
    case 'text':
      return;
    case 'enum':
      if (!format.values.includes(value)) {
        fail('is not allowed', format.values.length === 1 ? `use exactly "${format.values[0]}"` : `use one of ${format.values.join(', ')} (case-sensitive)`);
      }
      return;
    case 'amount': {
      const fen = amountFen(value);
      if (fen === undefined) fail('is not an amount', 'write yuan with at most two decimals, e.g. 0.01 or 12.50');
      if (fen! < format.minFen) {
        const nonPositive = format.minFen > 0 && fen! <= 0;
        fail(
          nonPositive ? 'is not greater than zero' : `is below ${fromFen(format.minFen)}`,
          `use an amount from ${fromFen(format.minFen)} to ${fromFen(format.maxFen)}`,
          nonPositive ? (spec.nonPositiveCode ?? code) : code,
        );
      }
      if (fen! > format.maxFen) {
        fail(`is above ${fromFen(format.maxFen)}`, `use an amount from ${fromFen(format.minFen)} to ${fromFen(format.maxFen)}`, spec.tooLargeCode ?? code);
      }
      return;
    }
    case 'integer':
      if (!/^(0|[1-9]\d{0,9})$/.test(value) || Number(value) < format.min || Number(value) > format.max) {
        fail('is not a whole number in range', `use a whole number from ${format.min} to ${format.max}, digits only`);
      }
      return;
    case 'url': {
      const problem = urlProblem(value);
      if (problem) fail(problem, 'use the absolute http(s):// address of your page, without "?…" (put order data in out_trade_no or extra_common_param)');
      return;
    }
    case 'datetime':
      if (!isAlipayTime(value)) fail('is not a time', 'use Beijing time as yyyy-MM-dd HH:mm:ss, e.g. 2015-01-01 08:00:00');
      return;
    case 'user_id':
      if (!isUserId(value)) fail('is not an Alipay user id', 'use the 16-digit id (2088 followed by 12 digits)');
      return;
    case 'account':
      if (!isAccount(value)) fail('is not an Alipay account', 'use the account\'s email address or 11-digit mobile number');
      return;
    case 'trade_no':
      if (!isTradeNo(value)) fail('is not an Alipay trade number', 'use the trade_no from the return or notification (16 to 64 digits), not your own out_trade_no');
      return;
    case 'ipv4':
      if (!isIpv4(value)) fail('is not an IPv4 address', 'use a dotted address such as 202.1.1.2');
      return;
    case 'pattern':
      if (!format.pattern.test(value)) fail('is malformed', format.hint);
      return;
    case 'check': {
      const problem = format.problem(value);
      if (problem !== undefined) fail(problem, format.hint);
      return;
    }
  }
}

/** Throws the missing-parameter error of a spec. */
export function missing(name: string, spec: ParamSpec, fix?: string): never {
  throw new GatewayError(spec.missingCode ?? 'PARAMTER_IS_NULL', `${name} is required but missing or empty: ${fix ?? `pass ${spec.doc}`}`, {
    param: name,
  });
}

function shorten(value: string): string {
  return value.length > 60 ? `${value.slice(0, 57)}…` : value;
}
