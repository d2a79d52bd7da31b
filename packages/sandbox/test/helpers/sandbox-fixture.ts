import type { Hono } from 'hono';
import { createApp } from '../../src/app.js';
import type { CreateSandboxOptions } from '../../src/create-sandbox.js';
import type { Dialect, SandboxDeps } from '../../src/deps.js';
import type { AppEnv } from '../../src/routes/web-context.js';
import { listNotifications, listRefundBatches, listTrades } from '../../src/services/index.js';
import { openTestSandbox } from './dialects.js';

export interface TestSandbox {
  deps: SandboxDeps;
  app: Hono<AppEnv>;
  close(): Promise<void>;
}

/** One delivery the sandbox attempted, as the fake merchant saw it. */
export interface Delivery {
  url: string;
  body: string;
  contentType: string;
  params: URLSearchParams;
}

/**
 * A merchant's notify_url in process: records every delivery and answers `success` (or what
 * `answer` says), so notifications can be checked without sockets.
 */
export function recordingFetch(answer: (d: Delivery) => Response = () => new Response('success')) {
  const deliveries: Delivery[] = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const raw = init?.body;
    const body = typeof raw === 'string' ? raw : raw instanceof Uint8Array ? Buffer.from(raw).toString('latin1') : String(raw ?? '');
    const headers = new Headers(init?.headers);
    const d: Delivery = { url, body, contentType: headers.get('content-type') ?? '', params: new URLSearchParams(body) };
    deliveries.push(d);
    return answer(d);
  }) as typeof fetch;
  return { fetch: fetchFn, deliveries };
}

/**
 * A fresh seeded sandbox of the dialect (C's DIALECTS helper: `npm run test:pg` runs these suites
 * on PostgreSQL) and its app.
 */
export async function openSandbox(dialect: Dialect, options: Omit<CreateSandboxOptions, 'db' | 'opened'> = {}): Promise<TestSandbox> {
  const { deps, close } = await openTestSandbox(dialect, { publicUrl: 'http://sandbox.test', fetch: recordingFetch().fetch, ...options });
  return { deps, app: createApp(deps, { secret: 'test secret' }), close };
}

/** Everything a refusal must leave untouched: trades, notifications and refund batches. */
export async function stateOf(deps: SandboxDeps): Promise<string> {
  const [trades, notifications, batches] = await Promise.all([listTrades(deps), listNotifications(deps), listRefundBatches(deps)]);
  return JSON.stringify({ trades, notifications, batches });
}
