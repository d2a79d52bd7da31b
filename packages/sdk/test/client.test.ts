import { describe, expect, it } from 'vitest';
import { createClient, VerificationError } from '../src/index.js';
import { parseForm, verifySign } from '../src/protocol.js';
import { fakeNotifyVerify, signedNotification } from '../src/testing.js';

const partner = '2088101122136241';
const key = 'abcdefghijklmnopqrstuvwxyz123456';

describe('createClient', () => {
  it('signs a direct-pay link with the configured partner, seller and charset', async () => {
    const alipay = createClient({ partner, key, charset: 'gbk', gateway: 'http://127.0.0.1:7000/gateway.do', notifyVerify: false });
    const pay = await alipay.createDirectPayByUser({
      out_trade_no: 'A1001',
      subject: '《三体》',
      total_fee: '88.00',
      return_url: 'http://127.0.0.1:3000/alipay/return',
    });
    expect(pay.url.startsWith('http://127.0.0.1:7000/gateway.do?')).toBe(true);
    const params = parseForm(pay.url.slice(pay.url.indexOf('?') + 1), 'gbk');
    expect(params).toMatchObject({ partner, seller_id: partner, _input_charset: 'gbk', subject: '《三体》', service: 'create_direct_pay_by_user' });
    expect(verifySign(params, params.sign, { key, charset: 'gbk' }).valid).toBe(true);
  });

  it('verifies a notification once and refuses its replay through notify_verify', async () => {
    const alipay = createClient({ partner, key, fetch: fakeNotifyVerify({ singleUse: true }) });
    const n = signedNotification(alipay.config, { out_trade_no: 'A1001', trade_no: '2026112200001000000000000001', trade_status: 'TRADE_FINISHED', total_fee: '88.00' });
    const message = await alipay.verifyNotification(n.body);
    expect(message.kind).toBe('trade_status_sync');
    await expect(alipay.verifyNotification(n.body)).rejects.toSatisfy(
      (e) => e instanceof VerificationError && e.reason === 'notify_verify_false',
    );
  });

  it('refuses a configuration that cannot sign', () => {
    expect(() => createClient({ partner })).toThrow(/config.key/);
  });
});
