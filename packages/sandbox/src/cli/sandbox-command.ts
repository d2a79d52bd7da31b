import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { serve, type ServerType } from '@hono/node-server';
import { yuan } from '../yuan.js';
import { createActivityFeed, type ActivityFeed } from '../activity/feed.js';
import { formatActivity, wantsColor } from '../activity/lines.js';
import { createApp } from '../app.js';
import { createSandbox } from '../create-sandbox.js';
import type { SandboxDeps } from '../deps.js';
import { SEED_BUYERS } from '../seed.js';
import { getAlipayKeys, getMerchant, listMerchants } from '../services/index.js';
import { isPostgresUrl } from '../store/open-db.js';
import { UsageError, type CliIo } from './io.js';
import { loadTlsIdentity, type TlsIdentity } from './tls-certificate.js';

/** A running sandbox: its address and how to stop it. */
export interface RunningSandbox {
  url: string;
  deps: SandboxDeps;
  /** What the sandbox does, as it happens (what the terminal lines show). */
  activity: ActivityFeed;
  stop(): Promise<void>;
}

/**
 * Parses the options, opens the store (SQLite in `.sandbox/` by default), serves the app, starts
 * the dispatcher and prints the credentials, the buyers and the URLs, then a line per gateway
 * request, trade change and delivery attempt (unless `--quiet`; JSON lines with `--log json`).
 */
export async function startSandbox(args: string[], io: CliIo): Promise<RunningSandbox> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '7000' },
      host: { type: 'string', default: '127.0.0.1' },
      db: { type: 'string' },
      partner: { type: 'string' },
      key: { type: 'string' },
      'seller-email': { type: 'string' },
      schedule: { type: 'string', default: 'real' },
      'public-url': { type: 'string' },
      tls: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      log: { type: 'string', default: 'text' },
      'api-token': { type: 'string' },
    },
    allowPositionals: true,
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number, got "${values.port}"`);
  if (values.schedule !== 'real' && values.schedule !== 'fast') throw new UsageError('--schedule must be real or fast');
  if (values.partner !== undefined && !/^2088\d{12}$/.test(values.partner)) throw new UsageError('--partner must be 2088 followed by 12 digits');
  if (values.key !== undefined && !/^[0-9a-zA-Z]{32}$/.test(values.key)) throw new UsageError('--key must be 32 letters and digits');
  if (values.log !== 'text' && values.log !== 'json') throw new UsageError('--log must be text or json');
  const apiToken = values['api-token'] ?? (io.env.SANDBOX_API_TOKEN || undefined);
  if (apiToken !== undefined && !/^[\x21-\x7e]{8,200}$/.test(apiToken)) throw new UsageError('--api-token must be 8 to 200 printable ASCII characters, no spaces');

  // The data folder holds the SQLite file and the key files: beside a --db file, else ./.sandbox.
  const fileDb = values.db !== undefined && values.db !== ':memory:' && !isPostgresUrl(values.db) ? resolve(io.cwd, values.db) : undefined;
  const folder = fileDb ? dirname(fileDb) : join(io.cwd, '.sandbox');
  const db = values.db === undefined ? join(folder, 'sandbox.db') : (fileDb ?? values.db);
  mkdirSync(folder, { recursive: true });
  const linkHost = values.host === '0.0.0.0' || values.host === '::' ? '127.0.0.1' : values.host;
  const tls = values.tls ? await loadTlsIdentity(folder, values.host) : undefined;
  const scheme = tls ? 'https' : 'http';
  const origin = (p: number) => `${scheme}://${linkHost.includes(':') ? `[${linkHost}]` : linkHost}:${p}`;

  const sandbox = await createSandbox({
    db,
    schedule: values.schedule,
    publicUrl: values['public-url'] ?? origin(port),
    ...(values.partner ? { partner: values.partner } : {}),
    ...(values.key ? { key: values.key } : {}),
    ...(values['seller-email'] ? { sellerEmail: values['seller-email'] } : {}),
  });
  const { deps } = sandbox;
  const activity = createActivityFeed(deps);
  const app = createApp(deps, { activity, ...(apiToken ? { apiToken } : {}) });
  let server: ServerType;
  const actualPort = await new Promise<number>((resolve, reject) => {
    const options = { fetch: app.fetch, port, hostname: values.host };
    server = tls
      ? serve({ ...options, createServer: createHttpsServer, serverOptions: { key: tls.key, cert: tls.cert } }, (info) => resolve(info.port))
      : serve(options, (info) => resolve(info.port));
    server.once('error', reject);
  }).catch(async (err: Error) => {
    activity.close();
    await sandbox.close();
    throw new Error(`cannot listen on ${values.host}:${port}: ${err.message}`);
  });
  if (!values['public-url']) deps.publicUrl = origin(actualPort);
  deps.dispatcher.start();

  // With --log json, stdout carries JSON lines only: the banner goes to stderr.
  const json = values.log === 'json';
  const lineMode = values.quiet ? 'quiet' : values.log;
  const color = !json && wantsColor({ isTTY: io.stdoutIsTTY === true }, io.env);
  // Listening before the banner: whatever a client does once it read the banner is printed.
  const stopLines = values.quiet
    ? undefined
    : await activity.subscribe((item) => io.stdout(`${json ? JSON.stringify(item) : formatActivity(item, { color })}\n`));
  await printBanner(json ? { ...io, stdout: io.stderr } : io, deps, { db, folder, schedule: values.schedule, partner: values.partner, tls, lines: lineMode, tokenSet: apiToken !== undefined });
  if (!isLoopbackHost(values.host)) io.stderr(exposedWarning(values.host, apiToken !== undefined));

  let stopping: Promise<void> | undefined;
  return {
    url: deps.publicUrl,
    deps,
    activity,
    stop: () =>
      (stopping ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          // Browsers keep connections alive; do not wait for them.
          (server as { closeAllConnections?: () => void }).closeAllConnections?.();
        });
        await deps.dispatcher.stop();
        // The last attempts' lines, then no more.
        await activity.flush();
        stopLines?.();
        activity.close();
        await sandbox.close();
      })()),
  };
}

/** Whether `--host` keeps the sandbox to this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** Printed when the sandbox listens beyond this machine (decisions.md §31). */
function exposedWarning(host: string, tokenSet: boolean): string {
  return tokenSet
    ? `warning: listening on ${host}, reachable from other machines. The test API and the dashboard need the API token; ` +
        'the gateway, the cashier and the consoles are open to anyone who can reach this port, as Alipay\'s were.\n'
    : `warning: listening on ${host}, reachable from other machines, and the sandbox has no authentication: anyone who can reach ` +
        'this port can read every merchant\'s keys, move the clock and pay orders through the test API and the dashboard. ' +
        'Start it with --api-token TOKEN (or SANDBOX_API_TOKEN) to protect them, or keep --host 127.0.0.1.\n';
}

/** `alipay-legacy sandbox`: runs until SIGINT or SIGTERM, then stops cleanly. */
export async function sandboxCommand(args: string[], io: CliIo): Promise<number> {
  const running = await startSandbox(args, io);
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      io.stderr(`\n${signal}: stopping (deliveries in flight finish first)…\n`);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.stop().then(resolve, (err: unknown) => {
        io.stderr(`error while stopping: ${(err as Error).message}\n`);
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // Started by a launcher with an IPC channel (npm start does): when the launcher dies, even by
    // SIGKILL, the channel closes and the sandbox stops rather than live on as an orphan.
    if (process.connected) process.once('disconnect', () => stop('SIGTERM'));
  });
  io.stderr('stopped\n');
  return 0;
}

async function printBanner(
  io: CliIo,
  deps: SandboxDeps,
  info: { db: string; folder: string; schedule: string; partner: string | undefined; tls: TlsIdentity | undefined; lines: string; tokenSet: boolean },
) {
  // Paths inside the working directory are shown relative to it, others in full.
  const shown = (path: string) => {
    const rel = isAbsolute(path) ? relative(io.cwd, path) : path;
    return rel === '' || rel.startsWith('..') ? path : rel;
  };
  const merchants = await listMerchants(deps);
  const merchant = (info.partner ? await getMerchant(deps, info.partner) : undefined) ?? merchants[0];
  const keys = getAlipayKeys();
  const alipayKeyPath = join(info.folder, 'alipay_rsa_public_key.pem');
  writeFileSync(alipayKeyPath, keys.publicKey);
  const store = info.db.startsWith('postgres') ? info.db.replace(/\/\/[^@/]*@/, '//…@') : info.db === ':memory:' ? ':memory:' : `SQLite ${shown(info.db)}`;
  const u = deps.publicUrl;
  const lines = [
    `alipay-legacy sandbox on ${u}  (${store}, ${info.schedule} retry schedule)`,
    '',
    `  gateway          ${u}/gateway.do`,
    `  notify_verify    ${u}/gateway.do?service=notify_verify&partner=…&notify_id=…  (also ${u}/trade/notify_query.do)`,
    `  dashboard        ${u}/`,
    `  test API         ${u}/sandbox/api  (see packages/sandbox/README.md)`,
    `  seller console   ${u}/seller   (log in with partner + key)`,
    `  buyer console    ${u}/buyer`,
    ...(info.tokenSet ? ['  API token        set: the test API wants "Authorization: Bearer TOKEN", the dashboard asks for it once'] : []),
    '',
  ];
  if (info.tls) {
    const cert = shown(info.tls.certPath);
    lines.push(
      `HTTPS with a self-signed certificate${info.tls.created ? ' (generated now)' : ''}: ${cert}`,
      `  trust it in your client: curl --cacert ${cert} · NODE_EXTRA_CA_CERTS=${cert} · PHP curl CURLOPT_CAINFO`,
      '',
    );
  }
  if (merchant) {
    const privatePath = join(info.folder, `merchant_${merchant.partner}_rsa_private_key.pem`);
    if (merchant.rsaPrivateKey) writeFileSync(privatePath, merchant.rsaPrivateKey, { mode: 0o600 });
    lines.push(
      `merchant "${merchant.displayName}"`,
      `  partner          ${merchant.partner}   (also seller_id)`,
      `  key (MD5)        ${merchant.key}`,
      `  seller_email     ${merchant.sellerEmail}`,
      `  sign types       ${merchant.signTypes.join(', ')}`,
      ...(merchant.rsaPrivateKey ? [`  RSA private key  ${shown(privatePath)}   (the merchant's, for sign_type=RSA)`] : []),
      `  Alipay RSA key   ${shown(alipayKeyPath)}   (public; verifies RSA-signed returns and notifications)`,
      `  switches         anti-phishing ${merchant.antiPhishing ? 'on' : 'off'}, client IP check ${merchant.ipCheck ? 'on' : 'off'}, advanced instant pay ${merchant.advancedInstant ? 'on' : 'off'}, custom timeouts ${merchant.selfTimeout ? 'on' : 'off'}`,
      '',
    );
  }
  lines.push('buyers (login password / payment password, balance)');
  for (const b of SEED_BUYERS) {
    lines.push(`  ${b.login.padEnd(22)} ${b.loginPassword} / ${b.payPassword}  ${yuan(b.balanceFen).padStart(11)}  ${b.note}`);
  }
  lines.push('');
  if (info.lines === 'text') lines.push('Below, a line per gateway request, trade change and notification attempt (--quiet silences them).');
  if (info.lines === 'json') lines.push('stdout: a JSON object per gateway request, trade change and notification attempt.');
  lines.push('Ctrl-C stops the sandbox.', '');
  io.stdout(lines.join('\n'));
}
