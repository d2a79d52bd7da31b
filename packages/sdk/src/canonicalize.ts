/** A message's parameters by name; `undefined`/`null` and `""` values are left out of the sign. */
export type Params = Record<string, string | undefined | null>;

/** Parameters that never take part in the signature (protocol.md §2.1 step 1). */
export function isSignField(name: string): boolean {
  // Official verifiers match these case-insensitively (AlipayCore.paraFilter). Most names are
  // settled by length and first letter, without lower-casing (a hot path of every sign).
  const n = name.length;
  if (n !== 4 && n !== 9) return false;
  if (name === 'sign' || name === 'sign_type') return true;
  const first = name.charCodeAt(0);
  if (first !== 0x73 /* s */ && first !== 0x53 /* S */) return false;
  const lower = name.toLowerCase();
  return lower === 'sign' || lower === 'sign_type';
}

/**
 * The pre-sign string (待签名字符串) of protocol.md §2.1: drop `sign`, `sign_type` and empty values,
 * sort by name in byte order, join `name=value` with `&`. Values are raw (decoded) text, never
 * escaped.
 * @example canonicalize({ service: 'test', partner: '123', sign: 'x' }) // 'partner=123&service=test'
 */
export function canonicalize(params: Params): string {
  const names = signedNames(params);
  let out = '';
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    out += (i === 0 ? '' : '&') + name + '=' + params[name];
  }
  return out;
}

/**
 * The names that take part in the sign, in signing order: steps 1–3 of protocol.md §2.1 (every
 * name except `sign`/`sign_type` whose value is not empty, sorted in byte order). `canonicalize`
 * joins them; the GBK fast path of `sign` writes the same join straight into bytes.
 * @example signedNames({ service: 'test', partner: '123', sign: 'x', body: '' }) // ['partner', 'service']
 */
export function signedNames(params: Params): string[] {
  // Object.keys is several times faster than for-in in V8 (no prototype walk); the parameters
  // are plain records.
  const all = Object.keys(params);
  const names: string[] = [];
  for (let i = 0; i < all.length; i++) {
    const name = all[i]!;
    const value = params[name];
    if (value === undefined || value === null || value === '' || isSignField(name)) continue;
    names.push(name);
  }
  // Default sort compares UTF-16 code units, which is byte order for the ASCII names every
  // service uses; insertion sort wins for the ~15 names of a real message.
  insertionSort(names);
  return names;
}

function insertionSort(a: string[]): void {
  for (let i = 1; i < a.length; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
  }
}

/**
 * The parameters as they will be sent: empty values dropped (protocol.md §8.2: send only what is
 * signed).
 * @example compactParams({ a: '1', b: '' }) // { a: '1' }
 */
export function compactParams(params: Params): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in params) {
    const value = params[name];
    if (value === undefined || value === null || value === '') continue;
    out[name] = value;
  }
  return out;
}
