import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the test merchant answers a notification. */
export type MerchantBehaviour =
  | 'success'
  /** `success\n`, as Java's println. */
  | 'success-newline'
  /** `success` after a UTF-8 byte-order mark, as a PHP file saved "with BOM". */
  | 'success-bom'
  /** 200 with another body. */
  | 'fail'
  /** 500 with body success. */
  | 'error-500'
  /** 302 to another page. */
  | 'redirect'
  /** Never answers. */
  | 'hang'
  /** `success` after 40 ms (to observe overlapping deliveries). */
  | 'slow'
  /** 200 with 8 MiB of text, streamed. */
  | 'huge';

export interface ReceivedNotification {
  at: number;
  headers: IncomingHttpHeaders;
  /** The raw body bytes as latin1 text (the form is ASCII after percent-encoding). */
  body: string;
  notifyId: string;
  outTradeNo: string;
  /** 1 for the first time this notify_id arrived, 2 for the second… */
  nth: number;
}

/** How the merchant answers beyond its behaviours: slowly, not at all after some, or by the arrival. */
export interface MerchantOptions {
  /** Each answer waits this long. */
  holdMs?: number;
  /** Arrivals after this many are held without an answer (until the connection dies). */
  holdAfter?: number;
  /** The body of a 200 answer for this arrival, instead of the behaviour's. */
  answer?: (received: ReceivedNotification) => string;
}

/**
 * A real merchant notify_url on 127.0.0.1 (port 0): records every request and answers as told.
 * `behaviours` is a queue: each request takes the next one, the last one repeats; `options` slow
 * the answers down, hold the later ones, or choose the answer per arrival.
 */
export class MerchantServer {
  readonly received: ReceivedNotification[] = [];
  /** Requests answered so far. */
  answered = 0;
  /** Arrivals after this many are held without an answer; Infinity: none. */
  holdAfter: number;
  private seen = new Map<string, number>();
  /** Requests being answered right now, and the most there ever were at once. */
  inFlight = 0;
  maxInFlight = 0;
  /** The most requests for one out_trade_no there ever were at once (must stay 1). */
  maxInFlightPerTrade = 0;
  private perTrade = new Map<string, number>();
  private server: Server | undefined;
  private hanging = new Set<() => void>();
  private queue: MerchantBehaviour[];
  url = '';

  constructor(
    behaviours: MerchantBehaviour | MerchantBehaviour[] = 'success',
    private readonly options: MerchantOptions = {},
  ) {
    this.queue = Array.isArray(behaviours) ? [...behaviours] : [behaviours];
    this.holdAfter = options.holdAfter ?? Infinity;
  }

  /** notify_id → how many times it arrived. */
  counts(): Map<string, number> {
    return new Map(this.seen);
  }

  /** Replaces the answers still to come. */
  answer(behaviours: MerchantBehaviour | MerchantBehaviour[]): void {
    this.queue = Array.isArray(behaviours) ? [...behaviours] : [behaviours];
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      res.on('close', () => this.inFlight--);
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('latin1');
        const form = new URLSearchParams(body);
        const notifyId = form.get('notify_id') ?? '';
        const nth = (this.seen.get(notifyId) ?? 0) + 1;
        this.seen.set(notifyId, nth);
        const key = form.get('out_trade_no') ?? form.get('batch_no') ?? '';
        const received: ReceivedNotification = { at: Date.now(), headers: req.headers, body, notifyId, outTradeNo: form.get('out_trade_no') ?? '', nth };
        this.received.push(received);
        if (this.received.length > this.holdAfter) return; // held: never answered
        this.perTrade.set(key, (this.perTrade.get(key) ?? 0) + 1);
        this.maxInFlightPerTrade = Math.max(this.maxInFlightPerTrade, this.perTrade.get(key)!);
        res.on('close', () => this.perTrade.set(key, this.perTrade.get(key)! - 1));
        res.on('finish', () => this.answered++);
        const answer = () => this.respond(res, received);
        if (this.options.holdMs) setTimeout(answer, this.options.holdMs);
        else answer();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/alipay/notify`;
    return this;
  }

  private respond(res: ServerResponse, received: ReceivedNotification): void {
    if (res.destroyed) return;
    if (this.options.answer) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(this.options.answer(received));
      return;
    }
    const behaviour = (this.queue.length > 1 ? this.queue.shift() : this.queue[0]) ?? 'success';
    switch (behaviour) {
      case 'success':
        res.writeHead(200, { 'content-type': 'text/plain' }).end('success');
        break;
      case 'success-newline':
        res.writeHead(200, { 'content-type': 'text/plain' }).end('success\n');
        break;
      case 'success-bom':
        res.writeHead(200, { 'content-type': 'text/plain' }).end(Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('success')]));
        break;
      case 'fail':
        res.writeHead(200, { 'content-type': 'text/plain' }).end('fail');
        break;
      case 'error-500':
        res.writeHead(500, { 'content-type': 'text/plain' }).end('success');
        break;
      case 'redirect':
        res.writeHead(302, { location: '/elsewhere' }).end();
        break;
      case 'huge': {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = 'x'.repeat(64 * 1024);
        for (let i = 0; i < 128; i++) res.write(chunk);
        res.end();
        break;
      }
      case 'slow':
        setTimeout(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('success'), 40);
        break;
      case 'hang': {
        const release = () => res.destroy();
        this.hanging.add(release);
        res.on('close', () => this.hanging.delete(release));
        break;
      }
    }
  }

  async stop(): Promise<void> {
    for (const release of this.hanging) release();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A loopback URL where nothing listens (a merchant that is down). */
export async function downUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/alipay/notify`;
}
