import { assertNoNul } from './text-guards.js';

/**
 * Reads one text field of the sandbox's own HTML forms (UTF-8 pages, so Hono's parser is right
 * here; gateway requests are never read this way: they are decoded in their own charset by
 * gateway/read-params.ts). A repeated or file field reads as empty.
 */
export function formText(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? assertNoNul(value, name) : '';
}
