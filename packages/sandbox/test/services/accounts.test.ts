import { signPresign, verifyPresign } from 'alipay-legacy/protocol';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Sandbox } from '../../src/create-sandbox.js';
import { MERCHANT_RSA_PRIVATE_KEY } from '../../src/seed-keys.js';
import { SEED_BUYERS } from '../../src/seed.js';
import {
  checkLoginPassword,
  checkPayPassword,
  findBuyerByLogin,
  getAlipayKeys,
  getFault,
  getMerchant,
  listAddresses,
  listBuyers,
  listMerchants,
  setFault,
  updateMerchantSettings,
} from '../../src/services/index.js';
import { forEachDialect, openTestSandbox } from '../helpers/dialects.js';
import { BUYER, PARTNER } from '../helpers/trades.js';

forEachDialect('merchants, buyers and faults', (dialect) => {
  let sandbox: Sandbox;
  beforeEach(async () => {
    sandbox = await openTestSandbox(dialect);
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it('lists the seeded buyers, the default one first', async () => {
    const buyers = await listBuyers(sandbox.deps);
    expect(buyers.map((b) => b.login)).toEqual(SEED_BUYERS.map((b) => b.login));
    expect(buyers[0]).toMatchObject({ login: 'buyer@sandbox.test', balanceFen: 10_000_000 });
  });

  it('logs a buyer in with the right password only, with one message for unknown login and wrong password', async () => {
    expect((await checkLoginPassword(sandbox.deps, 'buyer@sandbox.test', '111111')).userId).toBe(BUYER.userId);
    const wrong = await checkLoginPassword(sandbox.deps, 'buyer@sandbox.test', '111112').catch((e: unknown) => e);
    const unknown = await checkLoginPassword(sandbox.deps, 'nobody@sandbox.test', '111111').catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: 'WRONG_LOGIN' });
    expect(unknown).toMatchObject({ code: 'WRONG_LOGIN', message: (wrong as Error).message });
  });

  it('checks the payment password', async () => {
    await expect(checkPayPassword(sandbox.deps, BUYER.userId, '111111')).resolves.toBeUndefined();
    await expect(checkPayPassword(sandbox.deps, BUYER.userId, '000000')).rejects.toMatchObject({ code: 'WRONG_PAY_PASSWORD' });
  });

  it('finds buyers by login and lists their addresses in order', async () => {
    expect((await findBuyerByLogin(sandbox.deps, ' buyer@sandbox.test '))?.userId).toBe(BUYER.userId);
    expect(await findBuyerByLogin(sandbox.deps, 'x@y.z')).toBeUndefined();
    const addresses = await listAddresses(sandbox.deps, BUYER.userId);
    expect(addresses.map((a) => a.position)).toEqual([0, 1]);
    expect(addresses[0]).toMatchObject({ prov: '上海', city: '上海', area: '浦东新区', addressCode: '310115' });
  });

  it('switches merchant settings', async () => {
    const m = await updateMerchantSettings(sandbox.deps, PARTNER, { antiPhishing: true, ipCheck: true, advancedInstant: true, refundWindowDays: 365, services: ['create_direct_pay_by_user'] });
    expect(m).toMatchObject({ antiPhishing: true, ipCheck: true, advancedInstant: true, refundWindowDays: 365, services: ['create_direct_pay_by_user'] });
    expect(await getMerchant(sandbox.deps, PARTNER)).toEqual(m);
    expect((await listMerchants(sandbox.deps)).map((x) => x.partner)).toEqual([PARTNER]);
    await expect(updateMerchantSettings(sandbox.deps, '2088000000000000', { antiPhishing: true })).rejects.toMatchObject({ code: 'ILLEGAL_PARTNER', param: 'partner' });
  });

  it("gives the merchant a working RSA pair and the sandbox its own 'Alipay' pair", async () => {
    const m = (await getMerchant(sandbox.deps, PARTNER))!;
    const sig = signPresign('a=1', { signType: 'RSA', privateKey: MERCHANT_RSA_PRIVATE_KEY });
    expect(verifyPresign('a=1', sig, { signType: 'RSA', publicKey: m.rsaPublicKey! })).toBe(true);
    const alipay = getAlipayKeys();
    const sig2 = signPresign('a=1', { signType: 'RSA', privateKey: alipay.privateKey });
    expect(verifyPresign('a=1', sig2, { signType: 'RSA', publicKey: alipay.publicKey })).toBe(true);
    expect(verifyPresign('a=1', sig2, { signType: 'RSA', publicKey: m.rsaPublicKey! })).toBe(false);
  });

  it('sets, reads and clears a fault', async () => {
    expect(await getFault(sandbox.deps, PARTNER)).toEqual({ kind: 'none' });
    await setFault(sandbox.deps, PARTNER, { kind: 'delay', seconds: 5, count: 2 });
    expect(await getFault(sandbox.deps, PARTNER)).toEqual({ kind: 'delay', seconds: 5, count: 2 });
    await setFault(sandbox.deps, PARTNER, { kind: 'none' });
    expect(await getFault(sandbox.deps, PARTNER)).toEqual({ kind: 'none' });
    await expect(setFault(sandbox.deps, PARTNER, { kind: 'delay', seconds: 0 })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
