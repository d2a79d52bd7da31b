#!/usr/bin/env node
// The `alipay-legacy` command. The CLI is TypeScript run from source (no build step), so this file
// re-executes Node with tsx and the `source` export condition (workspace packages resolve to their
// .ts sources), forwarding the arguments, stdio, termination signals and the exit status.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
// Resolved from this file, so the command works from any working directory.
const tsx = import.meta.resolve('tsx');

const child = spawn(
  process.execPath,
  [...process.execArgv, '--conditions=source', '--import', tsx, main, ...process.argv.slice(2)],
  { stdio: 'inherit' },
);

// Ctrl-C in a terminal reaches the whole process group; the child decides how to stop. A signal
// sent to this process alone (kill PID) is passed on.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}

child.on('error', (err) => {
  console.error(`alipay-legacy: could not start node: ${err.message}`);
  process.exit(1);
});

child.on('exit', (code, signal) => {
  if (signal) {
    // Die of the same signal, so callers see what happened.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else {
    process.exit(code ?? 1);
  }
});
