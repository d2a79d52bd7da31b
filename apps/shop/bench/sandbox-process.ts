/**
 * The sandbox in a process of its own for the bench (as in the demo, where it runs beside the
 * shop): SQLite file from argv[2], a free port, the dispatcher running. Prints `{"url": …}` once
 * listening; stops when stdin closes.
 */
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApp, createSandbox } from 'alipay-legacy-sandbox';

const db = process.argv[2] ?? ':memory:';
// eslint-disable-next-line prefer-const
let app: ReturnType<typeof createApp> | undefined;
let server!: ServerType;
const port = await new Promise<number>((resolve) => {
  server = serve({ fetch: (req, env) => app!.fetch(req, env), port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port));
});
const url = `http://127.0.0.1:${port}`;
const sandbox = await createSandbox({ db, publicUrl: url });
app = createApp(sandbox.deps);
sandbox.deps.dispatcher.start();
process.stdout.write(`${JSON.stringify({ url })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  server.close();
  (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
  void sandbox.close().then(() => process.exit(0));
});
