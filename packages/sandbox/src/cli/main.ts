import { runCli } from './run-cli.js';
import { processIo } from './io.js';

// The `alipay-legacy` command (bin/alipay-legacy.js starts this file with tsx).
process.exitCode = await runCli(process.argv.slice(2), processIo);
