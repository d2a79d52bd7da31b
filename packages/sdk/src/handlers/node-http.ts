import type { IncomingMessage, ServerResponse } from 'node:http';
import { AlipayError } from '../errors.js';
import type { NotificationCore, NotificationOutcome } from './notification-handler.js';

/** A Node `http` request listener. */
export type NodeRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Adapts the core to a Node `http` listener: reads the raw body from the stream, refuses anything
 * but POST (405), refuses bodies over the size limit (413), answers once.
 */
export function nodeHttpAdapter(core: NotificationCore): NodeRequestListener {
  return (req, res) => {
    void answerNode(core, req, res);
  };
}

/** Reads the request and answers; shared with the Express adapter when the stream is unread. */
export async function answerNode(core: NotificationCore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST') {
    req.resume();
    sendOutcome(res, core.refuse(405, new AlipayError('method_not_allowed', `notifications arrive by POST, not ${req.method ?? '?'}`), req));
    return;
  }
  let read: { body: Buffer; tooLarge: boolean };
  try {
    read = await readRawBody(req, core.maxBodyBytes);
  } catch (err) {
    sendOutcome(res, core.refuse(400, new AlipayError('body_read_failed', 'the request body could not be read', { cause: err }), req));
    return;
  }
  if (read.tooLarge) {
    sendOutcome(res, core.refuse(413, new AlipayError('body_too_large', `the body is larger than ${core.maxBodyBytes} bytes`), req));
    return;
  }
  sendOutcome(res, await core.handle(read.body, req));
}

/**
 * Reads a request body to the end as raw bytes. Past `limit` bytes it keeps draining (so the
 * answer can still be written) but keeps nothing.
 */
export function readRawBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
      size += bytes.length;
      if (size > limit) tooLarge = true;
      else chunks.push(bytes);
    });
    req.on('end', () => resolve({ body: tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge }));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('the client aborted the request')));
  });
}

const answered = new WeakSet<ServerResponse>();

/**
 * Writes an outcome unless the response was already answered (by this handler or by the
 * callback): nothing is answered twice. Returns whether it wrote.
 */
export function sendOutcome(res: ServerResponse, outcome: NotificationOutcome): boolean {
  if (answered.has(res) || res.headersSent || res.writableEnded) return false;
  answered.add(res);
  res.statusCode = outcome.status;
  res.setHeader('content-type', outcome.contentType);
  res.setHeader('content-length', Buffer.byteLength(outcome.body));
  res.end(outcome.body);
  return true;
}
