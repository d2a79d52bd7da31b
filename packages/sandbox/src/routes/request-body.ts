import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from './web-context.js';

/**
 * The largest request body read (1 MiB): a gateway request or an API call is a few KB at most; a
 * larger body is refused (413, ILLEGAL_ARGUMENT) before it fills memory, and nothing is changed.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The request body's raw bytes. Behind @hono/node-server they are read straight from Node's
 * IncomingMessage (the env binding `incoming`): going through the web Request's body stream costs
 * more than the rest of a small API call (bench/README.md). Anywhere
 * else (`app.request()` in tests, other runtimes) Hono's Request is read as usual. The bytes are
 * kept on the context: a second read returns them.
 */
export async function readBody(c: Context<AppEnv>): Promise<Uint8Array> {
  const kept = c.get('requestBody');
  if (kept) return kept;
  const bytes = await readBodyOnce(c);
  // Kept for whoever looks at the request after its handler (routes/request-log.ts).
  c.set('requestBody', bytes);
  return bytes;
}

async function readBodyOnce(c: Context<AppEnv>): Promise<Uint8Array> {
  const declared = Number(c.req.header('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const incoming = nodeIncoming(c);
  if (!incoming) {
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    if (bytes.length > MAX_BODY_BYTES) throw tooLarge();
    return bytes;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Leaving the loop early must not destroy the request (and its socket) before the refusal is
  // answered: @hono/node-server drains what is left after the reply.
  for await (const chunk of incoming.iterator({ destroyOnReturn: false })) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** The body as UTF-8 text (the sandbox's own JSON API and pages). */
export async function readTextBody(c: Context<AppEnv>): Promise<string> {
  const bytes = await readBody(c);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

function tooLarge(): HTTPException {
  return new HTTPException(413, { message: `the request body is larger than ${MAX_BODY_BYTES} bytes` });
}

function nodeIncoming(c: Context<AppEnv>): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming as IncomingMessage | undefined;
  // Only a stream nobody has started reading (Hono's own body reader would have).
  return incoming && typeof incoming.on === 'function' && !incoming.readableDidRead && !incoming.readableEnded ? incoming : undefined;
}
