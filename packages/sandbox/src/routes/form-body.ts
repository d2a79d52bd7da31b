import { Busboy } from '@fastify/busboy';
import { GatewayError } from 'alipay-legacy';
import { MAX_BODY_BYTES } from './request-body.js';

/**
 * A form body as `application/x-www-form-urlencoded` bytes, whatever it came as (decisions.md §24).
 * The official PHP kit posts server calls as `multipart/form-data` (curl given an array); their
 * field values are the raw bytes of the request's charset, so each is percent-encoded byte for byte
 * here and the one form reader decodes them in that charset as it decodes any other body. A body
 * that is not multipart is returned as it is. An unreadable multipart body is `ILLEGAL_ARGUMENT`.
 */
export async function urlencodedBody(contentType: string | undefined, body: Uint8Array): Promise<Uint8Array> {
  if (!contentType || !/^\s*multipart\/form-data\b/i.test(contentType)) return body;
  const pairs = await readMultipart(contentType, body);
  return Buffer.from(pairs.map(([name, value]) => `${percentBytes(name)}=${percentBytes(value)}`).join('&'), 'latin1');
}

/** Every byte outside the unreserved set, escaped: the bytes survive whatever their charset. */
function percentBytes(latin1: string): string {
  let out = '';
  for (const byte of Buffer.from(latin1, 'latin1')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.*]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function readMultipart(contentType: string, body: Uint8Array): Promise<[string, string][]> {
  return new Promise((resolve, reject) => {
    const refuse = (why: string) => reject(new GatewayError('ILLEGAL_ARGUMENT', `the multipart/form-data body cannot be read: ${why}`));
    let parser: ReturnType<typeof Busboy>;
    try {
      // latin1 keeps each value's bytes as they came; names and values are decoded later, once.
      parser = Busboy({ headers: { 'content-type': contentType }, defCharset: 'latin1', limits: { fields: 1000, fieldSize: MAX_BODY_BYTES, files: 100 } });
    } catch (err) {
      refuse((err as Error).message);
      return;
    }
    const pairs: [string, string][] = [];
    let truncated = false;
    parser.on('field', (name, value, nameTruncated, valueTruncated) => {
      if (nameTruncated || valueTruncated) truncated = true;
      pairs.push([name, value]);
    });
    // A file part is not a gateway parameter: read past it.
    parser.on('file', (_name, stream) => stream.resume());
    parser.on('fieldsLimit', () => (truncated = true));
    parser.on('error', (err) => refuse(err instanceof Error ? err.message : String(err)));
    parser.on('finish', () => (truncated ? refuse('too many or too large fields') : resolve(pairs)));
    parser.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  });
}
