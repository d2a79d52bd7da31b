// Run inside an empty folder where only the packed tarballs were installed: the sandbox started from
// its bin, a trade created with the SDK, paid with the sandbox's `pay` command, its notification
// received, verified (sign and notify_verify) and acknowledged, and the trade listed as paid
// through the SDK's `alipay-legacy` command, which hands the sandbox's commands over.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createClient } from 'alipay-legacy';

const require = createRequire(import.meta.url);
let sandbox;
const fail = (message) => {
  console.error(`packed smoke test: ${message}`);
  sandbox?.kill('SIGKILL');
  process.exit(1);
};
const bin = (name, args) => execFileSync(`node_modules/.bin/${name}`, args, { encoding: 'utf8' });

// CommonJS and ESM see the same SDK, at the root and at the protocol entry.
const cjs = require('alipay-legacy');
const esm = await import('alipay-legacy');
const cjsProtocol = require('alipay-legacy/protocol');
const esmProtocol = await import('alipay-legacy/protocol');
const probe = [{ service: 'test', partner: '123' }, { key: '1'.padEnd(32, '0') }];
if (cjsProtocol.sign(...probe) !== 'bbd13b52823b576291595f472ebcfbc2' || esmProtocol.sign(...probe) !== 'bbd13b52823b576291595f472ebcfbc2') {
  fail('require() and import of alipay-legacy/protocol do not sign as the gateway does');
}
if (cjs.createClient === undefined || esm.createClient === undefined || 'sign' in cjs || 'sign' in esm) {
  fail('the root entry of alipay-legacy is not the merchant surface (createClient present, protocol functions absent)');
}

sandbox = spawn('node_modules/.bin/alipay-legacy-sandbox', ['--port', '0', '--schedule', 'fast'], { stdio: ['ignore', 'pipe', 'inherit'] });
let banner = '';
const url = await new Promise((resolve, reject) => {
  sandbox.stdout.on('data', (d) => {
    banner += d;
    const m = /alipay-legacy sandbox on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner);
    if (m && banner.includes('Ctrl-C stops the sandbox.')) resolve(m[1]);
  });
  sandbox.once('exit', (code) => reject(new Error(`the sandbox exited (${code}) before listening:\n${banner}`)));
}).catch((err) => fail(err.message));
const partner = /partner {10}(\d{16})/.exec(banner)?.[1];
const key = /key \(MD5\) {8}(\w{32})/.exec(banner)?.[1];
const sellerEmail = /seller_email {5}(\S+)/.exec(banner)?.[1];
if (!partner || !key || !sellerEmail) fail(`the banner does not show the merchant:\n${banner}`);

let resolveNotified;
const notified = new Promise((r) => (resolveNotified = r));
const merchant = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    try {
      const message = await alipay.verifyNotification(Buffer.concat(chunks));
      res.end('success');
      resolveNotified(message);
    } catch (err) {
      res.statusCode = 400;
      res.end('fail');
      fail(`the notification did not verify: ${err.message}`);
    }
  });
});
await new Promise((r) => merchant.listen(0, '127.0.0.1', r));
const alipay = createClient({
  partner,
  key,
  sellerEmail,
  gateway: `${url}/gateway.do`,
  notifyUrl: `http://127.0.0.1:${merchant.address().port}/notify`,
  returnUrl: `http://127.0.0.1:${merchant.address().port}/return`,
});

const outTradeNo = `PACKED${Date.now()}`;
const request = await alipay.createDirectPayByUser({ out_trade_no: outTradeNo, subject: '安装测试', total_fee: '0.01' });
const opened = await fetch(request.url, { redirect: 'manual' });
if (opened.status !== 303) fail(`the gateway answered ${opened.status} to a signed payment request`);
bin('alipay-legacy-sandbox', ['pay', '--out-trade-no', outTradeNo, '--url', url]);
const message = await notified;
// Paid: TRADE_FINISHED for a merchant without refundable instant payment (the seeded one).
if (!esm.isPaid(message.trade_status) || message.out_trade_no !== outTradeNo) fail(`unexpected notification ${JSON.stringify(message)}`);
const trades = JSON.parse(bin('alipay-legacy', ['trades', '--json', '--out-trade-no', outTradeNo, '--url', url]));
if (trades[0]?.trade_status !== message.trade_status) fail(`the trade is not paid: ${JSON.stringify(trades)}`);

sandbox.kill('SIGTERM');
const code = await new Promise((r) => sandbox.once('exit', r));
merchant.close();
if (code !== 0) fail(`the sandbox exited ${code} on SIGTERM`);
console.log(`packed smoke test: ${outTradeNo} paid through the installed sandbox, notified and verified with the installed SDK`);
