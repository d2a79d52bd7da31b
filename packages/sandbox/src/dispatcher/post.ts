import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Charset } from 'alipay-legacy';
import { notificationHeaders } from 'alipay-legacy/protocol';

/** The response bodies kept in the delivery log are cut here. */
const MAX_BODY = 4096;

export interface PostResult {
  status: number | null;
  body: string | null;
  error: string | null;
  durationMs: number;
}

export interface PostOptions {
  charset: Charset;
  timeoutMs: number;
  /** Send with this `fetch` instead of Node's http client (tests inject a recording or fake one). */
  fetch?: typeof fetch | undefined;
}

/**
 * POSTs a notification body (decisions.md §5) with the real gateway's headers (§26, from the SDK:
 * `…; text/html; charset=…`, `Mozilla/4.0`, `Connection: close`), no redirects followed, a timeout
 * per attempt. Never throws: a refused connection or a timeout is a result with an error.
 *
 * By default it sends with `node:http`/`node:https`: `fetch` (undici) costs several times more CPU
 * per request, and deliveries are a third of the sandbox's HTTP traffic (bench/README.md). Both
 * paths give the same results and the same error texts.
 */
export async function postNotification(url: string, body: string, options: PostOptions): Promise<PostResult> {
  return options.fetch ? postWithFetch(options.fetch, url, body, options) : postWithNode(url, body, options);
}

// Each delivery has a connection of its own (`Connection: close`, as the real gateway); the agent
// only bounds how many are open at once.
const agentOptions = { keepAlive: false, maxSockets: 256 };
const agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };

function postWithNode(url: string, body: string, options: PostOptions): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<PostResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    let target: URL;
    try {
      target = new URL(url);
      if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new TypeError(`unsupported protocol ${target.protocol}`);
    } catch (err) {
      resolve({ status: null, body: null, error: describe(err), durationMs: elapsed() });
      return;
    }
    const payload = Buffer.from(body, 'utf8'); // percent-encoded ASCII; UTF-8 as fetch would send it
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, {
      method: 'POST',
      agent: target.protocol === 'https:' ? agents.https : agents.http,
      headers: { ...notificationHeaders(options.charset), 'content-length': String(payload.length) },
    });
    const timer = setTimeout(() => {
      finish({ status: null, body: null, error: `timed out after ${options.timeoutMs} ms` });
      req.destroy();
    }, options.timeoutMs);
    req.on('error', (err) => finish({ status: null, body: null, error: describe(err) }));
    req.on('response', (res: IncomingMessage) => {
      // Keep what the log can show (MAX_BODY characters take at most 4 bytes each) and read past
      // the rest, so a merchant streaming a huge answer costs no memory.
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (chunk: Buffer) => {
        if (kept >= MAX_BODY * 4) return;
        chunks.push(chunk);
        kept += chunk.length;
      });
      res.on('error', (err) => finish({ status: null, body: null, error: describe(err) }));
      res.on('end', () => {
        const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
        finish({ status: res.statusCode ?? null, body: text.length > MAX_BODY ? text.slice(0, MAX_BODY) : text, error: null });
      });
    });
    req.end(payload);
  });
}

async function postWithFetch(fetchImpl: typeof fetch, url: string, body: string, options: PostOptions): Promise<PostResult> {
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  try {
    const response = await fetchImpl(url, { method: 'POST', headers: notificationHeaders(options.charset), body, redirect: 'manual', signal: controller.signal });
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

/** `CODE: message` of a socket error (fetch wraps it as the cause of "fetch failed"). */
function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    const inner = cause instanceof Error ? cause : err;
    const code = (inner as { code?: string }).code;
    return code ? `${code}: ${inner.message}` : inner.message;
  }
  return String(err);
}
