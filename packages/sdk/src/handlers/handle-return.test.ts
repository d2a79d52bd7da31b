import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config.js';
import { VerificationError } from '../errors.js';
import { fakeNotifyVerify, signedReturnQuery } from '../testing.js';
import { handleReturn } from './handle-return.js';

const PARTNER = '2088101122136241';
const KEY = '10000000000000000000000000000000';
const FIELDS = { out_trade_no: 'A1', trade_no: '2015051900001000980052833539', trade_status: 'TRADE_FINISHED', total_fee: '12.30', seller_id: PARTNER };

describe('handleReturn', () => {
  it('verifies a return, checks the order and then asks notify_verify', async () => {
    const fetch = fakeNotifyVerify();
    const config = resolveConfig({ partner: PARTNER, key: KEY, fetch });
    const m = await handleReturn(config, `/alipay/return?${signedReturnQuery(config, FIELDS)}`, { expect: () => ({ totalFee: 1230 }) });
    expect(m.kind === 'trade_status_sync' && m.totalFen).toBe(1230);
    expect(fetch.calls).toHaveLength(1);
  });

  it('refuses a return for another amount before spending its notify_id', async () => {
    const fetch = fakeNotifyVerify();
    const config = resolveConfig({ partner: PARTNER, key: KEY, fetch });
    const err = await handleReturn(config, signedReturnQuery(config, FIELDS), { expect: () => ({ totalFee: '12.31' }) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VerificationError);
    expect((err as VerificationError).reason).toBe('amount_mismatch');
    expect(fetch.calls).toHaveLength(0);
  });

  it('checks the seller against the order, else against config.sellerId', async () => {
    const config = resolveConfig({ partner: PARTNER, key: KEY, notifyVerify: false, sellerId: '2088000000000001' });
    const query = signedReturnQuery(config, FIELDS);
    await expect(handleReturn(config, query, { expect: () => ({}) })).rejects.toMatchObject({ reason: 'seller_mismatch' });
    await expect(handleReturn(config, query, { expect: () => ({ sellerId: PARTNER }) })).resolves.toMatchObject({ out_trade_no: 'A1' });
    await expect(handleReturn(config, query, { expect: () => undefined })).rejects.toMatchObject({ reason: 'unknown_order' });
  });
});
