import type { Charset } from '../charset.js';

/**
 * The headers the real gateway sent with every asynchronous notification (decisions.md §26):
 * `Content-Type: application/x-www-form-urlencoded; text/html; charset=UTF-8` (`GBK` for GBK
 * trades; the `text/html` part is real, and body parsers that match the media type strictly read
 * nothing), `User-Agent: Mozilla/4.0`, `Connection: close`.
 * @example
 * notificationHeaders('gbk')['content-type'] // 'application/x-www-form-urlencoded; text/html; charset=GBK'
 */
export function notificationHeaders(charset: Charset): { 'content-type': string; 'user-agent': string; connection: string } {
  return {
    'content-type': `application/x-www-form-urlencoded; text/html; charset=${charset.toUpperCase()}`,
    'user-agent': 'Mozilla/4.0',
    connection: 'close',
  };
}
