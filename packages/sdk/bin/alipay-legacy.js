#!/usr/bin/env node
// The `alipay-legacy` command: the compiled CLI (npm run build writes dist/).
import '../dist/esm/cli/main.js';
