import { GatewayError } from '../errors.js';
import { isBlank } from './check-param.js';
import type { CrossFieldRule, ParamSpec } from './schema.js';

/**
 * The escrow services' logistics options (protocol.md §4.2): up to three groups of
 * (`logistics_type`, `logistics_fee`, `logistics_payment`), suffixes '', `_1`, `_2`.
 */

/**
 * The `logistics_type` values (protocol.md §4.2).
 * @example LOGISTICS_TYPES.includes('EMS') // true
 */
export const LOGISTICS_TYPES = ['EXPRESS', 'POST', 'EMS', 'DIRECT'] as const;
/**
 * The `logistics_payment` values (protocol.md §4.2).
 * @example LOGISTICS_PAYMENTS.includes('BUYER_PAY') // true
 */
export const LOGISTICS_PAYMENTS = ['SELLER_PAY', 'BUYER_PAY', 'BUYER_PAY_AFTER_RECEIVE'] as const;
export type LogisticsType = (typeof LOGISTICS_TYPES)[number];
export type LogisticsPayment = (typeof LOGISTICS_PAYMENTS)[number];

const SUFFIXES = ['', '_1', '_2'] as const;

/** One logistics option the buyer can pick at the cashier. */
export interface LogisticsOption {
  /** '' for the first group, `_1`, `_2` for the others. */
  suffix: '' | '_1' | '_2';
  type: LogisticsType;
  /** Freight in yuan as sent, e.g. `0` or `10.00`. */
  fee: string;
  payment: LogisticsPayment;
}

/** Specs of the nine logistics parameters; a malformed one is `ILLEGAL_LOGISTICS_FORMAT`. */
export function logisticsParamSpecs(): Record<string, ParamSpec> {
  const specs: Record<string, ParamSpec> = {};
  SUFFIXES.forEach((s, i) => {
    const which = ['first', 'second', 'third'][i]!;
    specs[`logistics_type${s}`] = {
      format: { kind: 'enum', values: LOGISTICS_TYPES },
      code: 'ILLEGAL_LOGISTICS_FORMAT',
      doc: `the ${which} logistics option's type (EXPRESS, POST, EMS or DIRECT)`,
    };
    specs[`logistics_fee${s}`] = {
      format: { kind: 'amount', minFen: 0, maxFen: 100_000_000_00 },
      code: 'ILLEGAL_LOGISTICS_FORMAT',
      doc: `the ${which} logistics option's freight in yuan (e.g. 0 or 10.00)`,
    };
    specs[`logistics_payment${s}`] = {
      format: { kind: 'enum', values: LOGISTICS_PAYMENTS },
      code: 'ILLEGAL_LOGISTICS_FORMAT',
      doc: `who pays the ${which} option's freight (SELLER_PAY, BUYER_PAY or BUYER_PAY_AFTER_RECEIVE)`,
    };
  });
  return specs;
}

/**
 * The group rules of the official demos (protocol.md §4.2): each group is all three set or all
 * empty; the first group is required; the second needs the first and the third the second; types
 * differ across groups. Every violation is `ILLEGAL_LOGISTICS_FORMAT`.
 */
export const logisticsGroupRule: CrossFieldRule = (params) => {
  const present: boolean[] = [];
  for (const s of SUFFIXES) {
    const names = [`logistics_type${s}`, `logistics_fee${s}`, `logistics_payment${s}`];
    const given = names.filter((n) => !isBlank(params[n]));
    if (given.length > 0 && given.length < 3) {
      const absent = names.find((n) => isBlank(params[n]))!;
      throw new GatewayError(
        'ILLEGAL_LOGISTICS_FORMAT',
        `${absent} is missing while ${given.join(' and ')} ${given.length === 1 ? 'is' : 'are'} given: a logistics option is the three parameters ${names.join(', ')}, all set or all empty`,
        { param: absent },
      );
    }
    present.push(given.length === 3);
  }
  if (!present[0]) {
    throw new GatewayError(
      'ILLEGAL_LOGISTICS_FORMAT',
      'logistics_type, logistics_fee and logistics_payment are required: give at least one logistics option, e.g. logistics_type=EXPRESS, logistics_fee=0, logistics_payment=SELLER_PAY (DIRECT for goods that need no shipping)',
      { param: 'logistics_type' },
    );
  }
  if (present[2] && !present[1]) {
    throw new GatewayError(
      'ILLEGAL_LOGISTICS_FORMAT',
      'the third logistics option (logistics_type_2, …) is given without the second (logistics_type_1, logistics_fee_1, logistics_payment_1): fill the options in order, first the unsuffixed group, then _1, then _2',
      { param: 'logistics_type_1' },
    );
  }
  const seen = new Map<string, string>();
  for (const s of SUFFIXES) {
    const type = params[`logistics_type${s}`];
    if (isBlank(type)) continue;
    const earlier = seen.get(type);
    if (earlier !== undefined) {
      throw new GatewayError(
        'ILLEGAL_LOGISTICS_FORMAT',
        `logistics_type${s}=${type} repeats ${earlier}: each logistics option needs a different type (e.g. EXPRESS, then EMS, then POST)`,
        { param: `logistics_type${s}` },
      );
    }
    seen.set(type, `logistics_type${s}`);
  }
};

/**
 * The logistics options of a (valid) escrow request, in order.
 * @example logisticsGroups({ logistics_type: 'EXPRESS', logistics_fee: '10.00', logistics_payment: 'BUYER_PAY' })
 * // [{ suffix: '', type: 'EXPRESS', fee: '10.00', payment: 'BUYER_PAY' }]
 */
export function logisticsGroups(params: Readonly<Record<string, string | undefined>>): LogisticsOption[] {
  const out: LogisticsOption[] = [];
  for (const s of SUFFIXES) {
    const type = params[`logistics_type${s}`];
    const fee = params[`logistics_fee${s}`];
    const payment = params[`logistics_payment${s}`];
    if (isBlank(type) || isBlank(fee) || isBlank(payment)) continue;
    out.push({ suffix: s, type: type as LogisticsType, fee, payment: payment as LogisticsPayment });
  }
  return out;
}
