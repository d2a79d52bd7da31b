import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type FetchHandler = (req: Request, env?: any) => Response | Promise<Response>;

/**
 * Serves on 127.0.0.1, port 0. The app may be bound after listening (`bind`), for apps that need
 * the address they are served at; until then requests get 503.
 */
export async function listen(fetch?: FetchHandler): Promise<{ server: ServerType; url: string; bind(fetch: FetchHandler): void }> {
  let handler = fetch;
  let server!: ServerType;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: (req, env) => (handler ? handler(req, env) : new Response('starting', { status: 503 })), port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
      resolve(info.port),
    );
  });
  return { server, url: `http://127.0.0.1:${port}`, bind: (f) => (handler = f) };
}

/** Closes a server, its idle keep-alive connections included. */
export function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    server.close(() => resolve());
  });
}
