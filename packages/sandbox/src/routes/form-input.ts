import type { Context } from 'hono';
import { urlencodedBody } from './form-body.js';
import { readBody } from './request-body.js';
import { assertNoNul } from './text-guards.js';
import type { AppEnv } from './web-context.js';

/** A form's fields: one value, or every value of a field sent more than once. */
export type FormFields = Record<string, string | string[]>;

/**
 * The body of a POST from one of the sandbox's own HTML forms (UTF-8 pages), read the one way
 * every form route reads it: `application/x-www-form-urlencoded` or `multipart/form-data`
 * (decisions.md §24), at most 1 MiB. A multipart body that cannot be read is `ILLEGAL_ARGUMENT`
 * (the page's error, never a 5xx); another content type reads as no fields. Gateway requests are
 * never read this way: they are decoded in their own charset by gateway/read-params.ts.
 */
export async function readForm(c: Context<AppEnv>): Promise<FormFields> {
  const type = c.req.header('content-type') ?? '';
  if (!/^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) return {};
  const bytes = await urlencodedBody(type, await readBody(c));
  const fields: FormFields = Object.create(null) as FormFields;
  for (const [name, value] of new URLSearchParams(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'))) {
    const seen = fields[name];
    fields[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return fields;
}

/** One text field of a form. A repeated field reads as empty; a NUL is refused. */
export function formText(form: Record<string, unknown>, name: string): string {
  const value = form[name];
  return typeof value === 'string' ? assertNoNul(value, name) : '';
}
