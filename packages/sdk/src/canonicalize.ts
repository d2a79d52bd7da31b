/** A message's parameters by name; `undefined`/`null` and `""` values are left out of the sign. */
export type Params = Record<string, string | undefined | null>;

/** Parameters that never take part in the signature (protocol.md §2.1 step 1). */
export function isSignField(name: string): boolean {
  // Official verifiers match these case-insensitively (AlipayCore.paraFilter).
  return name.length <= 9 && (name.toLowerCase() === 'sign' || name.toLowerCase() === 'sign_type');
}

/**
 * The pre-sign string (待签名字符串) of protocol.md §2.1: drop `sign`, `sign_type` and empty values,
 * sort by name in byte order, join `name=value` with `&`. Values are raw (decoded) text, never
 * escaped.
 * @example canonicalize({ service: 'test', partner: '123', sign: 'x' }) // 'partner=123&service=test'
 */
export function canonicalize(params: Params): string {
  const names: string[] = [];
  for (const name in params) {
    const value = params[name];
    if (value === undefined || value === null || value === '' || isSignField(name)) continue;
    names.push(name);
  }
  // Default sort compares UTF-16 code units, which is byte order for the ASCII names every
  // service uses; insertion sort wins for the ~15 names of a real message.
  insertionSort(names);
  let out = '';
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    out += (i === 0 ? '' : '&') + name + '=' + params[name];
  }
  return out;
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
