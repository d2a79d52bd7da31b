import { processIo } from './io.js';
import { runCli } from './run-cli.js';

// The `alipay-legacy-sandbox` command (bin/alipay-legacy-sandbox.js runs the compiled file).
process.exitCode = await runCli(process.argv.slice(2), processIo);
