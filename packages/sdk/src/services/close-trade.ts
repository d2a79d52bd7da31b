import { GatewayError } from '../errors.js';
import { isBlank } from './check-param.js';
import { INPUT_CHARSET, PARTNER, oneOf, text } from './common.js';
import type { CrossFieldRule, ServiceSchema } from './schema.js';

/** The classic mistake: close_trade names the merchant's order number out_order_no (protocol.md §4.10). */
const outTradeNoRule: CrossFieldRule = (p) => {
  if (!isBlank(p.out_trade_no) && isBlank(p.out_order_no) && isBlank(p.trade_no)) {
    throw new GatewayError('ILLEGAL_ARGUMENT', 'close_trade takes your order number as out_order_no, not out_trade_no: rename the parameter', {
      param: 'out_order_no',
    });
  }
};

/** `close_trade` (关闭交易), protocol.md §4.10. */
export const closeTradeSchema: ServiceSchema = {
  service: 'close_trade',
  kind: 'server',
  title: '关闭交易接口',
  params: {
    partner: PARTNER,
    _input_charset: INPUT_CHARSET,
    trade_no: { maxLength: 64, format: { kind: 'trade_no' }, doc: 'the Alipay trade_no' },
    out_order_no: text('your order number (the out_trade_no of the payment request)', 64),
    trade_role: { format: { kind: 'enum', values: ['B', 'S'] }, doc: 'who closes: B (buyer) or S (seller)' },
  },
  rules: [outTradeNoRule, oneOf(['trade_no', 'out_order_no'], 'pass the Alipay trade_no or your order number as out_order_no')],
  timeoutParams: [],
};
