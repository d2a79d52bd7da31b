import { INPUT_CHARSET, PARTNER, TOKEN, url } from './common.js';
import type { ServiceSchema } from './schema.js';

/** `user.logistics.address.query` (快捷登录物流地址查询), protocol.md §4.6. */
export const userLogisticsAddressQuerySchema: ServiceSchema = {
  service: 'user.logistics.address.query',
  kind: 'page',
  title: '快捷登录用户物流地址查询接口',
  params: {
    partner: PARTNER,
    _input_charset: INPUT_CHARSET,
    return_url: url('the absolute http(s) URL the chosen address is posted back to', 200, true),
    token: { ...TOKEN, required: true, doc: 'the token from the alipay.auth.authorize return ("必须把 token 也加入请求参数")' },
  },
  rules: [],
  timeoutParams: [],
};
