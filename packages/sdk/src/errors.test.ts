import { describe, expect, it } from 'vitest';
import { resolveConfig } from './config.js';
import { AlipayError, GatewayError, UsageError, VerificationError } from './errors.js';
import { parseForm } from './form-encoding.js';
import { createDirectPayByUser } from './requests/direct-pay.js';
import { validateServiceRequest } from './services/validate.js';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('errors', () => {
  it('calls misuse a UsageError: a configuration without its key, a builder input of the wrong type', async () => {
    const config = caught(() => resolveConfig({ partner: '2088101122136241' }));
    expect(config).toBeInstanceOf(UsageError);
    expect(config).toBeInstanceOf(AlipayError);
    expect(config).toMatchObject({ name: 'UsageError', code: 'bad_config' });
    const resolved = resolveConfig({ partner: '2088101122136241', key: '10000000000000000000000000000000' });
    await expect(createDirectPayByUser(resolved, { out_trade_no: 'A1', subject: 'x', total_fee: 0.1 as never })).rejects.toMatchObject({
      name: 'UsageError',
      code: 'bad_input',
    });
  });

  it('calls a refusal by the gateway’s own rule a GatewayError, with the parameter at fault', () => {
    const err = caught(() => validateServiceRequest({ service: 'single_trade_query', partner: '2088101122136241' }));
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ code: 'PARAMTER_IS_NULL', param: 'trade_no' });
    expect((err as Error).message).toMatch(/^PARAMTER_IS_NULL: /);
  });

  it('names the parameter on any error that has one, not in the message only', () => {
    const err = caught(() => parseForm('a=1&b=2&a=3', 'utf-8'));
    expect(err).toBeInstanceOf(AlipayError);
    expect(err).not.toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ code: 'duplicate_param', param: 'a' });
  });

  it('keeps the cause, and lets another package extend the base with codes of its own', () => {
    class ShopError extends AlipayError<'out_of_stock'> {}
    const cause = new Error('root');
    const err = new ShopError('out_of_stock', 'sold out', { cause, param: 'sku' });
    expect(err).toBeInstanceOf(AlipayError);
    expect(err).toMatchObject({ code: 'out_of_stock', param: 'sku', cause });
    expect(new VerificationError('sign_mismatch', 'x', { presign: 'a=1' })).toMatchObject({ reason: 'sign_mismatch', code: 'sign_mismatch', presign: 'a=1' });
  });
});
