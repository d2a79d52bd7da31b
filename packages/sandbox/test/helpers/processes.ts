import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { adminQuery, PG_URL } from './dialects.js';
import { SOURCE_CLI, SOURCE_ENV } from './source-cli.js';


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
    { cwd: options.cwd, env: { ...process.env, ...SOURCE_ENV }, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
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
