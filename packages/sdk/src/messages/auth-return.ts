import { baseFields, copyFields, required, type MessageBase, type MessageVia } from './message-base.js';

/**
 * The return of quick login, `alipay.auth.authorize` (protocol.md §4.5, decisions.md §16): who
 * the buyer is and a token for the address query and for payment requests.
 */
export interface AuthReturnMessage extends MessageBase {
  kind: 'auth_return';
  /** The buyer's Alipay user id (2088…). */
  user_id: string;
  /** 40 characters, valid 30 minutes (decisions.md §16). */
  token: string;
  /** Sent by the 2011–2014 gateway; optional later (protocol.md §4.5). */
  real_name?: string;
  email?: string;
  /** When the buyer came through the etao entry (protocol.md §12.13). */
  target_url?: string;
}

const OPTIONAL = ['real_name', 'email', 'target_url'] as const satisfies ReadonlyArray<keyof AuthReturnMessage>;

/**
 * Reads the quick-login return; `user_id` and `token` are required.
 * @example parseAuthReturn({ is_success: 'T', user_id: '2088102597366867', token: '2017…X86' }, 'return').token
 */
export function parseAuthReturn(raw: Readonly<Record<string, string>>, via: MessageVia): AuthReturnMessage {
  const message: AuthReturnMessage = {
    ...baseFields(raw, via),
    kind: 'auth_return',
    user_id: required(raw, 'user_id', 'alipay.auth.authorize return'),
    token: required(raw, 'token', 'alipay.auth.authorize return'),
  };
  copyFields(raw, message as unknown as Record<string, unknown>, OPTIONAL);
  return message;
}

/**
 * A buyer sent by etao who was not signed in there: the return to the quick-login `return_url`
 * carries only `target_url` (and `notify_id`), with no user (protocol.md §12.13; decisions.md §33).
 * The site goes on to `target_url`, without logging anybody in.
 */
export interface EtaoEntryMessage extends MessageBase {
  kind: 'etao_entry';
  target_url: string;
}

/**
 * Reads the etao entry without a signed-in buyer; `target_url` is required.
 * @example parseEtaoEntry({ notify_id: 'RqPn…', target_url: 'https://shop.example/items/1' }, 'return').target_url
 */
export function parseEtaoEntry(raw: Readonly<Record<string, string>>, via: MessageVia): EtaoEntryMessage {
  return { ...baseFields(raw, via), kind: 'etao_entry', target_url: required(raw, 'target_url', 'etao entry') };
}
