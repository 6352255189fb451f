// Small statistics and formatting helpers shared by the benchmark rows.

/** Median of a list of numbers (mean of the two middle values for an even count). */
export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `{ median, min, max, n }` of a list of numbers. */
export function summary(values) {
  const finite = values.filter(Number.isFinite);
  return {
    median: median(finite),
    min: finite.length ? Math.min(...finite) : NaN,
    max: finite.length ? Math.max(...finite) : NaN,
    n: finite.length,
  };
}

/** `1.04× (0.98–1.10)` */
export function fmtRatio(s, digits = 2) {
  if (!Number.isFinite(s.median)) return "n/a";
  return `${s.median.toFixed(digits)}× (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;
}

/** Milliseconds, with one decimal below 10 ms. */
export function fmtMs(ms) {
  if (!Number.isFinite(ms)) return "n/a";
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${Math.round(ms)} ms`;
}

/** Mebibytes from bytes. */
export function fmtMiB(bytes) {
  return Number.isFinite(bytes) ? `${(bytes / 1048576).toFixed(1)} MiB` : "n/a";
}

/** Rounds every number in a JSON-able value to `digits` decimals (for results.json). */
export function rounded(value, digits = 3) {
  return JSON.parse(
    JSON.stringify(value, (_k, v) => (typeof v === "number" ? Number(v.toFixed(digits)) : v)),
  );
}
