import { EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';
import { runSignCommand, SIGN_USAGE } from './sign-command.js';
import { runVerifyCommand, VERIFY_USAGE } from './verify-command.js';

/**
 * The usage text of the SDK's own commands.
 * @example io.stdout(SDK_USAGE)
 */
export const SDK_USAGE = `usage: alipay-legacy <command> [options]

  sign …      sign parameters as a merchant would
  verify …    check the sign of a return or a notification, offline

  alipay-legacy <command> --help for a command's options
`;

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
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    const topic = rest[0];
    if (command === 'help' && topic === 'sign') io.stdout(SIGN_USAGE);
    else if (command === 'help' && topic === 'verify') io.stdout(VERIFY_USAGE);
    else io.stdout(SDK_USAGE);
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  io.stderr(`alipay-legacy: unknown command "${command}"\n\n${SDK_USAGE}`);
  return EXIT_USAGE;
}
