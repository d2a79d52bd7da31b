import { formatAlipayTime } from 'alipay-legacy';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Activity } from '../activity/activity.js';
import type { AppEnv, Web } from './web-context.js';

/** A comment line now and then keeps proxies and idle timeouts from closing a quiet stream. */
const KEEP_ALIVE_MS = 15_000;

/**
 * `GET /sandbox/api/activity`: the sandbox's activity as server-sent events, from the moment of
 * the request on (`listen` and the live dashboard read it). Each event is named by its type
 * (`request`, `trade`, `attempt`), its data is the item's JSON and its id the feed's id and a
 * sequence number: a client that reconnects with Last-Event-ID gets what it missed, as far as the
 * feed still holds it (after a restart, from the restart on).
 * A first `ready` event says the stream is live.
 */
export function activityRoutes(web: Web): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/', (c) =>
    streamSSE(c, async (stream) => {
      // An id is FEED.SEQ: after a restart (another feed), what the client saw says nothing.
      const [feed, seqText] = (c.req.header('last-event-id') ?? '').split('.');
      const last = feed === web.activity.id ? Number(seqText) : NaN;
      let sent = Number.isSafeInteger(last) ? last : 0;
      const send = (activity: Activity, seq: number) => {
        if (seq <= sent) return;
        sent = seq;
        void stream.writeSSE({ id: `${web.activity.id}.${seq}`, event: activity.type, data: JSON.stringify(activity) });
      };
      const stop = await web.activity.subscribe(send);
      try {
        if (Number.isSafeInteger(last)) for (const held of web.activity.since(last)) send(held.activity, held.seq);
        const now = web.deps.clock.now();
        await stream.writeSSE({ event: 'ready', data: JSON.stringify({ url: web.deps.publicUrl, at: now, time: formatAlipayTime(now) }), retry: 2000 });
        const keepAlive = setInterval(() => void stream.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
        keepAlive.unref();
        await new Promise<void>((resolve) => stream.onAbort(resolve));
        clearInterval(keepAlive);
      } finally {
        stop();
      }
    }),
  );
  return app;
}
