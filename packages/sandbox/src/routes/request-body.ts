import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { AppEnv } from './web-context.js';

/**
 * The request body's raw bytes. Behind @hono/node-server they are read straight from Node's
 * IncomingMessage (the env binding `incoming`): going through the web Request's body stream costs
 * about 0.2 ms per request here, more than the rest of a small API call (bench/README.md). Anywhere
 * else (`app.request()` in tests, other runtimes) Hono's Request is read as usual. Read a body once.
 */
export async function readBody(c: Context<AppEnv>): Promise<Uint8Array> {
  const incoming = nodeIncoming(c);
  if (!incoming) return new Uint8Array(await c.req.arrayBuffer());
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** The body as UTF-8 text (the sandbox's own JSON API and pages). */
export async function readTextBody(c: Context<AppEnv>): Promise<string> {
  const bytes = await readBody(c);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

function nodeIncoming(c: Context<AppEnv>): IncomingMessage | undefined {
  const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming as IncomingMessage | undefined;
  // Only a stream nobody has started reading (Hono's own body reader would have).
  return incoming && typeof incoming.on === 'function' && !incoming.readableDidRead && !incoming.readableEnded ? incoming : undefined;
}
