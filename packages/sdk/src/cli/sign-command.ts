import { canonicalize } from '../canonicalize.js';
import { normalizeCharset } from '../charset.js';
import { AlipayError } from '../errors.js';
import { parseSignType, signPresign } from '../sign.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseArgs, readBytes, UsageError, type CliIo } from './cli-io.js';

/**
 * The usage text of `alipay-legacy sign`.
 * @example io.stdout(SIGN_USAGE)
 */
export const SIGN_USAGE = `usage: alipay-legacy sign --key KEY [--charset utf-8|gbk|gb2312] [--sign-type MD5|RSA --private-key FILE] [--verbose] name=value …

Prints the sign of the parameters, computed as the gateway does (protocol.md §2): every parameter
except sign and sign_type, empty values left out, sorted by name, joined as name=value with "&",
hashed in the charset's bytes. --charset defaults to the _input_charset among the parameters, else
utf-8. --verbose also prints the string that was signed (to stderr).
`;

/**
 * `alipay-legacy sign`: prints the sign of `name=value` parameters. Returns the exit code.
 * @example
 * await runSignCommand(['--key', '10000000000000000000000000000000', 'service=test', 'partner=123'], io)
 * // prints "bbd13b52823b576291595f472ebcfbc2\n", returns 0
 */
export async function runSignCommand(args: readonly string[], io: CliIo): Promise<number> {
  try {
    const { flags, positionals } = parseArgs(args, ['key', 'charset', 'sign-type', 'private-key'], ['verbose', 'help']);
    if (flags.has('help')) {
      io.stdout(SIGN_USAGE);
      return EXIT_OK;
    }
    const params: Record<string, string> = {};
    for (const word of positionals) {
      const eq = word.indexOf('=');
      if (eq <= 0) throw new UsageError(`"${word}" is not name=value`);
      const name = word.slice(0, eq);
      if (Object.prototype.hasOwnProperty.call(params, name)) throw new UsageError(`parameter ${name} given twice`);
      params[name] = word.slice(eq + 1);
    }
    if (positionals.length === 0) throw new UsageError('no parameters to sign');
    const signType = parseSignType(flags.get('sign-type') ?? 'MD5');
    const charset = normalizeCharset(flags.get('charset') ?? params._input_charset);
    const key = flags.get('key');
    if (signType === 'MD5' && !key) throw new UsageError('--key is required for MD5');
    const keyFile = flags.get('private-key');
    if (signType === 'RSA' && !keyFile) throw new UsageError('--private-key FILE is required for RSA');
    const presign = canonicalize(params);
    const privateKey = keyFile ? await readBytes(io, keyFile) : undefined;
    const sign = signPresign(presign, { signType, charset, key, privateKey });
    if (flags.has('verbose')) io.stderr(`presign (${charset}): ${presign}\n`);
    io.stdout(`${sign}\n`);
    return EXIT_OK;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`alipay-legacy sign: ${err.message}\n\n${SIGN_USAGE}`);
      return EXIT_USAGE;
    }
    io.stderr(`alipay-legacy sign: ${err instanceof AlipayError || err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILED;
  }
}
