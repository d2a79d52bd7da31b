#!/usr/bin/env node
// `npm start`: the sandbox and the reference shop together, each its own process, on SQLite in
// DATA_DIR with no configuration; the shop is configured with the sandbox's seeded merchant and
// reaches it only over HTTP, as it would reach Alipay. Ctrl-C stops both.
//
//   SANDBOX_PORT (7000)  SHOP_PORT (3000)  DATA_DIR (.data)
//   DATABASE_URL          the shop's store on PostgreSQL instead of DATA_DIR/shop.db
//   SANDBOX_DATABASE_URL  the sandbox's store on PostgreSQL instead of DATA_DIR/sandbox.db
//   SANDBOX_TLS=1         the sandbox on HTTPS (its self-signed certificate in DATA_DIR/tls/,
//                         trusted by the shop through NODE_EXTRA_CA_CERTS)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { get as httpsGet } from 'node:https';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const env = process.env;
const sandboxPort = env.SANDBOX_PORT ?? '7000';
const shopPort = env.SHOP_PORT ?? '3000';
const dataDir = resolve(env.DATA_DIR ?? join(root, '.data'));
mkdirSync(dataDir, { recursive: true });
const tls = env.SANDBOX_TLS === '1' || env.SANDBOX_TLS === 'true';
const sandboxUrl = `${tls ? 'https' : 'http'}://127.0.0.1:${sandboxPort}`;
// The sandbox keeps its certificate in its data folder: beside its SQLite file, else ./.sandbox.
const certPath = join(env.SANDBOX_DATABASE_URL ? join(process.cwd(), '.sandbox') : dataDir, 'tls', 'sandbox-cert.pem');

/** Starts one part with its output passed through; resolves with its exit once it ends. */
function start(name, args, extraEnv = {}) {
  // The IPC channel is how a part learns that this launcher died (even by SIGKILL): it closes.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...env, ...extraEnv } });
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ name, code, signal })));
  child.once('error', (err) => console.error(`npm start: could not start the ${name}: ${err.message}`));
  return { child, exited };
}

/** Waits until the sandbox answers, so the shop's banner comes after the sandbox's. */
async function sandboxReady(exited) {
  let ended = false;
  void exited.then(() => (ended = true));
  while (!ended) {
    if (await answers(`${sandboxUrl}/sandbox/api/clock`)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** One GET; true on a 200 (over HTTPS, trusting the sandbox's certificate once it exists). */
function answers(url) {
  if (tls && !existsSync(certPath)) return Promise.resolve(false);
  return new Promise((done) => {
    const req = (tls ? httpsGet : httpGet)(url, tls ? { ca: readFileSync(certPath) } : {}, (res) => {
      res.resume();
      done(res.statusCode === 200);
    });
    req.on('error', () => done(false));
  });
}

const sandbox = start('sandbox', [
  join(root, 'packages/sandbox/bin/alipay-legacy-sandbox.js'),
  '--port', sandboxPort,
  '--db', env.SANDBOX_DATABASE_URL ?? join(dataDir, 'sandbox.db'),
  ...(tls ? ['--tls'] : []),
]);
const parts = [sandbox];
if (await sandboxReady(sandbox.exited)) {
  parts.push(
    start('shop', [join(root, 'apps/shop/dist/main.js')], {
      SHOP_PORT: shopPort,
      DATA_DIR: dataDir,
      ALIPAY_GATEWAY: `${sandboxUrl}/gateway.do`,
      ...(tls ? { NODE_EXTRA_CA_CERTS: certPath } : {}),
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
