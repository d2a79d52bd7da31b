import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Small HMAC-sealed JSON values for the web layer's state that lives in the browser: the buyer's
 * login cookie and the context a login or address form carries between two requests. Sealed, not
 * encrypted: nothing in them is secret, they only must not be forged. Keeps the web layer stateless
 * (any sandbox process with the same secret accepts them).
 */
export interface Sealer {
  seal(value: unknown): string;
  /** The value, or undefined when the text was not sealed with this secret or is malformed. */
  open<T>(text: string | undefined): T | undefined;
}

export function createSealer(secret: string | Uint8Array = randomBytes(32)): Sealer {
  const mac = (body: string) => createHmac('sha256', secret).update(body).digest('base64url');
  return {
    seal(value) {
      const body = Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
      return `${body}.${mac(body)}`;
    },
    open<T>(text: string | undefined) {
      if (!text) return undefined;
      const dot = text.lastIndexOf('.');
      if (dot <= 0) return undefined;
      const body = text.slice(0, dot);
      const given = Buffer.from(text.slice(dot + 1), 'utf8');
      const expected = Buffer.from(mac(body), 'utf8');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
      } catch {
        return undefined;
      }
    },
  };
}
