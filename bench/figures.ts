import { appendFileSync } from 'node:fs';

/**
 * One measured figure of a part's benchmark, beside the limit it is measured against in the same
 * run. `share` is the figure as a share of that limit, always "higher is better" (a rate over the
 * limit's rate, or the limit's time over the figure's time): machines here are shared and noisy,
 * and a share measured in one run moves far less than an absolute rate.
 */
export interface Figure {
  part: 'sdk' | 'sandbox' | 'shop' | 'cli';
  /** What was measured, e.g. "sign, UTF-8". */
  name: string;
  value: number;
  /** e.g. "ops/s", "trades/s", "ms". */
  unit: string;
  /** The limit measured in the same run. */
  limit: { name: string; value: number };
  share: number;
  /** The share (or, with `value`, the figure) the project aims for, when it has a goal. */
  goal?: { share?: number; value?: number; text: string };
  /**
   * `false` for a figure shown but not held to the committed one by `npm run bench -- --check`:
   * those that move by several times with other load on the machine even as shares (tail
   * latencies, throughput of processes that share the cores with the load generator).
   */
  guarded?: false;
}

/** A figure from a rate and its limit's rate (both "per second": higher is better). */
export function rateFigure(f: Omit<Figure, 'share'>): Figure {
  return { ...f, share: f.value / f.limit.value };
}

/** A figure from a time and its limit's time (lower is better, so the share is limit / figure). */
export function timeFigure(f: Omit<Figure, 'share'>): Figure {
  return { ...f, share: f.limit.value / f.value };
}

/**
 * Hands figures to the root `npm run bench` (bench/run.ts), which names a file in BENCH_FIGURES:
 * one JSON line per figure. Without it (a part's bench run on its own) this does nothing.
 */
export function recordFigures(figures: Figure[]): void {
  const file = process.env.BENCH_FIGURES;
  if (!file) return;
  appendFileSync(file, figures.map((f) => JSON.stringify(f) + '\n').join(''));
}
