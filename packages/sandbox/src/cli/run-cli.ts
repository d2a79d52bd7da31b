import { clockCommand, notificationsCommand, payCommand, tradesCommand } from './admin-commands.js';
import { UsageError, type CliIo } from './io.js';
import { sandboxCommand } from './sandbox-command.js';
import { signCommand, verifyCommand } from './sdk-commands.js';

export const USAGE = `usage: alipay-legacy <command> [options]

  sandbox [--port 7000] [--host 127.0.0.1] [--db FILE|:memory:|postgres://…]
          [--partner ID --key KEY --seller-email EMAIL] [--schedule real|fast]
                          start the offline gateway (prints credentials, buyers and URLs)
  sign …                  sign parameters as a merchant would (the SDK's sign command)
  verify …                verify a return or notification (the SDK's verify command)

  talking to a running sandbox (--url, default $ALIPAY_SANDBOX_URL or http://127.0.0.1:7000):
  clock [now]             the sandbox's time
  clock advance SECONDS   move the clock (90, 2m, 1h, 10d) and run everything that falls due
  trades [--out-trade-no X] [--partner ID] [--json]
  notifications [--out-trade-no X] [--trade-no T] [--partner ID] [--json]
  pay --out-trade-no X [--buyer LOGIN] [--method instant|escrow] [--logistics 0|1|2]

  alipay-legacy <command> --help for a command's options
`;

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  sandbox: sandboxCommand,
  sign: signCommand,
  verify: verifyCommand,
  clock: clockCommand,
  trades: tradesCommand,
  notifications: notificationsCommand,
  pay: payCommand,
};

/** Runs one command; resolves with the exit status (0 ok, 1 failure, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    io.stdout(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`alipay-legacy: unknown command "${name}"\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(args, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`alipay-legacy ${name}: ${(err as Error).message}\n`);
      return 2;
    }
    io.stderr(`alipay-legacy ${name}: ${(err as Error).message}\n`);
    return 1;
  }
}
