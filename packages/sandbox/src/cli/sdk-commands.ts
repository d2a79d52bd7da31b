import * as sdk from 'alipay-legacy';
import type { CliIo } from './io.js';

type SdkCommand = (args: string[], io: CliIo) => number | Promise<number>;
type Command = (args: string[], io: CliIo) => Promise<number>;

/** The SDK's own `sign` / `verify` commands: the protocol lives once (STYLE.md §2). */
function sdkCommand(name: 'runSignCommand' | 'runVerifyCommand'): Command {
  return async (args, io) => {
    const run = (sdk as unknown as Record<string, SdkCommand | undefined>)[name];
    if (typeof run !== 'function') {
      io.stderr(`alipay-legacy: this version of the SDK has no ${name}\n`);
      return 1;
    }
    return await run(args, io);
  };
}

export const signCommand = sdkCommand('runSignCommand');
export const verifyCommand = sdkCommand('runVerifyCommand');
