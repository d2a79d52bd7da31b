/** A message's parameters by name; `undefined`/`null` and `""` values are left out of the sign. */
export type Params = Record<string, string | undefined | null>;

/**
 * Parameters that never take part in the signature (protocol.md §2.1 step 1).
 * @example isSignField('sign_type') // true
 */
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
  const { names, positions } = sortedShape(params);
  const values = valuesInOrder(params);
  let out = '';
  for (let i = 0; i < names.length; i++) {
    const value = values === undefined ? params[names[i]!] : values[positions[i]!];
    if (value === undefined || value === null || value === '') continue;
    out += (out === '' ? '' : '&') + names[i]! + '=' + value;
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
  const { names, positions } = sortedShape(params);
  const values = valuesInOrder(params);
  const signed: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const value = values === undefined ? params[names[i]!] : values[positions[i]!];
    if (value === undefined || value === null || value === '') continue;
    signed.push(names[i]!);
  }
  return signed;
}

/**
 * A message's names in signing order: every name of `params` except `sign`/`sign_type`, sorted in
 * byte order, empty values included (the caller drops them), with each name's place in
 * `Object.keys(params)` (and so in `Object.values(params)`). The object is shared: read it, never
 * change it.
 *
 * Sorting is most of the cost of a sign beyond the hash (bench/sign.bench.ts measures both), and a
 * process signs the same few message shapes over and over (parseForm and the request builders
 * give the same names in the same order each time). So the last key list and its sorted order are
 * remembered: when `Object.keys` gives the same names in the same order, comparing them (interned
 * strings, pointer checks) replaces the sort. Reading the values through `Object.values` and the
 * positions (`valuesInOrder`), rather than by name, spares a hash lookup per parameter.
 */
export function sortedShape(params: Params): SortedShape {
  // Object.keys rather than for-in: no prototype walk, and the parameters are plain records.
  const all = Object.keys(params);
  if (sameList(all, lastKeys)) return lastShape;
  const order: number[] = [];
  for (let i = 0; i < all.length; i++) if (!isSignField(all[i]!)) order.push(i);
  // Default string order compares UTF-16 code units, which is byte order for the ASCII names every
  // service uses; insertion sort wins for the ~15 names of a real message.
  insertionSort(order, all);
  lastKeys = all;
  lastShape = { names: order.map((i) => all[i]!), positions: order };
  return lastShape;
}

/**
 * `Object.values(params)`, read by `sortedShape`'s positions instead of a lookup by name; or
 * `undefined` for a record without a prototype (what `parseForm` gives), which V8 keeps as a hash
 * table: there a lookup by name is the cheaper read.
 */
export function valuesInOrder(params: Params): Params[string][] | undefined {
  return Object.getPrototypeOf(params) === null ? undefined : Object.values(params);
}

/** Names in signing order and where each is in the parameters' own order (`sortedShape`). */
export interface SortedShape {
  readonly names: readonly string[];
  readonly positions: readonly number[];
}
let lastKeys: readonly string[] = [];
let lastShape: SortedShape = { names: [], positions: [] };

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Sorts positions into `keys` by the name at each. */
function insertionSort(a: number[], keys: readonly string[]): void {
  for (let i = 1; i < a.length; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && keys[a[j]!]! > keys[v]!) {
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
