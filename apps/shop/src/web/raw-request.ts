import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { ShopEnv } from './context.js';

/** The largest body the shop reads: notifications and its own forms are a few KB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The query string exactly as the browser sent it (without `?`). Verification must see the raw
 * percent-encoded bytes, never values a framework decoded (a return's notify_id keeps its `%2F`,
 * protocol.md §2.1). Under @hono/node-server that is the Node request's own url.
 */
export function rawQuery(c: Context<ShopEnv>): string {
  const url = c.env?.incoming?.url ?? c.req.url;
  const at = url.indexOf('?');
  return at < 0 ? '' : url.slice(at + 1);
}

/**
 * The body bytes exactly as received, or `undefined` when there are more than `MAX_BODY_BYTES`
 * (what is left unread is drained by @hono/node-server after the answer). Under
 * @hono/node-server they are read straight from Node's IncomingMessage: building the web Request
 * and its body stream costs more than the rest of a notification's HTTP handling. Anywhere else
 * (`app.request()` in tests) the Request is read as usual. Read a body once.
 */
export async function rawBody(c: Context<ShopEnv>): Promise<Uint8Array | undefined> {
  const incoming = unreadIncoming(c);
  // The Node request's own headers: Hono's would be built for this one look.
  if (Number((incoming ? incoming.headers['content-length'] : c.req.header('content-length')) ?? 0) > MAX_BODY_BYTES) return undefined;
  if (incoming) return readIncoming(incoming);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  return bytes.length > MAX_BODY_BYTES ? undefined : bytes;
}

function unreadIncoming(c: Context<ShopEnv>): IncomingMessage | undefined {
  const incoming = c.env?.incoming;
  // Only a stream nobody has started reading (Hono's own body reader would have).
  return incoming && typeof incoming.on === 'function' && !incoming.readableDidRead && !incoming.readableEnded ? incoming : undefined;
}

function readIncoming(incoming: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      done();
      incoming.pause();
      resolve(undefined);
    };
    const onEnd = () => {
      done();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onClose = () => onError(new Error('the connection closed before the body ended'));
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}

/** Bytes as text, one character per byte (bodies of percent-encoded forms are ASCII anyway). */
export function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
