#!/usr/bin/env node
// The `alipay-legacy-sandbox` command: the compiled CLI (npm run build writes dist/).
import '../dist/cli/main.js';
