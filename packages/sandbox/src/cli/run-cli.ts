import { UsageError, type CliIo } from './io.js';

export { processIo } from './io.js';
export type { CliIo } from './io.js';

type Run = (args: string[], io: CliIo) => Promise<number>;

interface Command {
  /** The options of the command, after `PROGRAM NAME`. */
  synopsis: string;
  /** One line for the overview. */
  summary: string;
  /** Each option explained, for `--help`. */
  options?: string;
  /** Loaded on use, so `clock` or `trades` never load the server, the store or the pages. */
  load(): Promise<Run>;
}

const URL_NOTE =
  'talks to a running sandbox: --url URL, default $ALIPAY_SANDBOX_URL or http://127.0.0.1:7000; --api-token TOKEN, default $SANDBOX_API_TOKEN, when it was started with one';
const URL_HEADING = 'these talk to a running sandbox (--url URL, default $ALIPAY_SANDBOX_URL or http://127.0.0.1:7000; --api-token TOKEN or $SANDBOX_API_TOKEN):';

const COMMANDS: Record<string, Command> = {
  sandbox: {
    synopsis: '[--port 7000] [--host 127.0.0.1] [--db FILE|:memory:|postgres://…] [--partner ID --key KEY --seller-email EMAIL] [--schedule real|fast] [--public-url URL] [--tls] [--quiet] [--log text|json] [--api-token TOKEN]',
    summary: 'start the offline gateway (prints credentials, buyers and URLs, then what happens)',
    options: `  --port N              port to listen on (default 7000; 0 picks a free one)
  --host ADDR           address to listen on (default 127.0.0.1)
  --db TARGET           SQLite file, :memory: or postgres://… (default .sandbox/sandbox.db)
  --partner ID          the merchant's partner id (2088 + 12 digits) instead of the seeded one
  --key KEY             the merchant's 32-character MD5 key
  --seller-email EMAIL  the merchant's seller account
  --schedule real|fast  notification retry gaps: the real ones (2m, 10m, … 15h) or the same in seconds
  --public-url URL      the address browsers and merchants use (default http://HOST:PORT)
  --tls                 serve HTTPS with a self-signed certificate, made on first start and kept in
                        the data folder (tls/sandbox-cert.pem): trust that file in your client
  --quiet               no line per request, trade change and notification attempt
  --log text|json       those lines as text (coloured on a terminal; NO_COLOR turns colours off) or
                        as one JSON object per line (the banner then goes to stderr)
  --api-token TOKEN     protect the test API (Authorization: Bearer TOKEN) and the dashboard (asks for
                        it once); default $SANDBOX_API_TOKEN. Without it a --host other than loopback
                        prints a warning: the sandbox has no authentication of its own
`,
    load: async () => (await import('./sandbox-command.js')).sandboxCommand,
  },
  sign: {
    synopsis: '--key KEY [--charset utf-8|gbk|gb2312] [--sign-type MD5|RSA --private-key FILE] name=value …',
    summary: "sign parameters as a merchant would (the SDK's sign command)",
    load: async () => (await import('./sdk-commands.js')).signCommand,
  },
  verify: {
    synopsis: '[--key KEY] [--charset …] [--sign-type MD5|RSA --public-key FILE] (--query STRING | --body-file FILE)',
    summary: "check the sign of a return or a notification (the SDK's verify command)",
    load: async () => (await import('./sdk-commands.js')).verifyCommand,
  },
  clock: {
    synopsis: '[now | advance DURATION] [--url URL]',
    summary: "the sandbox's time; advance it (90, 2m, 1h, 10d) and run everything that falls due",
    options: `  now                   print the sandbox's time and its offset from the real clock (the default)
  advance DURATION      move the clock: seconds (90) or 2m, 1h, 10d; answers once everything then due
                        ran (delivery retries, timeouts, the end of refund windows)`,
    load: async () => (await import('./admin-commands.js')).clockCommand,
  },
  trades: {
    synopsis: '[--out-trade-no X] [--partner ID] [--json] [--url URL]',
    summary: 'list trades, newest first',
    options: `  --out-trade-no X      only the trade(s) with this out_trade_no
  --partner ID          only this merchant's trades
  --json                the test API's JSON instead of one line per trade`,
    load: async () => (await import('./admin-commands.js')).tradesCommand,
  },
  notifications: {
    synopsis: '[--out-trade-no X] [--trade-no T] [--partner ID] [--json] [--url URL]',
    summary: 'list notifications with each delivery attempt',
    options: `  --out-trade-no X      only the notifications of this out_trade_no
  --trade-no T          only those of this trade_no
  --partner ID          only this merchant's
  --json                the test API's JSON (parameters, body, every attempt)`,
    load: async () => (await import('./admin-commands.js')).notificationsCommand,
  },
  pay: {
    synopsis: '--out-trade-no X [--partner ID] [--buyer LOGIN] [--method instant|escrow] [--logistics 0|1|2] [--url URL]',
    summary: 'pay an open trade as a test buyer would at the cashier',
    options: `  --out-trade-no X      the order your integration sent to /gateway.do
  --partner ID          the merchant (default: the sandbox's only one)
  --buyer LOGIN         a test buyer's login or 2088… user id (default buyer@sandbox.test)
  --method instant|escrow   how a dual (trade_create_by_buyer) order is paid (default escrow)
  --logistics 0|1|2     the logistics option of an escrow order (default 0)
Prints the trade_no, the new trade_status and the signed return_url the browser would be sent to.`,
    load: async () => (await import('./admin-commands.js')).payCommand,
  },
  faults: {
    synopsis: '[list | set KIND [--count N] [--seconds DURATION] | clear] [--partner ID] [--json] [--url URL]',
    summary: "see, inject or clear a merchant's delivery fault (drop, delay, duplicate, bad_sign)",
    options: `  list                  each merchant's current fault (the default)
  set KIND              the next deliveries to the merchant are dropped, delayed, doubled or sent
                        with an altered sign (bad_sign)
  clear                 no fault
  --count N             only the next N deliveries (default: until cleared)
  --seconds DURATION    how long a delay lasts (90, 2m, 1h)
  --partner ID          the merchant (default: the sandbox's only one; list: all)
  --json                the test API's JSON`,
    load: async () => (await import('./helper-commands.js')).faultsCommand,
  },
  resend: {
    synopsis: 'ID [--json] [--url URL]',
    summary: 'send a notification again, as a new one with a fresh notify_id',
    options: `  ID                    the notification's id (the # of \`notifications\`)
  --json                the test API's JSON`,
    load: async () => (await import('./helper-commands.js')).resendCommand,
  },
  recover: {
    synopsis: '--since TIME [--partner ID] [--json] [--url URL]',
    summary: 'send again every notification whose delivery was given up since a time',
    options: `  --since TIME          a Beijing time ("2026-11-22 10:00:00", or a date), or a duration before the
                        sandbox's now (1d, 6h)
  --partner ID          only this merchant's notifications
  --json                the test API's JSON
At most 500 a run (it says when more are left); running it twice recovers nothing the second time.`,
    load: async () => (await import('./helper-commands.js')).recoverCommand,
  },
  authorize: {
    synopsis: '--return-url URL [--buyer LOGIN] [--partner ID] [--target-url URL] [--charset utf-8|gbk] [--sign-type MD5|RSA] [--json] [--url URL]',
    summary: 'print the signed quick-login (alipay.auth.authorize) return for a buyer, without the browser',
    options: `  --return-url URL      your quick-login return page
  --buyer LOGIN         a test buyer's login or 2088… user id (default buyer@sandbox.test)
  --partner ID          the merchant (default: the sandbox's only one)
  --target-url URL      carried back as target_url, as for a buyer sent by etao
  --charset, --sign-type    how the return is encoded and signed (default utf-8, MD5)
  --json                the test API's JSON`,
    load: async () => (await import('./helper-commands.js')).authorizeCommand,
  },
  listen: {
    synopsis: '[--json] [--url URL]',
    summary: "stream a running sandbox's requests, trade changes and notification attempts, until Ctrl-C",
    options: `  --json                one JSON object per line instead of text
The same lines the sandbox prints in its own terminal. When the stream breaks (the sandbox restarts)
it reconnects, and from the same sandbox process it catches up on what it missed.
`,
    load: async () => (await import('./listen-command.js')).listenCommand,
  },
  'check-merchant': {
    synopsis: '--notify-url URL [--return-url URL] [--out-trade-no X] [--partner ID] [--json] [--url URL]',
    summary: "send your notify_url (and return_url) the cases the seeds say a merchant must handle, and report",
    options: `  --notify-url URL      your live notification endpoint
  --return-url URL      your return page (checked twice: the second time its notify_id is used up)
  --out-trade-no X      the paid sandbox trade to speak of (default: your newest paid one)
  --partner ID          the merchant (default: the sandbox's only one)
  --json                the report as JSON
Exit status 0 when nothing failed; the cases marked "check" passed on the wire and say what to look
at in your own database.
`,
    load: async () => (await import('./check-merchant-command.js')).checkMerchantCommand,
  },
};

const ADMIN = new Set(['clock', 'trades', 'notifications', 'pay', 'faults', 'resend', 'recover', 'authorize', 'listen', 'check-merchant']);

/** The overview printed by `--help` and on a mistake. */
export function usage(program: string): string {
  const line = (name: string) => `  ${name.padEnd(15)}${COMMANDS[name]!.summary}\n`;
  const startLine = program === 'alipay-legacy-sandbox' ? `\n  ${program} [sandbox options]   same as \`${program} sandbox\`\n` : '';
  return (
    `usage: ${program} <command> [options]\n${startLine}\n` +
    ['sandbox', 'sign', 'verify'].map(line).join('') +
    `\n  ${URL_HEADING}\n` +
    [...ADMIN].map(line).join('') +
    `\n  ${program} <command> --help for a command's options\n`
  );
}

/** The usage of one command. */
export function commandUsage(program: string, name: string): string {
  const command = COMMANDS[name]!;
  const notes = [command.summary, ...(ADMIN.has(name) ? [`(${URL_NOTE})`] : []), ...(command.options ? ['', command.options.trimEnd()] : [])];
  return `usage: ${program} ${name} ${command.synopsis}\n\n${notes.join('\n')}\n`;
}

/**
 * Runs one command; resolves with the exit status (0 ok, 1 failure, 2 usage). `program` is the
 * name the user typed: `alipay-legacy-sandbox`, where no command (or only options) means
 * `sandbox`, or `alipay-legacy`, the SDK's command, which hands the sandbox's commands over here.
 */
export async function runCli(argv: string[], io: CliIo, program = 'alipay-legacy-sandbox'): Promise<number> {
  let [name, ...args] = argv;
  const asksHelp = (list: string[]) => list.includes('--help') || list.includes('-h');
  if (program === 'alipay-legacy-sandbox' && (name === undefined || (name.startsWith('-') && !asksHelp([name])))) {
    args = name === undefined ? [] : argv;
    name = 'sandbox';
  }
  if (name === undefined || name === 'help' || asksHelp([name])) {
    const topic = name === 'help' ? args[0] : undefined;
    io.stdout(topic && COMMANDS[topic] ? commandUsage(program, topic) : usage(program));
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr(`${program}: unknown command "${name}"\n\n${usage(program)}`);
    return 2;
  }
  // sign and verify print their own, fuller help (they know --help only).
  if (asksHelp(args) && (name === 'sign' || name === 'verify')) args = ['--help'];
  else if (asksHelp(args)) {
    io.stdout(commandUsage(program, name));
    return 0;
  }
  try {
    return await (await command.load())(args, io);
  } catch (err) {
    const message = (err as Error).message;
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`${program} ${name}: ${message}\n\n${commandUsage(program, name)}`);
      return 2;
    }
    io.stderr(`${program} ${name}: ${message}\n`);
    return 1;
  }
}
