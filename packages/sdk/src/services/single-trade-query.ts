import { INPUT_CHARSET, PARTNER, oneOf, text } from './common.js';
import type { ServiceSchema } from './schema.js';

/** `single_trade_query` (单笔交易查询), protocol.md §4.9. */
export const singleTradeQuerySchema: ServiceSchema = {
  service: 'single_trade_query',
  kind: 'server',
  title: '单笔交易查询接口',
  params: {
    partner: PARTNER,
    _input_charset: INPUT_CHARSET,
    trade_no: { maxLength: 64, format: { kind: 'trade_no' }, doc: 'the Alipay trade_no' },
    out_trade_no: text('your order number', 64),
  },
  // "支付宝交易号与商户网站订单号不能同时为空".
  rules: [oneOf(['trade_no', 'out_trade_no'], 'pass the Alipay trade_no or your out_trade_no')],
  timeoutParams: [],
};
