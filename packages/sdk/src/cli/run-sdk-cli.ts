import { EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';
import { runSignCommand, SIGN_USAGE } from './sign-command.js';
import { runVerifyCommand, VERIFY_USAGE } from './verify-command.js';

/**
 * Runs the SDK's CLI commands (`sign`, `verify`) from the arguments after the program name.
 * Returns the exit code; the `alipay-legacy` bin adds its own commands around it.
 * @example
 * process.exitCode = await runSdkCli(process.argv.slice(2), {
 *   stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), readFile: (p) => fs.promises.readFile(p),
 * });
 */
export async function runSdkCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'sign') return runSignCommand(rest, io);
  if (command === 'verify') return runVerifyCommand(rest, io);
  const usage = `${SIGN_USAGE}\n${VERIFY_USAGE}`;
  if (command === undefined || command === 'help' || command === '--help') {
    io.stdout(usage);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  io.stderr(`alipay-legacy: unknown command "${command}"\n\n${usage}`);
  return EXIT_USAGE;
}
