import { request } from 'node:http';
import { request as requestTls } from 'node:https';
import { parseArgs } from 'node:util';
import type { Activity } from '../activity/activity.js';
import { formatActivity, wantsColor } from '../activity/lines.js';
import { URL_OPTION, authHeaders, targetOf } from './admin-commands.js';
import { UsageError, type CliIo } from './io.js';

/** One server-sent event. */
export interface StreamEvent {
  event: string;
  data: string;
  id: string | undefined;
}

/**
 * Splits a server-sent event stream into events as its text arrives: `push` each chunk, get the
 * events it completed. Comments (keep-alives) are skipped.
 */
export function eventStreamReader(): { push(text: string): StreamEvent[] } {
  let buffer = '';
  return {
    push(text) {
      buffer += text.replace(/\r\n?/g, '\n');
      const events: StreamEvent[] = [];
      for (let end = buffer.indexOf('\n\n'); end !== -1; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        let id: string | undefined;
        const data: string[] = [];
        for (const line of block.split('\n')) {
          if (line === '' || line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon === -1 ? line : line.slice(0, colon);
          const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event = value;
          else if (field === 'data') data.push(value);
          else if (field === 'id') id = value;
        }
        if (data.length > 0 || event !== 'message') events.push({ event, data: data.join('\n'), id });
      }
      return events;
    },
  };
}

const RECONNECT_MS = 1000;

/**
 * `listen`: the lines the sandbox prints in its terminal, streamed from a running sandbox
 * (`GET /sandbox/api/activity`), until Ctrl-C. When the stream breaks it reconnects, and asks for
 * what it missed.
 */
export async function listenCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ...URL_OPTION, json: { type: 'boolean', default: false } }, allowPositionals: true });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const target = targetOf(io, values);
  const base = target.base;
  const color = !values.json && wantsColor({ isTTY: io.stdoutIsTTY === true }, io.env);
  let lastId: string | undefined;
  let connectedOnce = false;
  let current: { destroy(): void } | undefined;
  let stopped = false;
  let wake: () => void = () => undefined;
  const stop = () => {
    stopped = true;
    current?.destroy();
    wake();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  /** One connection: resolves when the stream ends, rejects when it cannot be opened. */
  const connect = () =>
    new Promise<void>((resolve, reject) => {
      const url = `${base}/sandbox/api/activity`;
      const send = url.startsWith('https:') ? requestTls : request;
      const req = send(url, { headers: { ...authHeaders(target), accept: 'text/event-stream', ...(lastId ? { 'last-event-id': lastId } : {}) } }, (res) => {
        if (res.statusCode !== 200 || !(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          res.resume();
          reject(new Error(`${url} answered ${res.statusCode} ${res.headers['content-type'] ?? ''}`));
          return;
        }
        current = res;
        const reader = eventStreamReader();
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          for (const e of reader.push(chunk)) {
            if (e.id !== undefined) lastId = e.id;
            if (e.event === 'ready') {
              if (!connectedOnce) io.stderr(`listening to ${base} (Ctrl-C stops)\n`);
              else io.stderr(`reconnected to ${base}\n`);
              connectedOnce = true;
              continue;
            }
            if (e.event !== 'request' && e.event !== 'trade' && e.event !== 'attempt') continue;
            const item = JSON.parse(e.data) as Activity;
            io.stdout(`${values.json ? JSON.stringify(item) : formatActivity(item, { color })}\n`);
          }
        });
        res.on('close', () => resolve());
        res.on('error', () => resolve());
      });
      current = req;
      req.on('error', reject);
      req.end();
    });

  try {
    while (!stopped) {
      try {
        await connect();
        if (!stopped) io.stderr(`the stream from ${base} ended; reconnecting…\n`);
      } catch (err) {
        if (!connectedOnce) {
          io.stderr(`alipay-legacy-sandbox listen: cannot reach the sandbox at ${base} (${(err as Error).message}): is it running (npx alipay-legacy-sandbox)? --url points elsewhere\n`);
          return 1;
        }
      }
      if (!stopped) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, RECONNECT_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
