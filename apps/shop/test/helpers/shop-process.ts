import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** A real shop process (`src/main.ts` from its sources). */
export interface ShopProcess {
  url: string;
  /** stdout and stderr so far (for failure messages). */
  output(): string;
  /** SIGKILL to the whole process group: the shop dies at once, mid-work. */
  kill(): Promise<void>;
  /** SIGTERM: the shop stops cleanly. */
  stop(): Promise<void>;
}

/**
 * Starts the shop from its sources in a process group of its own, with `env` over the test
 * runner's environment (SHOP_PORT, DATA_DIR or DATABASE_URL, ALIPAY_GATEWAY…), and resolves once
 * its banner names its address.
 */
export async function startShopProcess(env: Record<string, string>): Promise<ShopProcess> {
  const child = spawn(process.execPath, ['--conditions=alipay-legacy-source', '--import', 'tsx', 'src/main.ts'], {
    cwd: join(import.meta.dirname, '../..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      process.kill(-child.pid!, 'SIGKILL');
      reject(new Error(`no banner after 30 s:\n${output}`));
    }, 30_000);
    child.stdout!.on('data', () => {
      const banner = /^shop +(http:\/\/127\.0\.0\.1:\d+)$/m.exec(output);
      if (banner) {
        clearTimeout(timer);
        resolve(banner[1]!);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the shop exited before listening:\n${output}`));
    });
  });
  return {
    url,
    output: () => output,
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
