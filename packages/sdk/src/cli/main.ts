import { readFile } from 'node:fs/promises';
import type { CliIo } from './cli-io.js';
import { EXIT_USAGE } from './cli-io.js';
import { runSdkCli, SDK_USAGE } from './run-sdk-cli.js';

// The `alipay-legacy` command (bin/alipay-legacy.js). `sign` and `verify` are the SDK's own. The
// SDK does not depend on the sandbox; when the sandbox package is installed beside it, its
// commands (`sandbox`, `clock`, `trades`, …) are reachable through this same command.

/** The sandbox package's command-line entry, when it is installed. */
interface SandboxCli {
  runCli(argv: string[], io: unknown, program?: string): Promise<number>;
  processIo: unknown;
}

const SANDBOX_CLI = 'alipay-legacy-sandbox/cli';

async function loadSandboxCli(): Promise<SandboxCli | undefined> {
  try {
    return (await import(SANDBOX_CLI)) as SandboxCli;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND' && String((err as Error).message).includes('alipay-legacy-sandbox')) return undefined;
    throw err;
  }
}

const io: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  readFile: (path) => readFile(path),
};

const argv = process.argv.slice(2);
const command = argv[0];
if (command === 'sign' || command === 'verify') {
  process.exitCode = await runSdkCli(argv, io);
} else {
  const sandbox = await loadSandboxCli();
  if (sandbox) {
    process.exitCode = await sandbox.runCli(argv, sandbox.processIo, 'alipay-legacy');
  } else if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.exitCode = await runSdkCli(argv, io);
  } else {
    io.stderr(
      `alipay-legacy: unknown command "${command}"\n` +
        '(the sandbox and its commands come with the alipay-legacy-sandbox package: npm install alipay-legacy-sandbox, or npx alipay-legacy-sandbox)\n\n' +
        SDK_USAGE,
    );
    process.exitCode = EXIT_USAGE;
  }
}
