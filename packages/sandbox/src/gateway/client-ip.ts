/**
 * Compares the `exter_invoke_ip` a merchant sent with the address the buyer's browser came from.
 * IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) are read as IPv4, and every loopback address
 * counts as the same machine: a merchant testing on one computer sees `127.0.0.1` while the
 * sandbox may see `::1`.
 */
export function sameClientIp(declared: string, actual: string): boolean {
  const a = normalizeIp(declared);
  const b = normalizeIp(actual);
  if (a === '' || b === '') return false;
  return a === b || (isLoopback(a) && isLoopback(b));
}

export function normalizeIp(ip: string): string {
  const trimmed = ip.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(trimmed);
  return mapped ? mapped[1]! : trimmed;
}

function isLoopback(ip: string): boolean {
  return ip === '::1' || /^127\.\d+\.\d+\.\d+$/.test(ip);
}
