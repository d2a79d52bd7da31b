import type { Charset } from 'alipay-legacy';

/** The response bodies kept in the delivery log are cut here. */
const MAX_BODY = 4096;

export interface PostResult {
  status: number | null;
  body: string | null;
  error: string | null;
  durationMs: number;
}

/**
 * POSTs a notification body (decisions.md §5): `application/x-www-form-urlencoded;
 * charset=<charset>`, no redirects followed, a timeout per attempt. Never throws: a refused
 * connection or a timeout is a result with an error.
 */
export async function postNotification(
  fetchImpl: typeof fetch,
  url: string,
  body: string,
  options: { charset: Charset; timeoutMs: number },
): Promise<PostResult> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    const response = await fetchImpl(url, {
      method: 'POST',
      headers: { 'content-type': `application/x-www-form-urlencoded; charset=${options.charset}`, 'user-agent': 'Mozilla/4.0 (alipay-legacy sandbox)' },
      body,
      redirect: 'manual',
      signal: controller.signal,
    });
    const text = await response.text();
    return { status: response.status, body: text.length > MAX_BODY ? text.slice(0, MAX_BODY) : text, error: null, durationMs: Math.round(performance.now() - started) };
  } catch (err) {
    const durationMs = Math.round(performance.now() - started);
    if (controller.signal.aborted) return { status: null, body: null, error: `timed out after ${options.timeoutMs} ms`, durationMs };
    return { status: null, body: null, error: describe(err), durationMs };
  } finally {
    clearTimeout(timer);
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    if (cause instanceof Error) {
      const code = (cause as { code?: string }).code;
      return code ? `${code}: ${cause.message}` : cause.message;
    }
    return err.message;
  }
  return String(err);
}
