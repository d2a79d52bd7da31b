import { PARTNER, text } from './common.js';
import type { ServiceSchema } from './schema.js';

/**
 * `notify_verify` (ATN check): unsigned (protocol.md §4.7). The gateway answers `invalid` rather
 * than an error code when partner or notify_id is missing (decisions.md §3): the sandbox maps.
 */
export const notifyVerifySchema: ServiceSchema = {
  service: 'notify_verify',
  kind: 'unsigned',
  title: '通知验证',
  params: {
    partner: PARTNER,
    notify_id: text('the notify_id of the return or notification, unchanged', 256, true),
  },
  rules: [],
  timeoutParams: [],
};
