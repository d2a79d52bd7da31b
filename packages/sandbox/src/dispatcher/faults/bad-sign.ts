import type { Fault } from './fault.js';

/**
 * The attempt goes out with its sign altered (one character changed), as a forged or corrupted
 * message would arrive: a merchant that checks the sign answers anything but `success`, and the
 * next attempt carries the genuine sign. A merchant that acknowledges it is told so in the log.
 */
export const badSign = {
  kind: 'bad_sign',
  async send(send, body) {
    const delivery = await send(withAlteredSign(body));
    const note = delivery.acknowledged
      ? 'sent with an altered sign by an injected fault, and acknowledged: the notify_url does not check the sign'
      : 'sent with an altered sign by an injected fault';
    return { ...delivery, warning: [delivery.warning, note].filter(Boolean).join('; ') };
  },
} as const satisfies Fault;

/**
 * The form body with the first character of its `sign` value changed (still well-formed; an
 * escaped one as a whole): to a digit, so that no case-insensitive comparison of an MD5 hex sign takes it for the original.
 */
export function withAlteredSign(body: string): string {
  return body.replace(/(^|&)sign=(%[0-9A-Fa-f]{2}|[^&])/, (_all, lead: string, first: string) => `${lead}sign=${first === '0' ? '1' : '0'}`);
}
