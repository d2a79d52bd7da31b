import { ANTI_PHISHING_KEY, EXTER_INVOKE_IP, INPUT_CHARSET, PARTNER, url } from './common.js';
import type { ServiceSchema } from './schema.js';

/** `alipay.auth.authorize` (快捷登录), protocol.md §4.5. */
export const alipayAuthAuthorizeSchema: ServiceSchema = {
  service: 'alipay.auth.authorize',
  kind: 'page',
  title: '快捷登录接口',
  params: {
    partner: PARTNER,
    _input_charset: INPUT_CHARSET,
    // A missing or other target_service is ILLEGAL_TARGET_SERVICE: the one value that works is fixed.
    target_service: {
      required: true,
      format: { kind: 'enum', values: ['user.auth.quick.login'] },
      code: 'ILLEGAL_TARGET_SERVICE',
      missingCode: 'ILLEGAL_TARGET_SERVICE',
      doc: 'target_service=user.auth.quick.login',
    },
    // Required: the login result comes back only to return_url (protocol.md §4.5, INFERRED).
    return_url: url('the absolute http(s) URL the buyer comes back to with user_id and token', 200, true),
    anti_phishing_key: ANTI_PHISHING_KEY,
    exter_invoke_ip: EXTER_INVOKE_IP,
  },
  rules: [],
  timeoutParams: [],
};
