/** What the CLI commands touch, injected so they run in tests without spawning a process. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Reads a file's bytes (a key file, a notification body). */
  readFile(path: string): Promise<Uint8Array | string> | Uint8Array | string;
}

/**
 * Exit code: done (for `verify`, the sign is valid).
 * @example process.exitCode = (await runSdkCli(argv, io)) === EXIT_OK ? 0 : 1
 */
export const EXIT_OK = 0;
/**
 * Exit code: the check failed (a sign that does not match, an unreadable key or message).
 * @example if (code === EXIT_FAILED) console.error('not valid')
 */
export const EXIT_FAILED = 1;
/**
 * Exit code: bad usage (unknown option, missing argument); the usage text was printed.
 * @example if (code === EXIT_USAGE) console.error('see alipay-legacy help')
 */
export const EXIT_USAGE = 2;

/** Arguments split into `--flag value` / `--flag=value` options and positional words. */
export interface ParsedArgs {
  flags: Map<string, string>;
  positionals: string[];
}

/**
 * Splits arguments. Every flag in `valued` takes a value (`--key K` or `--key=K`); flags in
 * `switches` take none; any other `--flag` is an error. `--` ends the options.
 */
export function parseArgs(args: readonly string[], valued: readonly string[], switches: readonly string[] = []): ParsedArgs {
  const flags = new Map<string, string>();
  const positionals: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    if (switches.includes(name)) {
      flags.set(name, '');
      continue;
    }
    if (!valued.includes(name)) throw new UsageError(`unknown option --${name}`);
    let value: string | undefined = eq === -1 ? undefined : arg.slice(eq + 1);
    if (value === undefined) {
      value = args[i + 1];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      i++;
    }
    if (flags.has(name)) throw new UsageError(`--${name} given twice`);
    flags.set(name, value);
  }
  return { flags, positionals };
}

/** A mistake in the command line: the command prints it with the usage and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Reads a file through the io as bytes. */
export async function readBytes(io: CliIo, path: string): Promise<Buffer> {
  const content = await io.readFile(path);
  return typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
}
