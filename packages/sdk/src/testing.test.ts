import { describe, expect, it } from 'vitest';
import { parseAlipayTime } from './clock.js';
import { resolveConfig } from './config.js';
import { parseForm } from './form-encoding.js';
import { renderReceiveAddress } from './messages/receive-address.js';
import { fakeNotifyVerify, randomNotifyId, randomReturnNotifyId, signedNotification, signedReturnQuery, signedReturnUrl } from './testing.js';
import { verifyReturn } from './verify/verify-return.js';

const KEY = '10000000000000000000000000000000';

describe('the test signer signs as Alipay does', () => {
  it('reproduces the independently computed GBK notification vector G3, body and sign', () => {
    const n = signedNotification(
      { key: KEY, charset: 'gbk' },
      { subject: '《红楼梦》—曹雪芹', trade_status: 'TRADE_FINISHED', total_fee: '0.01', buyer_email: 'buyer+1@sandbox.test', discount: '' },
      { notifyId: '1d583bc9cf21ed879bcd428fd53ed5e16w', now: parseAlipayTime('2015-05-19 09:20:36') },
    );
    expect(n.params.sign).toBe('8dd7b2e040f547e71249621025a0ac00');
    expect(n.params.notify_type).toBe('trade_status_sync');
    expect('discount' in n.params).toBe(false);
    expect(n.body).toContain('subject=%A1%B6%BA%EC%C2%A5%C3%CE%A1%B7%A1%AA%B2%DC%D1%A9%C7%DB');
    expect(n.body).toContain('notify_time=2015-05-19+09%3A20%3A36');
    expect(n.contentType).toBe('application/x-www-form-urlencoded; text/html; charset=GBK');
    expect(parseForm(n.body, 'gbk')).toEqual(n.params);
  });

  it('makes async notify_ids of 34 characters [0-9a-z] and return notify_ids with escapes inside', () => {
    const ids = new Set(Array.from({ length: 50 }, randomNotifyId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^[0-9a-z]{34}$/);
    expect(randomReturnNotifyId()).toMatch(/^RqPnCoPT3K9%2Fvwbh[A-Za-z0-9%]+$/);
  });

  it('lets undefined remove a default and never sends an empty value', () => {
    const n = signedNotification({ key: KEY }, { notify_type: 'batch_refund_notify', notify_id: undefined, batch_no: '1', result_details: '' });
    expect(Object.keys(n.params).sort()).toEqual(['batch_no', 'notify_time', 'notify_type', 'sign', 'sign_type']);
    expect(n.body).not.toMatch(/=(&|$)/);
  });

  it('adds notify_type and notify_time to trade returns only, and builds the full return URL', async () => {
    const login = parseForm(signedReturnQuery({ key: KEY }, { user_id: '2088000000000001', token: 't' }), 'utf-8');
    expect(Object.keys(login).sort()).toEqual(['is_success', 'notify_id', 'sign', 'sign_type', 'token', 'user_id']);
    const url = signedReturnUrl('http://127.0.0.1:3000/alipay/return', { key: KEY }, { out_trade_no: 'A', trade_no: 'B', trade_status: 'TRADE_SUCCESS' });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/alipay\/return\?is_success=T&notify_id=RqPn/);
    const m = await verifyReturn(resolveConfig({ partner: '2088101122136241', key: KEY, notifyVerify: false }), url);
    expect(m.kind === 'trade_status_sync' && m.notify_type).toBe('trade_status_sync');
  });

  it('signs an address-query return that verifies from its POSTed bytes with the address parsed', async () => {
    const xml = renderReceiveAddress({ fullname: '张三', prov: '上海', city: '上海', area: '浦东新区', address: '张江路 1 号 <A> & B' });
    const body = signedNotification({ key: KEY, charset: 'gbk' }, { notify_type: undefined, notify_time: undefined, is_success: 'T', user_id: '2088000000000001', receive_address: xml }).body;
    const m = await verifyReturn(resolveConfig({ partner: '2088101122136241', key: KEY, charset: 'gbk', notifyVerify: false }), Buffer.from(body, 'latin1'));
    if (m.kind !== 'address_return') throw new Error(m.kind);
    expect(m.address).toMatchObject({ fullname: '张三', area: '浦东新区', address: '张江路 1 号 <A> & B' });
  });

  it('refuses to sign RSA without the signer\'s private key', () => {
    expect(() => signedNotification({ signType: 'RSA' }, { a: '1' })).toThrow(/privateKey/);
  });
});

describe('fakeNotifyVerify', () => {
  it('answers per call, records partner and notify_id decoded once, and can be single-use', async () => {
    const fake = fakeNotifyVerify({ singleUse: true });
    const url = 'https://mapi.alipay.com/gateway.do?service=notify_verify&partner=2088&notify_id=RqPn%252Fx';
    expect(await (await fake(url)).text()).toBe('true');
    expect(await (await fake(url)).text()).toBe('false');
    expect(fake.calls[0]).toMatchObject({ service: 'notify_verify', partner: '2088', notifyId: 'RqPn%2Fx', reply: 'true' });
    const byFunction = fakeNotifyVerify({ reply: ({ notifyId }) => (notifyId === 'x' ? 'invalid' : 'true') });
    expect(await (await byFunction('http://h/trade/notify_query.do?partner=1&notify_id=x')).text()).toBe('invalid');
  });
});
