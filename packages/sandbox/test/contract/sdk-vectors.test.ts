import { isServiceName } from 'alipay-legacy/protocol';
import { afterAll, expect, it } from 'vitest';
import { loadVectors, type Vector } from '../../../sdk/test/fixtures/load-vectors.js';
import { createApp } from '../../src/app.js';
import type { Sandbox } from '../../src/create-sandbox.js';
import { forEachDialect, openTestSandbox } from '../helpers/dialects.js';

/**
 * The SDK's signing vectors of the services the sandbox serves (protocol.md §2.6: the official SDKs' links, and GBK/GB2312 forms)
 * sent to the sandbox's gateway as they are on the wire: its sign check must agree with each
 * vector, and refuse it once the sign is altered. Whatever else the request lacks is answered with
 * another code: only ILLEGAL_SIGN speaks of the sign.
 */
const wire = [...loadVectors('vectors.json'), ...loadVectors('gbk-vectors.json')].filter(
  (v) => v.sign_type === 'MD5' && v.key !== undefined && (v.url !== undefined || v.form !== undefined) && isServiceName(v.params.service ?? ''),
);

function errorCode(body: string): string | undefined {
  return /<error>([A-Z_]+)<\/error>/.exec(body)?.[1] ?? /错误代码[^A-Z_]*([A-Z_]{4,})/.exec(body)?.[1] ?? /\b(ILLEGAL_SIGN)\b/.exec(body)?.[1];
}

/** The vector's request as a path (its link) or a POST (its form), with the sign replaced when asked. */
function request(v: Vector, sign?: string): { path: string; init: RequestInit } {
  const swap = (text: string) => (sign === undefined ? text : text.replace(`sign=${v.sign}`, `sign=${sign}`));
  if (v.url !== undefined) return { path: swap(v.url.slice(v.url.indexOf('/gateway.do'))), init: {} };
  const form = swap(v.form!.includes('sign=') ? v.form! : `${v.form!}&sign=${v.sign}&sign_type=MD5`);
  return {
    path: `/gateway.do?_input_charset=${v.charset}`,
    init: { method: 'POST', headers: { 'content-type': `application/x-www-form-urlencoded; charset=${v.charset}` }, body: form },
  };
}

forEachDialect("the SDK's signing vectors at the sandbox's gateway", (dialect) => {
  const sandboxes = new Map<string, Sandbox>();
  afterAll(async () => {
    for (const sb of sandboxes.values()) await sb.close();
  });

  it.each(wire.map((v) => [v.name, v] as const))('%s: the sign check agrees with the vector', async (_name, v) => {
    const partner = v.params.partner!;
    let sb = sandboxes.get(partner);
    if (!sb) {
      sb = await openTestSandbox(dialect, { partner, key: v.key! });
      sandboxes.set(partner, sb);
    }
    const app = createApp(sb.deps);
    const genuine = request(v);
    const answer = await (await app.request(genuine.path, genuine.init)).text();
    expect(errorCode(answer)).not.toBe('ILLEGAL_SIGN');
    const altered = v.sign.startsWith('0') ? `1${v.sign.slice(1)}` : `0${v.sign.slice(1)}`;
    const forged = request(v, altered);
    expect(errorCode(await (await app.request(forged.path, forged.init)).text())).toBe('ILLEGAL_SIGN');
  });
});
