/**
 * A redirect target that stays on the shop (no open redirect): a path on the shop, or an absolute
 * URL whose origin is the shop's own; anything else is undefined. Used for quick login's
 * `target_url` (protocol.md §12.13) and the page to come back to.
 * @example ownPath('/products/tea', 'http://shop.test') // '/products/tea'
 * @example ownPath('https://evil.example/', 'http://shop.test') // undefined
 */
export function ownPath(target: string | null | undefined, publicUrl: string): string | undefined {
  if (!target) return undefined;
  const text = target.trim();
  if (text === '' || /[\0-\x1f\\]/.test(text)) return undefined;
  let url: URL;
  const base = new URL(publicUrl);
  try {
    url = new URL(text, base);
  } catch {
    return undefined;
  }
  if (url.origin !== base.origin) return undefined;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Never back into the login machinery itself.
  if (path.startsWith('/login') || path.startsWith('/alipay/')) return '/';
  return path.startsWith('/') && !path.startsWith('//') ? path : undefined;
}
