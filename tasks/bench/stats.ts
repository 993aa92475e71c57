/** Small statistics and number formatting helpers for the benchmark. */

/** The value at percentile `p` (0-100) of an ascending array, nearest-rank. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

/** The median of some numbers (NaN for none). */
export function median(values: number[]): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** "131k", "1.2M", "950" */
export function fmtCount(n: number): string {
  if (!Number.isFinite(n)) return "n/a";
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return `${Math.round(n)}`;
}

/** Microseconds, to 3 significant digits at most. */
export function fmtMicros(us: number): string {
  if (!Number.isFinite(us)) return "n/a";
  return us >= 100 ? `${Math.round(us)} us` : `${us.toPrecision(2)} us`;
}

/** "1.32x" */
export function fmtRatio(r: number): string {
  return Number.isFinite(r) ? `${r.toFixed(2)}x` : "n/a";
}

/** Megabytes (10^6 bytes). */
export function fmtMB(bytes: number): string {
  return Number.isFinite(bytes) ? `${Math.round(bytes / 1e6)} MB` : "n/a";
}

/** `items` rotated left by `by` places. */
export function rotate<T>(items: T[], by: number): T[] {
  if (items.length === 0) return items;
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}
