import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { resolveConfig, type AlipayConfig } from '../config.js';
import { VerificationError, type VerificationReason } from '../errors.js';
import { fakeNotifyVerify, signedNotification, signedReturnQuery } from '../testing.js';
import { verifyMessageSign } from './check-sign.js';
import { verifyNotification } from './verify-notification.js';
import { verifyReturn } from './verify-return.js';

const PARTNER = '2088101122136241';
const KEY = '10000000000000000000000000000000';
const rsa = (JSON.parse(readFileSync(new URL('../../test/fixtures/vectors.json', import.meta.url), 'utf8')) as {
  vectors: Array<{ name: string; private_key?: string; public_key?: string }>;
}).vectors.find((v) => v.name === 'V10 RSA')!;

const TRADE = {
  out_trade_no: 'ORDER-1',
  trade_no: '2015051900001000980052833539',
  trade_status: 'TRADE_SUCCESS',
  subject: '《三体》全集 & 典藏版',
  body: '价格：￥88.00 + 包邮',
  total_fee: '88.00',
  price: '88.00',
  quantity: '1',
  seller_id: PARTNER,
  buyer_email: 'buyer+1@sandbox.test',
  gmt_payment: '2015-05-19 09:20:36',
};

function configWith(overrides: Partial<AlipayConfig> = {}) {
  const fetch = fakeNotifyVerify({ singleUse: true });
  return { config: resolveConfig({ partner: PARTNER, key: KEY, fetch, ...overrides }), fetch };
}

async function refusal(promise: Promise<unknown>): Promise<VerificationError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(VerificationError);
    return err as VerificationError;
  }
  throw new Error('expected a VerificationError');
}

async function reasonOf(promise: Promise<unknown>): Promise<VerificationReason> {
  return (await refusal(promise)).reason;
}

describe('verifyNotification', () => {
  it('accepts a genuine UTF-8 notification, asks notify_verify once, and returns the typed message', async () => {
    const { config, fetch } = configWith();
    const n = signedNotification(config, TRADE, { notifyId: '1d583bc9cf21ed879bcd428fd53ed5e16w' });
    const m = await verifyNotification(config, Buffer.from(n.body));
    if (m.kind !== 'trade_status_sync') throw new Error(m.kind);
    expect(m.subject).toBe(TRADE.subject);
    expect(m.totalFen).toBe(8800);
    expect(m.via).toBe('notify');
    expect(fetch.calls).toHaveLength(1);
    expect(fetch.calls[0]).toMatchObject({ service: 'notify_verify', partner: PARTNER, notifyId: '1d583bc9cf21ed879bcd428fd53ed5e16w' });
  });

  it('accepts a genuine GBK notification when the charset is gbk, and refuses the same bytes read as UTF-8', async () => {
    const { config } = configWith({ charset: 'gbk' });
    const n = signedNotification(config, TRADE);
    expect(n.body).toContain('%A1%B6'); // 《 in GBK
    const m = await verifyNotification(config, Buffer.from(n.body, 'latin1'));
    expect(m.kind === 'trade_status_sync' && m.body).toBe(TRADE.body);

    const utf8 = configWith({ charset: 'utf-8' }).config;
    const err = await refusal(verifyNotification(utf8, Buffer.from(n.body, 'latin1')));
    expect(err.reason).toBe('sign_mismatch');
    expect(err.message).toMatch(/probably in gbk/);
    expect(err.presign).toContain('\ufffd');
  });

  it('refuses a tampered notification with the string it signed', async () => {
    const { config, fetch } = configWith();
    const n = signedNotification(config, TRADE);
    const err = await refusal(verifyNotification(config, n.body.replace('total_fee=88.00', 'total_fee=0.01')));
    expect(err.reason).toBe('sign_mismatch');
    expect(err.presign).toContain('total_fee=0.01');
    expect(err.message).toMatch(/wrong key/);
    expect(err.message).toMatch(/raw query string or the raw body bytes/);
    expect(err.message).toMatch(/extra parameters/);
    expect(fetch.calls).toHaveLength(0);
  });

  it('refuses an unsigned notification as missing_sign', async () => {
    const { config } = configWith();
    const n = signedNotification(config, TRADE);
    const unsigned = n.body.replace(/&?sign=[^&]*/, '');
    expect(await reasonOf(verifyNotification(config, unsigned))).toBe('missing_sign');
    expect(await reasonOf(verifyNotification(config, ''))).toBe('missing_sign');
  });

  it('refuses a sign_type other than the configured one, and an unknown one', async () => {
    const { config } = configWith();
    const n = signedNotification(config, TRADE);
    expect(await reasonOf(verifyNotification(config, n.body.replace('sign_type=MD5', 'sign_type=RSA')))).toBe('bad_sign_type');
    expect(await reasonOf(verifyNotification(config, n.body.replace('sign_type=MD5', 'sign_type=DSA')))).toBe('bad_sign_type');
  });

  it('refuses a replayed notification: notify_verify answers false the second time', async () => {
    const { config } = configWith();
    const n = signedNotification(config, TRADE);
    await verifyNotification(config, n.body);
    const err = await refusal(verifyNotification(config, n.body));
    expect(err.reason).toBe('notify_verify_false');
    expect(err.message).toMatch(/replay/);
  });

  it('maps notify_verify "invalid" and any other reply to their reasons', async () => {
    const n = signedNotification({ key: KEY }, TRADE);
    expect(await reasonOf(verifyNotification(configWith({ fetch: fakeNotifyVerify('invalid') }).config, n.body))).toBe('notify_verify_invalid');
    expect(await reasonOf(verifyNotification(configWith({ fetch: fakeNotifyVerify('<html>error</html>') }).config, n.body))).toBe(
      'notify_verify_unreachable',
    );
  });

  it('skips notify_verify when the message has no notify_id or the configuration switches it off', async () => {
    const { config, fetch } = configWith();
    await verifyNotification(config, signedNotification(config, { ...TRADE, notify_id: undefined }).body);
    const off = resolveConfig({ partner: PARTNER, key: KEY, notifyVerify: false, fetch });
    await verifyNotification(off, signedNotification(config, TRADE).body);
    await verifyNotification(config, signedNotification(config, TRADE).body, { notifyVerify: false });
    expect(fetch.calls).toHaveLength(0);
  });

  it('does not spend the notify_id of a message it cannot read', async () => {
    const { config, fetch } = configWith();
    const err = await refusal(verifyNotification(config, signedNotification(config, { ...TRADE, trade_status: 'PAID' }).body));
    expect(err.reason).toBe('malformed');
    expect(fetch.calls).toHaveLength(0);
  });

  it('refuses a body that names a parameter twice or has a broken escape', async () => {
    const { config } = configWith();
    const n = signedNotification(config, TRADE);
    expect(await reasonOf(verifyNotification(config, `${n.body}&total_fee=0.01`))).toBe('malformed');
    expect(await reasonOf(verifyNotification(config, `${n.body}&x=%G1`))).toBe('malformed');
  });

  it('refuses a parsed object loudly instead of re-encoding it', async () => {
    const { config } = configWith();
    await expect(verifyNotification(config, { a: '1' } as unknown as string)).rejects.toThrow(/raw body/);
  });

  it('verifies RSA with Alipay\'s public key and refuses a tampered RSA message', async () => {
    const { config } = configWith({ signType: 'RSA', privateKey: rsa.private_key!, alipayPublicKey: rsa.public_key!, key: undefined });
    const n = signedNotification(config, TRADE, { privateKey: rsa.private_key! });
    expect(n.params.sign_type).toBe('RSA');
    expect((await verifyNotification(config, n.body)).kind).toBe('trade_status_sync');
    const err = await refusal(verifyNotification(config, n.body.replace('total_fee=88.00', 'total_fee=88.01')));
    expect(err.reason).toBe('sign_mismatch');
    expect(err.message).toMatch(/Alipay's public key/);
  });
});

describe('verifyReturn', () => {
  it('keeps the %2F of a return notify_id after one decode, and sends it encoded again (%252F) to notify_verify', async () => {
    const { config, fetch } = configWith();
    const notifyId = 'RqPnCoPT3K9%2Fvwbh3InSN9bfmzKk3CpDC2p8BqOTbj8IE0lLjRCBiSNAHwr%2FHA48bafR';
    const query = signedReturnQuery(config, TRADE, { notifyId });
    expect(query).toContain('notify_id=RqPnCoPT3K9%252Fvwbh');
    const m = await verifyReturn(config, `?${query}`);
    expect(m.notify_id).toBe(notifyId);
    expect(m.via).toBe('return');
    expect(fetch.calls[0]?.url).toContain('notify_id=RqPnCoPT3K9%252Fvwbh');
    expect(fetch.calls[0]?.notifyId).toBe(notifyId);
  });

  it('accepts the query with or without "?", as a path, a full URL, a URL object, or bytes', async () => {
    const { config } = configWith({ notifyVerify: false });
    const query = signedReturnQuery(config, TRADE);
    for (const input of [query, `?${query}`, `/alipay/return?${query}`, `https://shop.example/alipay/return?${query}#top`, new URL(`https://shop.example/r?${query}`), Buffer.from(query)]) {
      const m = await verifyReturn(config, input);
      expect(m.kind === 'trade_status_sync' && m.out_trade_no).toBe('ORDER-1');
    }
  });

  it('refuses a return with a route or tracking parameter added, explaining why', async () => {
    const { config } = configWith({ notifyVerify: false });
    const err = await refusal(verifyReturn(config, `${signedReturnQuery(config, TRADE)}&id=123`));
    expect(err.reason).toBe('sign_mismatch');
    expect(err.presign).toContain('id=123');
    expect(err.message).toMatch(/route parameters/);
  });

  it('refuses a query someone already decoded (non-ASCII text) as malformed', async () => {
    const { config } = configWith({ notifyVerify: false });
    const decoded = decodeURIComponent(signedReturnQuery(config, TRADE).replace(/\+/g, ' '));
    expect(await reasonOf(verifyReturn(config, decoded))).toBe('malformed');
  });

  it('verifies a GBK return and the quick-login return without trade fields', async () => {
    const { config } = configWith({ charset: 'gbk', notifyVerify: false });
    const m = await verifyReturn(config, signedReturnQuery(config, { user_id: '2088102597366867', token: 't'.repeat(40), real_name: '张三' }));
    expect(m.kind === 'auth_return' && m.real_name).toBe('张三');
  });
});

describe('verifyMessageSign (offline)', () => {
  it('returns the string it signed for a valid message', () => {
    const params = { partner: '123', service: 'test', sign: 'bbd13b52823b576291595f472ebcfbc2', sign_type: 'MD5' };
    expect(verifyMessageSign(params, { signType: 'MD5', key: KEY, charset: 'utf-8' })).toBe('partner=123&service=test');
  });

  it('checks GBK text in GBK bytes (V11)', () => {
    const params = { partner: '123', service: 'test', subject: '测试', sign: 'da62fc8c3a7b3b0f96df474bd522fbe3' };
    expect(verifyMessageSign(params, { signType: 'MD5', key: KEY, charset: 'gbk' })).toBe('partner=123&service=test&subject=测试');
    expect(() => verifyMessageSign(params, { signType: 'MD5', key: KEY, charset: 'utf-8' })).toThrow(VerificationError);
    expect(iconv.encode('测试', 'gbk').toString('hex')).toBe('b2e2cad4');
  });
});
