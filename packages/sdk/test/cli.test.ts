import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runSdkCli, runSignCommand, runVerifyCommand } from '../src/cli.js';
import { encodeForm } from '../src/protocol.js';
import { loadVectors, type Vector } from './fixtures/load-vectors.js';

const vectors = loadVectors('vectors.json');
const gbkVectors = loadVectors('gbk-vectors.json');

const dir = mkdtempSync(join(tmpdir(), 'alipay-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a command with captured output and the real file system. */
async function run(command: typeof runSignCommand, args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await command(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readFile: (p) => readFile(p) });
  return { code, stdout, stderr };
}

function keyArgs(v: Vector, kind: 'private' | 'public'): string[] {
  if (v.sign_type === 'MD5') return ['--key', v.key!];
  const file = join(dir, `${v.name.replace(/\W+/g, '_')}.${kind}.pem`);
  writeFileSync(file, kind === 'private' ? v.private_key! : v.public_key!);
  return ['--sign-type', 'RSA', kind === 'private' ? '--private-key' : '--public-key', file];
}

describe('alipay-legacy sign', () => {
  for (const v of [...vectors, ...gbkVectors]) {
    it(`prints the sign of ${v.name} byte for byte`, async () => {
      // The charset comes from _input_charset when the parameters carry one (V4–V8, G1, G2).
      const charsetArgs = v.params._input_charset === undefined && v.charset !== 'utf-8' ? ['--charset', v.charset] : [];
      const params = Object.entries(v.params).map(([n, value]) => `${n}=${value}`);
      const res = await run(runSignCommand, [...keyArgs(v, 'private'), ...charsetArgs, ...params]);
      expect(res).toEqual({ code: 0, stdout: `${v.sign}\n`, stderr: '' });
    });
  }

  it('prints the signed string with --verbose and honours an explicit --charset over _input_charset', async () => {
    const res = await run(runSignCommand, ['--key', '10000000000000000000000000000000', '--verbose', '--charset', 'gbk', 'partner=123', 'service=test', 'subject=测试']);
    expect(res.stdout).toBe('da62fc8c3a7b3b0f96df474bd522fbe3\n');
    expect(res.stderr).toBe('presign (gbk): partner=123&service=test&subject=测试\n');
  });

  it('exits 2 with the usage for a word that is not name=value, and without a key', async () => {
    expect((await run(runSignCommand, ['--key', 'k', 'service'])).code).toBe(2);
    const noKey = await run(runSignCommand, ['service=test']);
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/--key is required/);
  });
});

describe('alipay-legacy verify', () => {
  for (const v of [...vectors, ...gbkVectors]) {
    it(`says valid for ${v.name} given as ${v.form ? 'a body file' : v.url ? 'a URL' : 'a query'}, and invalid once tampered`, async () => {
      const charsetArgs = v.params._input_charset === undefined && v.charset !== 'utf-8' ? ['--charset', v.charset] : [];
      const keys = keyArgs(v, 'public');
      let input: string[];
      let tampered: string[];
      if (v.form) {
        const file = join(dir, `${v.name.replace(/\W+/g, '_')}.body`);
        writeFileSync(file, `${v.form}\n`, 'latin1');
        const bad = join(dir, `${v.name.replace(/\W+/g, '_')}.bad.body`);
        writeFileSync(bad, `${v.form}&tampered=x`, 'latin1');
        input = ['--body-file', file];
        tampered = ['--body-file', bad];
      } else {
        const query = v.url ?? encodeForm({ ...v.params, sign: v.sign, sign_type: v.sign_type }, v.charset);
        input = ['--query', query];
        tampered = ['--query', `${query}&tampered=x`];
      }
      expect(await run(runVerifyCommand, [...keys, ...charsetArgs, ...input])).toEqual({ code: 0, stdout: 'valid\n', stderr: '' });
      const bad = await run(runVerifyCommand, [...keys, ...charsetArgs, ...tampered]);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toMatch(/sign_mismatch/);
      expect(bad.stderr).toMatch(/presign \((utf-8|gbk|gb2312)\): .*tampered=x/);
    });
  }

  it('says why a GBK body read as UTF-8 does not verify, and prints the string it signed', async () => {
    const g3 = gbkVectors.find((v) => v.name.startsWith('G3'))!;
    const file = join(dir, 'g3-as-utf8.body');
    writeFileSync(file, g3.form!, 'latin1');
    const res = await run(runVerifyCommand, ['--key', g3.key!, '--body-file', file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/probably in gbk/);
    expect(res.stderr).toContain('presign (utf-8): buyer_email=buyer+1@sandbox.test&notify_id=');
  });

  it('explains a mismatch for a command line: its options, an altered message first, no JavaScript property', async () => {
    const res = await run(runVerifyCommand, ['--key', '10000000000000000000000000000000', '--query', 'partner=123&service=test&total_fee=9.99&sign=bbd13b52823b576291595f472ebcfbc2&sign_type=MD5']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('the message was altered on its way, or forged');
    expect(res.stderr).toContain('--key must be the 32-character MD5 key');
    expect(res.stderr).toContain('The string signed here is printed below');
    expect(res.stderr).not.toContain('error.presign');
    expect(res.stderr).not.toContain('config.');
    expect(res.stderr).toContain('presign (utf-8): partner=123&service=test&total_fee=9.99\n');
  });

  it('refuses a message that says another sign_type than --sign-type', async () => {
    const res = await run(runVerifyCommand, ['--key', 'k', '--sign-type', 'MD5', '--query', 'a=1&sign=x&sign_type=RSA']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/bad_sign_type|sign_type="RSA"/);
  });

  it('exits 2 when neither or both of --query and --body-file are given', async () => {
    expect((await run(runVerifyCommand, ['--key', 'k'])).code).toBe(2);
    expect((await run(runVerifyCommand, ['--key', 'k', '--query', 'a=1', '--body-file', 'x'])).code).toBe(2);
  });
});

describe('runSdkCli', () => {
  it('dispatches sign and verify and refuses other commands', async () => {
    let out = '';
    const io = { stdout: (t: string) => (out += t), stderr: () => {}, readFile: () => '' };
    expect(await runSdkCli(['sign', '--key', '10000000000000000000000000000000', 'service=test', 'partner=123'], io)).toBe(0);
    expect(out).toBe('bbd13b52823b576291595f472ebcfbc2\n');
    expect(await runSdkCli(['frobnicate'], io)).toBe(2);
  });
});
