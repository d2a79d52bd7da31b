import type { GatewayError } from 'alipay-legacy';
import { describe, expect, it } from 'vitest';
import { readGatewayParams } from './read-params.js';

const refused = (code: string, param?: string) => expect.objectContaining({ name: 'GatewayError', code, ...(param ? { param } : {}) }) as GatewayError;

describe('reading a gateway request', () => {
  it('names the parameter sent twice (ILLEGAL_ARGUMENT, param from the SDK’s own error)', () => {
    expect(() => readGatewayParams({ query: 'service=close_trade&out_order_no=1&out_order_no=2&_input_charset=utf-8' })).toThrow(refused('ILLEGAL_ARGUMENT', 'out_order_no'));
  });

  it('refuses a malformed escape as ILLEGAL_ARGUMENT, and an unknown charset as ILLEGAL_CHARSET', () => {
    expect(() => readGatewayParams({ query: 'service=close_trade&subject=%ZZ' })).toThrow(refused('ILLEGAL_ARGUMENT'));
    expect(() => readGatewayParams({ query: '_input_charset=big5&service=close_trade' })).toThrow(refused('ILLEGAL_CHARSET', '_input_charset'));
  });
});
