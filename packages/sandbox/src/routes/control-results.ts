import { randomBytes } from 'node:crypto';
import type { ControlResult } from '../pages/dashboard-results.js';
import { localPath } from './local-path.js';

/** How many results are kept (the oldest go first): a result is read right after its control ran. */
const KEPT = 200;

/**
 * The results of the dashboard's controls, kept in memory for the page the browser is sent back
 * to (`?result=ID`), so that a control works as a plain form (post, then a redirect to a page that
 * shows what happened) and a reload does not run it again.
 */
export interface ControlResults {
  put(result: ControlResult): string;
  get(id: string | undefined): ControlResult | undefined;
}

export function createControlResults(): ControlResults {
  const kept = new Map<string, ControlResult>();
  return {
    put(result) {
      const id = randomBytes(9).toString('base64url');
      kept.set(id, result);
      for (const old of kept.keys()) {
        if (kept.size <= KEPT) break;
        kept.delete(old);
      }
      return id;
    },
    get(id) {
      return id === undefined ? undefined : kept.get(id);
    },
  };
}

/** A local path to come back to (never another site, local-path.ts), without an earlier result. */
export function backPath(value: unknown, fallback = '/'): string {
  const text = localPath(value, '');
  if (text === '') return fallback;
  const url = new URL(text, 'http://sandbox.invalid');
  url.searchParams.delete('result');
  return `${url.pathname}${url.search}`;
}

/** The path to come back to, showing a result. */
export function withResult(back: string, id: string): string {
  const url = new URL(back, 'http://sandbox.invalid');
  url.searchParams.set('result', id);
  return `${url.pathname}${url.search}#result`;
}
