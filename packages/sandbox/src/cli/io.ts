import { request } from 'node:http';
import { request as requestTls } from 'node:https';

/** One HTTP exchange as the admin commands need it: a method, a JSON body, the answer's text. */
export type HttpCall = (url: string, init: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }) => Promise<{ status: number; body: string }>;

/** Where a command writes, and what it may read: injected so commands are testable in process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
  http: HttpCall;
  /** Whether stdout is a terminal (colours the activity lines). */
  stdoutIsTTY?: boolean;
}

/**
 * HTTP with node:http rather than fetch: a command makes one request and exits, and fetch's first
 * request compiles its WebAssembly HTTP parser, ≈ 200 ms of a command's start here
 * (bench/cli.bench.ts).
 */
export const nodeHttp: HttpCall = (url, init) =>
  new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? requestTls : request;
    const req = send(url, { method: init.method, headers: init.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });

export const processIo: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  http: nodeHttp,
  stdoutIsTTY: process.stdout.isTTY === true,
};

/** A usage error: printed with the command's help, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
