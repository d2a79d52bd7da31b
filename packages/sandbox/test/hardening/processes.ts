import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminQuery, PG_URL } from '../helpers/dialects.js';
import { SOURCE_CLI } from '../helpers/source-cli.js';


/** A real `alipay-legacy-sandbox sandbox` process (the CLI run from its sources). */
export interface SandboxProcess {
  url: string;
  /** stdout and stderr so far (for failure messages). */
  output(): string;
  /** SIGKILL to the whole process group: the sandbox dies at once, mid-work. */
  kill(): Promise<void>;
  /** SIGTERM: the sandbox stops cleanly. */
  stop(): Promise<void>;
}

/**
 * Starts the sandbox CLI on `--port 0` in its own process group and resolves once the banner names
 * its address ("alipay-legacy sandbox on http://127.0.0.1:PORT").
 */
export async function startSandboxProcess(options: { db: string; cwd: string; args?: string[] }): Promise<SandboxProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...SOURCE_CLI, 'sandbox', '--port', '0', '--schedule', 'fast', '--db', options.db, ...(options.args ?? [])],
    { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner after 30 s:\n${out}`)), 30_000);
    const look = () => {
      const m = /alipay-legacy sandbox on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m && out.includes('Ctrl-C stops the sandbox.')) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', look);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the sandbox exited before listening:\n${out}`));
    });
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    url,
    output: () => out,
    async kill() {
      if (alive()) process.kill(-child.pid!, 'SIGKILL');
      await exited;
    },
    async stop() {
      if (alive()) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** One notification as the merchant received it. */
export interface Receipt {
  notifyId: string;
  outTradeNo: string;
  /** 1 for the first time this notify_id arrived, 2 for the second… */
  nth: number;
  body: string;
  at: number;
}

/**
 * A merchant notify_url on 127.0.0.1 that holds every request `holdMs` before answering, records
 * each arrival with how many times its notify_id came before, and answers what `answer` says for
 * that arrival (default `success`).
 */
export class SlowMerchant {
  readonly receipts: Receipt[] = [];
  inFlight = 0;
  /** The most requests of one out_trade_no ever held at once. */
  maxInFlightPerTrade = 0;
  private perTrade = new Map<string, number>();
  private server: Server | undefined;
  private seen = new Map<string, number>();
  url = '';

  /** Arrivals after this many are held without an answer (until the connection dies); Infinity: none. */
  holdAfter: number;
  /** Requests answered so far. */
  answered = 0;

  constructor(private readonly options: { holdMs: number; answer?: (r: Receipt) => string; holdAfter?: number }) {
    this.holdAfter = options.holdAfter ?? Infinity;
  }

  /** notify_id → how many times it arrived. */
  counts(): Map<string, number> {
    return new Map(this.seen);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('latin1');
        const form = new URLSearchParams(body);
        const notifyId = form.get('notify_id') ?? '';
        const nth = (this.seen.get(notifyId) ?? 0) + 1;
        this.seen.set(notifyId, nth);
        const receipt: Receipt = { notifyId, outTradeNo: form.get('out_trade_no') ?? '', nth, body, at: Date.now() };
        this.receipts.push(receipt);
        this.inFlight++;
        if (this.receipts.length > this.holdAfter) {
          res.on('close', () => this.inFlight--); // held: never answered
          return;
        }
        const held = (this.perTrade.get(receipt.outTradeNo) ?? 0) + 1;
        this.perTrade.set(receipt.outTradeNo, held);
        this.maxInFlightPerTrade = Math.max(this.maxInFlightPerTrade, held);
        setTimeout(() => {
          this.inFlight--;
          this.perTrade.set(receipt.outTradeNo, (this.perTrade.get(receipt.outTradeNo) ?? 1) - 1);
          if (res.destroyed) return;
          res.writeHead(200, { 'content-type': 'text/plain' }).end(this.options.answer?.(receipt) ?? 'success');
          this.answered++;
        }, this.options.holdMs);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/alipay/notify`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A fresh PostgreSQL database (several processes can open it by URL); `drop()` removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sandbox_e_${randomBytes(5).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`drop database if exists ${name} with (force)`) };
}

/** JSON from the sandbox's test API. */
export async function api<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}/sandbox/api${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Polls `check` every 50 ms until it returns true or `ms` pass. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
