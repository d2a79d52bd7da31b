/**
 * decisions.md §6: acknowledged iff the status is 200 and the body, with surrounding whitespace
 * removed, is exactly `success` (the official Java sample's println adds a newline). A body that
 * needed trimming passes with a warning.
 */
export function readAck(status: number, body: string): { acknowledged: boolean; warning: string | null; error: string | null } {
  if (status !== 200) {
    const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
    return { acknowledged: false, warning: null, error: `HTTP ${status}${redirect}: the notify_url must answer 200 with the body "success"` };
  }
  if (body === 'success') return { acknowledged: true, warning: null, error: null };
  if (body.trim() === 'success') {
    return { acknowledged: true, warning: `the body was ${JSON.stringify(body)}: whitespace around "success" was removed; the real gateway wanted exactly "success"`, error: null };
  }
  const shown = body.length > 80 ? JSON.stringify(body.slice(0, 80)) + '…' : JSON.stringify(body);
  return { acknowledged: false, warning: null, error: `the body was ${shown}, not "success"` };
}
