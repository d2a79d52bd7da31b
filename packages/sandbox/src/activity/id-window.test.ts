import { describe, expect, it } from 'vitest';
import { WATCH_MS, advanceWindow, openWindow, watchedIds } from './id-window.js';

const done = (r: { id: number; done: boolean }) => r.done;

describe('the id window', () => {
  it('reports each finished row once and moves past it', () => {
    const w = openWindow(10);
    expect(advanceWindow(w, [{ id: 11, done: true }, { id: 12, done: true }], done, 0).map((r) => r.id)).toEqual([11, 12]);
    expect(w.after).toBe(12);
    expect(watchedIds(w)).toEqual([]);
  });

  it('watches a row seen unfinished and reports it once it finishes', () => {
    const w = openWindow(0);
    expect(advanceWindow(w, [{ id: 1, done: false }, { id: 2, done: true }], done, 0).map((r) => r.id)).toEqual([2]);
    expect(watchedIds(w)).toEqual([1]);
    expect(advanceWindow(w, [{ id: 1, done: false }], done, 100)).toEqual([]);
    expect(advanceWindow(w, [{ id: 1, done: true }], done, 200).map((r) => r.id)).toEqual([1]);
    expect(watchedIds(w)).toEqual([]);
  });

  it('watches the ids skipped over, for a transaction that commits a lower id later', () => {
    const w = openWindow(0);
    advanceWindow(w, [{ id: 3, done: true }], done, 0);
    expect(watchedIds(w).sort()).toEqual([1, 2]);
    expect(advanceWindow(w, [{ id: 2, done: true }], done, 10).map((r) => r.id)).toEqual([2]);
    expect(watchedIds(w)).toEqual([1]);
  });

  it('stops watching an id after a while (a rolled-back insert, a worker that died)', () => {
    const w = openWindow(0);
    advanceWindow(w, [{ id: 2, done: true }], done, 0);
    advanceWindow(w, [], done, WATCH_MS + 1);
    expect(watchedIds(w)).toEqual([]);
  });
});
