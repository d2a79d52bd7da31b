import { INPUT_CHARSET, PARTNER, oneOf, text } from './common.js';
import type { ParamSpec, ServiceSchema } from './schema.js';

const TRANSPORT: ParamSpec = {
  format: { kind: 'enum', values: ['POST', 'EXPRESS', 'EMS', 'DIRECT'] },
  code: 'ILLEGAL_LOGISTICS_FORMAT',
  doc: 'the transport type, as chosen for the trade (POST, EXPRESS, EMS or DIRECT)',
};

/** `send_goods_confirm_by_platform` (确认发货), protocol.md §4.4. */
export const sendGoodsConfirmByPlatformSchema: ServiceSchema = {
  service: 'send_goods_confirm_by_platform',
  kind: 'server',
  title: '确认发货接口',
  params: {
    partner: PARTNER,
    _input_charset: INPUT_CHARSET,
    trade_no: { required: true, maxLength: 64, format: { kind: 'trade_no' }, doc: 'the Alipay trade_no (from the return or notification)' },
    logistics_name: text('the carrier name', 64, true),
    invoice_no: text('the waybill number', 32),
    transport_type: TRANSPORT,
    create_transport_type: TRANSPORT,
    seller_ip: { maxLength: 15, format: { kind: 'ipv4' }, doc: "the seller's public IPv4 address" },
  },
  // "create_transport_type 和 transport_type 不能同时为空".
  rules: [oneOf(['transport_type', 'create_transport_type'], 'pass transport_type (the same type the buyer chose, e.g. EXPRESS)')],
  timeoutParams: [],
};
