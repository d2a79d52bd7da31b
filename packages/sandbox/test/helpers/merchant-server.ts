import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
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
}

/**
 * A real merchant notify_url on 127.0.0.1 (port 0): records every request and answers as told.
 * `behaviours` is a queue: each request takes the next one, the last one repeats.
 */
export class MerchantServer {
  readonly received: ReceivedNotification[] = [];
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

  constructor(behaviours: MerchantBehaviour | MerchantBehaviour[] = 'success') {
    this.queue = Array.isArray(behaviours) ? [...behaviours] : [behaviours];
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
        this.received.push({ at: Date.now(), headers: req.headers, body });
        const key = /(?:^|&)out_trade_no=([^&]*)/.exec(body)?.[1] ?? /(?:^|&)batch_no=([^&]*)/.exec(body)?.[1] ?? '';
        this.perTrade.set(key, (this.perTrade.get(key) ?? 0) + 1);
        this.maxInFlightPerTrade = Math.max(this.maxInFlightPerTrade, this.perTrade.get(key)!);
        res.on('close', () => this.perTrade.set(key, this.perTrade.get(key)! - 1));
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
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}/alipay/notify`;
    return this;
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
