import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** Buyers' passwords are stored as salted scrypt hashes: `scrypt$<salt hex>$<hash hex>`. */

// Low cost parameters: these are test passwords, and the cashier should answer at once.
const PARAMS = { N: 1024, r: 8, p: 1 } as const;

export function hashPassword(password: string, salt: Buffer = randomBytes(16)): string {
  const hash = scryptSync(password, salt, 32, PARAMS);
  return `scrypt$${salt.toString('hex')}$${hash.toString('hex')}`;
}

export function checkPassword(password: string, stored: string): boolean {
  const [scheme, saltHex, hashHex] = stored.split('$');
  if (scheme !== 'scrypt' || !saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = scryptSync(password, Buffer.from(saltHex, 'hex'), expected.length, PARAMS);
  return timingSafeEqual(expected, actual);
}
