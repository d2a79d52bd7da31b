// The `alipay-legacy/cli` entry: the SDK's command-line commands as functions, for programs that
// embed them (the sandbox's command runs `sign` and `verify` through these). Named exports only.
export { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './cli/cli-io.js';
export type { CliIo } from './cli/cli-io.js';
export { runSdkCli, SDK_USAGE } from './cli/run-sdk-cli.js';
export { runSignCommand, SIGN_USAGE } from './cli/sign-command.js';
export { runVerifyCommand, VERIFY_USAGE } from './cli/verify-command.js';
