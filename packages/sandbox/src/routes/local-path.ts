const BASE = 'http://sandbox.invalid';

/**
 * A path inside the sandbox to send the browser to after a form (a login's `next`, a control's
 * `back`), or `fallback`: never another site. Refused: anything not starting with one `/`
 * (`//evil`, absolute URLs, `javascript:`), a backslash (browsers read `/\evil.example` as
 * `//evil.example`), and control characters (URL parsers drop tabs and newlines, so `/\t/evil`
 * would become `//evil`). What is left is resolved against the sandbox and must stay on it.
 */
export function localPath(value: unknown, fallback: string): string {
  const text = typeof value === 'string' ? value : '';
  if (!text.startsWith('/') || text.startsWith('//') || /[\\\u0000-\u0020\u007f]/.test(text)) return fallback;
  let url: URL;
  try {
    url = new URL(text, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  return path.startsWith('//') ? fallback : path;
}
