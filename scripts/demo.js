#!/usr/bin/env node
// `npm start`: the sandbox and the reference shop together, each its own process, on SQLite in
// DATA_DIR with no configuration; the shop is configured with the sandbox's seeded merchant and
// reaches it only over HTTP, as it would reach Alipay. Ctrl-C stops both.
//
//   SANDBOX_PORT (7000)  SHOP_PORT (3000)  DATA_DIR (.data)
//   DATABASE_URL          the shop's store on PostgreSQL instead of DATA_DIR/shop.db
//   SANDBOX_DATABASE_URL  the sandbox's store on PostgreSQL instead of DATA_DIR/sandbox.db
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = process.env;
const sandboxPort = env.SANDBOX_PORT ?? '7000';
const shopPort = env.SHOP_PORT ?? '3000';
const dataDir = resolve(env.DATA_DIR ?? join(root, '.data'));
mkdirSync(dataDir, { recursive: true });
const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;

/** Starts one part with its output passed through; resolves with its exit once it ends. */
function start(name, args, extraEnv = {}) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...env, ...extraEnv } });
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ name, code, signal })));
  child.once('error', (err) => console.error(`npm start: could not start the ${name}: ${err.message}`));
  return { child, exited };
}

/** Waits until the sandbox answers, so the shop's banner comes after the sandbox's. */
async function sandboxReady(exited) {
  let ended = false;
  void exited.then(() => (ended = true));
  while (!ended) {
    try {
      if ((await fetch(`${sandboxUrl}/sandbox/api/clock`)).ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

const sandbox = start('sandbox', [
  join(root, 'packages/sandbox/bin/alipay-legacy-sandbox.js'),
  '--port', sandboxPort,
  '--db', env.SANDBOX_DATABASE_URL ?? join(dataDir, 'sandbox.db'),
]);
const parts = [sandbox];
if (await sandboxReady(sandbox.exited)) {
  parts.push(
    start('shop', [join(root, 'apps/shop/dist/main.js')], {
      SHOP_PORT: shopPort,
      DATA_DIR: dataDir,
      ALIPAY_GATEWAY: `${sandboxUrl}/gateway.do`,
    }),
  );
}

// Ctrl-C reaches every process of the terminal's group: each part stops itself. A signal sent to
// this process alone is passed on.
let stopping = false;
const stopAll = (signal) => {
  stopping = true;
  for (const { child } of parts) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stopAll(signal));

// When one part ends on its own, the demo is over: stop the other.
const first = await Promise.race(parts.map((p) => p.exited));
if (!stopping) {
  console.error(`npm start: the ${first.name} stopped (${first.signal ?? `exit ${first.code}`}); stopping the rest`);
  stopAll('SIGTERM');
}
const results = await Promise.all(parts.map((p) => p.exited));
process.exitCode = stopping && results.every((r) => r.code === 0) ? 0 : 1;
