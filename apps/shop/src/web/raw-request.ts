import type { Context } from 'hono';
import type { ShopEnv } from './context.js';

/**
 * The query string exactly as the browser sent it (without `?`). Verification must see the raw
 * percent-encoded bytes, never values a framework decoded (a return's notify_id keeps its `%2F`,
 * protocol.md §2.1). Under @hono/node-server that is the Node request's own url.
 */
export function rawQuery(c: Context<ShopEnv>): string {
  const env = c.env as (ShopEnv['Bindings'] & { incoming?: { url?: string } }) | undefined;
  const url = env?.incoming?.url ?? c.req.url;
  const at = url.indexOf('?');
  return at < 0 ? '' : url.slice(at + 1);
}

/** The body bytes exactly as received. */
export async function rawBody(c: Context<ShopEnv>): Promise<Uint8Array> {
  return new Uint8Array(await c.req.arrayBuffer());
}

/** Bytes as text, one character per byte (bodies of percent-encoded forms are ASCII anyway). */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}
