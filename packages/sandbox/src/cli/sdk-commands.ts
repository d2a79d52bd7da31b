import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runSignCommand, runVerifyCommand, type CliIo as SdkCliIo } from 'alipay-legacy/cli';
import type { CliIo } from './io.js';

/** The SDK's own `sign` / `verify` commands: the protocol lives once, in the SDK. */
function sdkIo(io: CliIo): SdkCliIo {
  return { stdout: io.stdout, stderr: io.stderr, readFile: (path) => readFile(resolve(io.cwd, path)) };
}

export const signCommand = (args: string[], io: CliIo): Promise<number> => runSignCommand(args, sdkIo(io));
export const verifyCommand = (args: string[], io: CliIo): Promise<number> => runVerifyCommand(args, sdkIo(io));
