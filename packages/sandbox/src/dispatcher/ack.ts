/**
 * decisions.md §6: acknowledged iff the status is 200 and the body, with the characters up to
 * U+0020 around it removed (Java's `trim`, nothing more), is exactly `success`. The official Java
 * sample's println adds a newline, which passes with a warning; a UTF-8 byte-order mark before
 * `success` (a PHP file saved "with BOM") is not removed, and the real gateway retried it. An answer
 * that is not `success` is described with its first bytes in hex, so an invisible character shows.
 */
export function readAck(status: number, body: string): { acknowledged: boolean; warning: string | null; error: string | null } {
  if (status !== 200) {
    const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
    return { acknowledged: false, warning: null, error: `HTTP ${status}${redirect}: the notify_url must answer 200 with the body "success"` };
  }
  if (body === 'success') return { acknowledged: true, warning: null, error: null };
  if (javaTrim(body) === 'success') {
    return { acknowledged: true, warning: `the body was ${JSON.stringify(body)}: the whitespace around "success" was removed; the real gateway wanted exactly "success"`, error: null };
  }
  const shown = body.length > 80 ? JSON.stringify(body.slice(0, 80)) + '…' : JSON.stringify(body);
  const bom = body.startsWith('\uFEFF') ? ' It starts with a UTF-8 byte-order mark: save the page without BOM.' : '';
  return { acknowledged: false, warning: null, error: `the body was ${shown} (first bytes ${firstBytesHex(body)}), not "success".${bom}` };
}

/** Removes the characters up to U+0020 at both ends, as Java's String.trim. */
export function javaTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text.charCodeAt(start) <= 0x20) start++;
  while (end > start && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(start, end);
}

/** The first 16 bytes of the answer as the merchant sent them (UTF-8), in hex. */
function firstBytesHex(body: string): string {
  const bytes = Buffer.from(body, 'utf8');
  const hex = bytes.subarray(0, 16).toString('hex').replace(/(..)(?!$)/g, '$1 ');
  return bytes.length > 16 ? `${hex} …` : hex || '(empty)';
}
