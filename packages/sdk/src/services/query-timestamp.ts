import { INPUT_CHARSET, PARTNER } from './common.js';
import type { ServiceSchema } from './schema.js';

/** `query_timestamp` (防钓鱼时间戳): an unsigned GET (protocol.md §4.8). */
export const queryTimestampSchema: ServiceSchema = {
  service: 'query_timestamp',
  kind: 'unsigned',
  title: '防钓鱼时间戳查询接口',
  params: { partner: PARTNER, _input_charset: INPUT_CHARSET },
  rules: [],
  timeoutParams: [],
};
