import { normalizeCharset } from '../charset.js';
import { AlipayError, VerificationError } from '../errors.js';
import { parseSignType } from '../sign.js';
import { explainMismatch, verifyMessageSign } from '../verify/check-sign.js';
import { readMessageParams } from '../verify/read-message.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseArgs, readBytes, UsageError, type CliIo } from './cli-io.js';

/**
 * The usage text of `alipay-legacy verify`.
 * @example io.stdout(VERIFY_USAGE)
 */
export const VERIFY_USAGE = `usage: alipay-legacy verify [--key KEY] [--charset utf-8|gbk|gb2312] [--sign-type MD5|RSA --public-key FILE] (--query STRING | --body-file FILE)

Checks the sign of a return's query string (or a whole URL) or of a raw notification body (the
percent-encoded bytes as POSTed, in that charset), offline: notify_verify is not asked. Prints
"valid" and exits 0 when the sign matches; otherwise exits 1, says why, and prints the string it
signed. --charset defaults to the message's _input_charset, else utf-8; --sign-type to the
message's sign_type, else MD5.
`;

/**
 * `alipay-legacy verify`: checks a return query or a notification body offline. Returns the exit code.
 * @example
 * await runVerifyCommand(['--key', KEY, '--query', 'partner=123&service=test&sign=bbd13b52823b576291595f472ebcfbc2&sign_type=MD5'], io)
 * // prints "valid\n", returns 0
 */
export async function runVerifyCommand(args: readonly string[], io: CliIo): Promise<number> {
  try {
    const { flags, positionals } = parseArgs(args, ['key', 'charset', 'sign-type', 'public-key', 'query', 'body-file'], ['help']);
    if (flags.has('help')) {
      io.stdout(VERIFY_USAGE);
      return EXIT_OK;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const query = flags.get('query');
    const bodyFile = flags.get('body-file');
    if ((query === undefined) === (bodyFile === undefined)) throw new UsageError('give exactly one of --query STRING and --body-file FILE');
    // A file saved by an editor or `echo` ends with a newline that was never part of the body.
    const raw = query !== undefined ? query.replace(/[\r\n]+$/, '') : trimNewline(await readBytes(io, bodyFile!));
    // _input_charset and sign_type are ASCII: read them before choosing how to decode the rest.
    const peek = readMessageParams(raw, 'utf-8');
    const charset = normalizeCharset(flags.get('charset') ?? peek._input_charset);
    const params = readMessageParams(raw, charset);
    const signType = parseSignType(flags.get('sign-type') ?? (params.sign_type === 'RSA' ? 'RSA' : 'MD5'));
    const key = flags.get('key');
    const keyFile = flags.get('public-key');
    if (signType === 'MD5' && !key) throw new UsageError('--key is required for MD5');
    if (signType === 'RSA' && !keyFile) throw new UsageError('--public-key FILE is required for RSA');
    const publicKey = keyFile ? await readBytes(io, keyFile) : undefined;
    const signOptions = { signType, charset, key, publicKey };
    try {
      verifyMessageSign(params, signOptions);
    } catch (err) {
      if (!(err instanceof VerificationError)) throw err;
      const explanation = err.reason === 'sign_mismatch' && err.presign !== undefined ? explainMismatch(params, err.presign, signOptions, 'cli') : err.message;
      io.stderr(`invalid: ${explanation}\n`);
      if (err.presign !== undefined) io.stderr(`presign (${charset}): ${err.presign}\n`);
      return EXIT_FAILED;
    }
    io.stdout('valid\n');
    return EXIT_OK;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`alipay-legacy verify: ${err.message}\n\n${VERIFY_USAGE}`);
      return EXIT_USAGE;
    }
    io.stderr(`invalid: ${err instanceof AlipayError || err instanceof Error ? err.message : String(err)}\n`);
    return EXIT_FAILED;
  }
}

function trimNewline(bytes: Buffer): Buffer {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d)) end--;
  return bytes.subarray(0, end);
}
