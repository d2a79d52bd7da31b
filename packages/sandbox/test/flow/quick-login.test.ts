import { parseAddressReturn, parseAuthReturn, parseForm, verifyMessageSign } from 'alipay-legacy/protocol';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Sandbox } from '../../src/create-sandbox.js';
import { SEED_MERCHANT } from '../../src/seed.js';
import {
  buildAddressReturnForm,
  buildAuthReturnUrl,
  consumeAntiPhishingKey,
  getMerchant,
  issueAntiPhishingKey,
  issueToken,
  listAddresses,
  resolveToken,
  verifyNotifyId,
} from '../../src/services/index.js';
import type { Merchant } from '../../src/services/index.js';
import { receiveAddressXml } from '../../src/services/quick-login.js';
import { forEachDialect, openTestSandbox } from '../helpers/dialects.js';
import { BUYER, GBK_BUYER, PARTNER } from '../helpers/trades.js';

forEachDialect('quick login, address query and anti-phishing', (dialect) => {
  let sandbox: Sandbox;
  let merchant: Merchant;
  beforeEach(async () => {
    sandbox = await openTestSandbox(dialect);
    merchant = (await getMerchant(sandbox.deps, PARTNER))!;
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it('returns to return_url with user_id, a 40-character token, real_name, email and a verifiable notify_id (decisions.md §16)', async () => {
    const url = await buildAuthReturnUrl(sandbox.deps, { merchant, returnUrl: 'http://127.0.0.1:9/login', userId: BUYER.userId, charset: 'utf-8', signType: 'MD5' });
    const params = parseForm(url.slice(url.indexOf('?') + 1), 'utf-8');
    expect(() => verifyMessageSign(params, { signType: 'MD5', key: SEED_MERCHANT.key, charset: 'utf-8' })).not.toThrow();
    const message = parseAuthReturn(params, 'return');
    expect(message).toMatchObject({ user_id: BUYER.userId, real_name: BUYER.realName, email: BUYER.email });
    expect(params.token).toHaveLength(40);
    expect(params.target_url).toBeUndefined();
    expect(await verifyNotifyId(sandbox.deps, PARTNER, params.notify_id)).toBe('true');
    expect(await resolveToken(sandbox.deps, PARTNER, params.token!)).toEqual({ userId: BUYER.userId, loginLive: true });
  });

  it('carries target_url for the etao entry', async () => {
    const url = await buildAuthReturnUrl(sandbox.deps, {
      merchant,
      returnUrl: 'http://127.0.0.1:9/login',
      userId: BUYER.userId,
      charset: 'utf-8',
      signType: 'MD5',
      targetUrl: 'http://127.0.0.1:9/item/1',
    });
    expect(parseForm(url.slice(url.indexOf('?') + 1), 'utf-8').target_url).toBe('http://127.0.0.1:9/item/1');
  });

  it('keeps the login state 10 minutes and the token 30 (protocol.md §12.11)', async () => {
    const { token } = await issueToken(sandbox.deps, { partner: PARTNER, userId: BUYER.userId });
    await sandbox.deps.clock.advance(10 * 60 + 1);
    expect(await resolveToken(sandbox.deps, PARTNER, token)).toEqual({ userId: BUYER.userId, loginLive: false });
    await sandbox.deps.clock.advance(20 * 60);
    expect(await resolveToken(sandbox.deps, PARTNER, token)).toBeUndefined();
  });

  it('does not resolve another partner’s token or an unknown one', async () => {
    const { token } = await issueToken(sandbox.deps, { partner: PARTNER, userId: BUYER.userId });
    expect(await resolveToken(sandbox.deps, '2088000000000000', token)).toBeUndefined();
    expect(await resolveToken(sandbox.deps, PARTNER, 'x'.repeat(40))).toBeUndefined();
  });

  it('posts the chosen address back as receive_address XML, signed (decisions.md §17)', async () => {
    const [address] = await listAddresses(sandbox.deps, BUYER.userId);
    const form = await buildAddressReturnForm(sandbox.deps, { merchant, returnUrl: 'http://127.0.0.1:9/address', userId: BUYER.userId, addressId: address!.id, charset: 'utf-8', signType: 'MD5' });
    expect(form.action).toBe('http://127.0.0.1:9/address');
    expect(() => verifyMessageSign(form.fields, { signType: 'MD5', key: SEED_MERCHANT.key, charset: 'utf-8' })).not.toThrow();
    const parsed = parseAddressReturn(form.fields, 'return');
    expect(parsed.address).toMatchObject({ prov: '上海', city: '上海', area: '浦东新区', fullname: '张三', post: '200120' });
    expect(form.fields.is_success).toBe('T');
    expect(Object.values(form.fields).every((v) => v !== '')).toBe(true);
  });

  it('escapes XML special characters in the address', () => {
    const xml = receiveAddressXml({ id: 1, userId: 'u', position: 0, fullname: 'A & B', prov: '上海', city: '上海', area: '浦东新区', address: '<路>', addressCode: '', mobilePhone: '1', phone: '', post: '2' });
    expect(xml).toContain('<fullname>A &amp; B</fullname>');
    expect(xml).toContain('<address>&lt;路&gt;</address>');
    expect(xml).toContain('<phone/>');
  });

  it('refuses an address that is not the buyer’s', async () => {
    const [other] = await listAddresses(sandbox.deps, GBK_BUYER.userId);
    await expect(
      buildAddressReturnForm(sandbox.deps, { merchant, returnUrl: 'http://127.0.0.1:9/a', userId: BUYER.userId, addressId: other!.id, charset: 'utf-8', signType: 'MD5' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('accepts an anti_phishing_key once within 30 s (decisions.md §18)', async () => {
    const { key } = await issueAntiPhishingKey(sandbox.deps, PARTNER);
    await expect(consumeAntiPhishingKey(sandbox.deps, PARTNER, key)).resolves.toBeUndefined();
    await expect(consumeAntiPhishingKey(sandbox.deps, PARTNER, key)).rejects.toMatchObject({ code: 'ILLEGAL_ANTI_PHISHING_KEY' });
  });

  it('refuses an expired key with ANTI_PHISHING_KEY_TIMEOUT, and unknown, missing or other partners’ keys with ILLEGAL_ANTI_PHISHING_KEY', async () => {
    const { key } = await issueAntiPhishingKey(sandbox.deps, PARTNER);
    await sandbox.deps.clock.advance(31);
    await expect(consumeAntiPhishingKey(sandbox.deps, PARTNER, key)).rejects.toMatchObject({ code: 'ANTI_PHISHING_KEY_TIMEOUT' });
    const fresh = await issueAntiPhishingKey(sandbox.deps, PARTNER);
    await expect(consumeAntiPhishingKey(sandbox.deps, '2088000000000000', fresh.key)).rejects.toMatchObject({ code: 'ILLEGAL_ANTI_PHISHING_KEY' });
    await expect(consumeAntiPhishingKey(sandbox.deps, PARTNER, 'bogus')).rejects.toMatchObject({ code: 'ILLEGAL_ANTI_PHISHING_KEY' });
    await expect(consumeAntiPhishingKey(sandbox.deps, PARTNER, undefined)).rejects.toMatchObject({ code: 'ILLEGAL_ANTI_PHISHING_KEY' });
  });
});
