import { GatewayError } from '../errors.js';
import { fromFen, toFen } from '../money.js';
import { isBlank } from './check-param.js';
import { YUAN } from './common.js';
import { logisticsGroups } from './logistics.js';
import type { CrossFieldRule, ParamSpec } from './schema.js';

/**
 * Amount parameters and the price/total/quantity combination rules ("参考单价、总价、数量三个组合规则",
 * `ILLEGAL_FEE_PARAM`, protocol.md §4.1, §4.2, §7.3).
 */

/**
 * Direct pay: `total_fee` and `price` in [0.01, 100000000.00] (protocol.md §4.1), in fen.
 * @example if (order.totalFen > DIRECT_PAY_MAX_FEN) throw new Error('too large for one payment');
 */
export const DIRECT_PAY_MAX_FEN = 100_000_000 * YUAN;
/**
 * Escrow and dual: `price` and the trade amount in [0.01, 1000000.00] (protocol.md §4.2), in fen.
 * @example if (order.totalFen > ESCROW_MAX_FEN) offerInstantPaymentOnly();
 */
export const ESCROW_MAX_FEN = 1_000_000 * YUAN;

export function feeSpec(doc: string, maxFen: number, required = false): ParamSpec {
  const spec: ParamSpec = {
    format: { kind: 'amount', minFen: 1, maxFen },
    code: 'ILLEGAL_FEE_PARAM',
    nonPositiveCode: 'TOTAL_FEE_LESSEQUAL_ZERO',
    tooLargeCode: 'TOTAL_FEE_OUT_OF_RANGE',
    doc,
  };
  if (required) {
    spec.required = true;
    spec.missingCode = 'ILLEGAL_FEE_PARAM';
  }
  return spec;
}

export function quantitySpec(required = false): ParamSpec {
  const spec: ParamSpec = {
    format: { kind: 'integer', min: 1, max: 999_999_999 },
    code: 'ILLEGAL_FEE_PARAM',
    doc: 'the number of items, a positive whole number (the demos advise 1, with price = the order total)',
  };
  if (required) {
    spec.required = true;
    spec.missingCode = 'ILLEGAL_FEE_PARAM';
  }
  return spec;
}

/** `discount` (escrow): [-100000000.00, 100000000.00], added to the amount; negative is a discount. */
export const DISCOUNT: ParamSpec = {
  format: { kind: 'amount', minFen: -100_000_000 * YUAN, maxFen: 100_000_000 * YUAN },
  code: 'ILLEGAL_FEE_PARAM',
  doc: 'an amount added to the total, negative for a discount (e.g. -5.00)',
};

/**
 * Direct pay: "存在total_fee，就不能存在price和quantity；存在price、quantity，就不能存在total_fee"
 * (protocol.md §4.1). Either `total_fee` alone or `price` with `quantity`, and their product in range.
 */
export const directPayFeeRule: CrossFieldRule = (p) => {
  const hasTotal = !isBlank(p.total_fee);
  const hasPrice = !isBlank(p.price);
  const hasQuantity = !isBlank(p.quantity);
  if (hasTotal && (hasPrice || hasQuantity)) {
    throw new GatewayError(
      'ILLEGAL_FEE_PARAM',
      `total_fee is given together with ${hasPrice ? 'price' : 'quantity'}: send either total_fee alone, or price and quantity, never both`,
      { param: 'total_fee' },
    );
  }
  if (!hasTotal && !hasPrice && !hasQuantity) {
    throw new GatewayError('ILLEGAL_FEE_PARAM', 'no amount is given: send total_fee (e.g. 0.01), or price and quantity', { param: 'total_fee' });
  }
  if (hasPrice !== hasQuantity) {
    const absent = hasPrice ? 'quantity' : 'price';
    throw new GatewayError('ILLEGAL_FEE_PARAM', `${absent} is missing: price and quantity go together (or send total_fee alone)`, { param: absent });
  }
  if (hasPrice) checkProduct(p, DIRECT_PAY_MAX_FEN);
};

/**
 * Escrow and dual: `price` and `quantity` are required (their specs say so); the goods amount
 * `price × quantity` may not exceed 1000000.00, and with `discount` it must stay above zero.
 */
export const escrowFeeRule: CrossFieldRule = (p) => {
  const goods = checkProduct(p, ESCROW_MAX_FEN);
  const discount = isBlank(p.discount) ? 0 : toFen(p.discount, 'discount');
  if (goods + discount <= 0) {
    throw new GatewayError(
      'TOTAL_FEE_LESSEQUAL_ZERO',
      `price × quantity + discount = ${fromFen(goods + discount)} is not above zero: reduce the discount (discount=${p.discount})`,
      { param: 'discount' },
    );
  }
};

function checkProduct(p: Readonly<Record<string, string>>, maxFen: number): number {
  const fen = toFen(p.price!, 'price') * Number(p.quantity);
  if (fen > maxFen) {
    throw new GatewayError(
      'TOTAL_FEE_OUT_OF_RANGE',
      `price × quantity = ${fromFen(fen)} is above ${fromFen(maxFen)}: split the order or lower the amount`,
      { param: 'price' },
    );
  }
  return fen;
}

/**
 * The amount the buyer pays for a valid payment request, in fen. Direct pay: `total_fee`, or
 * `price × quantity`. Escrow and dual: `price × quantity + logistics_fee + discount` with the chosen
 * logistics option (default the first), the freight left out when it is `BUYER_PAY_AFTER_RECEIVE`
 * ("运费显示但不计入总价"; protocol.md §4.2, the rule itself INFERRED).
 * @example tradeTotalFen({ service: 'create_direct_pay_by_user', total_fee: '12.30' }) // 1230
 */
export function tradeTotalFen(params: Readonly<Record<string, string | undefined>>, options: { logisticsOption?: number } = {}): number {
  if (params.service === 'create_direct_pay_by_user') {
    if (!isBlank(params.total_fee)) return toFen(params.total_fee);
    return toFen(params.price ?? '', 'price') * Number(params.quantity ?? '1');
  }
  const goods = toFen(params.price ?? '', 'price') * Number(params.quantity ?? '1');
  const discount = isBlank(params.discount) ? 0 : toFen(params.discount, 'discount');
  const option = logisticsGroups(params)[options.logisticsOption ?? 0];
  const freight = option && option.payment !== 'BUYER_PAY_AFTER_RECEIVE' ? toFen(option.fee, 'logistics_fee') : 0;
  return goods + freight + discount;
}
