import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { SOURCE_CLI } from '../helpers/source-cli.js';
import { waitFor } from '../helpers/processes.js';

/**
 * A launcher (npm start, a test runner, a process manager) that starts the sandbox with an IPC
 * channel and then dies, even by SIGKILL, takes the sandbox with it: no orphan goes on holding the
 * port and writing to the store.
 */
const dir = mkdtempSync(join(tmpdir(), 'sandbox-launcher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Running, neither gone nor a zombie waiting for a parent that no longer exists to reap it. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

it('stops when its launcher is killed with SIGKILL', async () => {
  const args = JSON.stringify([...SOURCE_CLI, 'sandbox', '--port', '0', '--db', join(dir, 'sandbox.db')]);
  // The launcher prints the sandbox's pid and port once it listens, then waits to be killed.
  const launcherCode = `
    const { spawn } = require('node:child_process');
    const child = spawn(process.execPath, ${args}, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /on http:\\/\\/127\\.0\\.0\\.1:(\\d+)/.exec(out);
      if (m && out.includes('Ctrl-C')) { console.log(JSON.stringify({ pid: child.pid, port: Number(m[1]) })); out = ''; }
    });`;
  const launcher = spawn(process.execPath, ['-e', launcherCode], { stdio: ['ignore', 'pipe', 'inherit'] });
  let line = '';
  launcher.stdout.on('data', (d: Buffer) => (line += d.toString()));
  await waitFor(() => line.includes('\n'), 30_000, 'the sandbox to listen');
  const { pid, port } = JSON.parse(line) as { pid: number; port: number };
  expect(alive(pid)).toBe(true);
  expect(await portFree(port)).toBe(false);

  launcher.kill('SIGKILL');
  await waitFor(() => !alive(pid), 15_000, 'the sandbox to stop');
  expect(await portFree(port)).toBe(true);
}, 60_000);
