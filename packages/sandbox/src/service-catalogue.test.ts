import type { ServiceName } from 'alipay-legacy';
import { SERVICES } from 'alipay-legacy/protocol';
import { describe, expect, it } from 'vitest';
import { CHECKED_HANDLERS, WORD_HANDLERS } from './routes/gateway-handlers.js';
import {
  SERVED_SERVICES,
  isTradeService,
  noPermissionCodeOf,
  replyKindOf,
  sellerIdParam,
  serviceLabel,
  takesAntiPhishing,
} from './service-catalogue.js';

const ALL = Object.keys(SERVICES) as ServiceName[];

describe('the service catalogue', () => {
  it('serves every service of the SDK, each with one handler', () => {
    expect([...SERVED_SERVICES].sort()).toEqual([...ALL].sort());
    expect([...Object.keys(CHECKED_HANDLERS), ...Object.keys(WORD_HANDLERS)].sort()).toEqual([...ALL].sort());
  });

  it('answers page services with a page, server calls and query_timestamp with XML, notify_verify with a word, anything else with a page', () => {
    expect(ALL.filter((s) => replyKindOf(s) === 'page')).toEqual(ALL.filter((s) => SERVICES[s].kind === 'page'));
    expect(ALL.filter((s) => replyKindOf(s) === 'xml').sort()).toEqual(['close_trade', 'query_timestamp', 'send_goods_confirm_by_platform', 'single_trade_query']);
    expect(ALL.filter((s) => replyKindOf(s) === 'word')).toEqual(['notify_verify']);
    expect(replyKindOf('batch_trans_notify')).toBe('page');
    expect(replyKindOf(undefined)).toBe('page');
  });

  it('reads from the SDK schema which requests take anti_phishing_key and which name the seller by seller_user_id', () => {
    expect(ALL.filter(takesAntiPhishing).sort()).toEqual(['alipay.auth.authorize', 'create_direct_pay_by_user', 'create_partner_trade_by_buyer', 'trade_create_by_buyer']);
    expect(ALL.filter((s) => sellerIdParam(s) === 'seller_user_id')).toEqual(['refund_fastpay_by_platform_pwd']);
  });

  it('keeps ILLEGAL_PARTNER_EXTERFACE for the quick-login product and HAS_NO_PRIVILEGE for the others', () => {
    expect(ALL.filter((s) => noPermissionCodeOf(s) === 'ILLEGAL_PARTNER_EXTERFACE').sort()).toEqual(['alipay.auth.authorize', 'user.logistics.address.query']);
  });

  it('names the three payment services and labels them for the pages', () => {
    expect(ALL.filter(isTradeService)).toEqual(['create_direct_pay_by_user', 'create_partner_trade_by_buyer', 'trade_create_by_buyer']);
    expect(serviceLabel('trade_create_by_buyer')).toBe('标准双接口');
    expect(serviceLabel('batch_trans_notify')).toBe('batch_trans_notify');
  });
});
