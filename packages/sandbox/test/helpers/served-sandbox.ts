import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApp } from '../../src/app.js';
import { createSandbox, type CreateSandboxOptions, type Sandbox } from '../../src/create-sandbox.js';

export interface ServedSandbox {
  sandbox: Sandbox;
  /** http://127.0.0.1:PORT, also the sandbox's public URL. */
  base: string;
  /** Stops deliveries, the server (open connections included) and the store. */
  close(): Promise<void>;
}

/** A sandbox served on a free loopback port, delivering in the background, as the CLI runs it. */
export async function serveSandbox(options: CreateSandboxOptions): Promise<ServedSandbox> {
  const sandbox = await createSandbox(options);
  const app = createApp(sandbox.deps);
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sandbox.deps.publicUrl = base;
  sandbox.deps.dispatcher.start();
  return {
    sandbox,
    base,
    async close() {
      await sandbox.deps.dispatcher.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      });
      await sandbox.close();
    },
  };
}
