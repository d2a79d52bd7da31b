/**
 * Start-up of the commands as users run them: the compiled bins (`npm run build` first), each run
 * whole, one after another, ROUNDS times (env CLI_ROUNDS, default 15). Prints min / median / max
 * wall time per command beside `node -e 0` measured in the same run, since these machines are
 * shared and absolute times move with the load. Targets: sign and verify under 300 ms, the admin
 * commands under 500 ms (median).
 *
 *   npm run bench:cli -w alipay-legacy-sandbox
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordFigures, timeFigure } from '../../../bench/figures.js';

const ROUNDS = Number(process.env.CLI_ROUNDS ?? 15);
const SDK_BIN = fileURLToPath(new URL('../../sdk/bin/alipay-legacy.js', import.meta.url));
const SANDBOX_BIN = fileURLToPath(new URL('../bin/alipay-legacy-sandbox.js', import.meta.url));
for (const dist of ['../../sdk/dist/esm/cli/main.js', '../dist/cli/main.js']) {
  if (!existsSync(fileURLToPath(new URL(dist, import.meta.url)))) throw new Error('build first: npm run build');
}

const KEY = '10000000000000000000000000000000';
const QUERY = 'partner=123&service=test&sign=bbd13b52823b576291595f472ebcfbc2&sign_type=MD5';

function time(args: string[], cwd: string): number {
  const start = process.hrtime.bigint();
  const res = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (res.status !== 0) throw new Error(`${args.join(' ')} exited ${res.status}: ${res.stderr}`);
  return ms;
}

const cwd = mkdtempSync(join(tmpdir(), 'alipay-cli-bench-'));
const sandbox = spawn(process.execPath, [SANDBOX_BIN, '--port', '0', '--db', ':memory:'], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
let banner = '';
const url = await new Promise<string>((resolve, reject) => {
  sandbox.stdout.on('data', (d: Buffer) => {
    banner += d.toString();
    const m = /alipay-legacy sandbox on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner);
    if (m && banner.includes('Ctrl-C stops the sandbox.')) resolve(m[1]!);
  });
  sandbox.once('exit', (code) => reject(new Error(`the sandbox exited (${code}):\n${banner}`)));
});

const commands: Array<{ name: string; args: string[]; target: number }> = [
  { name: 'node -e 0 (baseline)', args: ['-e', '0'], target: Infinity },
  { name: 'alipay-legacy sign', args: [SDK_BIN, 'sign', '--key', KEY, 'service=test', 'partner=123'], target: 300 },
  { name: 'alipay-legacy verify', args: [SDK_BIN, 'verify', '--key', KEY, '--query', QUERY], target: 300 },
  { name: 'alipay-legacy --help', args: [SDK_BIN, '--help'], target: 300 },
  { name: 'alipay-legacy-sandbox clock', args: [SANDBOX_BIN, 'clock', '--url', url], target: 500 },
  { name: 'alipay-legacy-sandbox trades', args: [SANDBOX_BIN, 'trades', '--url', url], target: 500 },
  { name: 'alipay-legacy trades (handed to the sandbox)', args: [SDK_BIN, 'trades', '--url', url], target: 500 },
];

const samples = commands.map(() => [] as number[]);
time(['-e', '0'], cwd); // warm the file cache
// Interleaved rounds, so a burst of load elsewhere touches every command alike.
for (let round = 0; round < ROUNDS; round++) {
  commands.forEach((c, i) => samples[i]!.push(time(c.args, cwd)));
}
sandbox.kill('SIGTERM');
await new Promise((r) => sandbox.once('exit', r));
rmSync(cwd, { recursive: true, force: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const baseline = median(samples[0]!);
console.log(`CLI start-up, ${ROUNDS} rounds, load average ${loadavg()[0]!.toFixed(2)}\n`);
console.log('| command | min ms | median ms | max ms | median / node -e 0 | target |');
console.log('| --- | --- | --- | --- | --- | --- |');
let missed = 0;
commands.forEach((c, i) => {
  const xs = samples[i]!;
  const m = median(xs);
  const verdict = c.target === Infinity ? '' : m < c.target ? `< ${c.target} ms, met` : `< ${c.target} ms, MISSED`;
  if (m >= c.target) missed++;
  console.log(`| ${c.name} | ${Math.min(...xs).toFixed(0)} | ${m.toFixed(0)} | ${Math.max(...xs).toFixed(0)} | ${(m / baseline).toFixed(2)} | ${verdict} |`);
});
recordFigures(
  commands.slice(1).map((c, i) =>
    timeFigure({
      part: 'cli',
      name: `${c.name} start-up (median)`,
      value: median(samples[i + 1]!),
      unit: 'ms',
      limit: { name: 'node -e 0', value: baseline },
      goal: { value: c.target, text: `< ${c.target} ms` },
    }),
  ),
);
if (missed > 0) process.exitCode = 1;
