/**
 * A duration in seconds as people read it, with at most two units and no false precision:
 *
 * | seconds          | shown as                    | e.g.                       |
 * | ---------------- | --------------------------- | -------------------------- |
 * | under 60         | whole seconds               | `0 s`, `45 s`              |
 * | under 10 min     | minutes and seconds         | `1 min 30 s`, `2 min`      |
 * | under 1 h        | whole minutes (rounded)     | `21 min`                   |
 * | under 24 h       | hours and whole minutes     | `3 h 20 min`, `1 h`        |
 * | 24 h and more    | days and whole hours        | `2 d 4 h`, `3 d`           |
 *
 * Rounding happens before the unit is chosen, so 59.6 s is `1 min`, never `60 s`. Negative,
 * `NaN` and infinite values give `—`.
 *
 * @param seconds The duration in seconds (Azure Quantum's `averageQueueTime` unit).
 * @returns The duration in words.
 *
 * @example Queue times
 * ```ts
 * import { formatDuration } from "azure-quantum-notebook";
 * formatDuration(45); // "45 s"
 * formatDuration(1235); // "21 min"
 * formatDuration(12000); // "3 h 20 min"
 * ```
 */
export function formatDuration(seconds: number): string {
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) return "—";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 600) return two(Math.floor(s / 60), "min", s % 60, "s");
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 24 * 60) return two(Math.floor(minutes / 60), "h", minutes % 60, "min");
  const hours = Math.round(seconds / 3600);
  return two(Math.floor(hours / 24), "d", hours % 24, "h");
}

function two(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major} ${majorUnit}` : `${major} ${majorUnit} ${minor} ${minorUnit}`;
}

/**
 * How long ago something happened, from an age in milliseconds: `just now` under 5 s (and for
 * small negative ages from clock skew), otherwise {@link formatDuration} + ` ago`; a clearly
 * future time (more than 5 s ahead) gives `in …`.
 *
 * @param ms The age in milliseconds (`now - then`).
 * @returns The age in words.
 */
export function formatAge(ms: number): string {
  if (typeof ms !== "number" || Number.isNaN(ms)) return "—";
  if (Math.abs(ms) < 5000) return "just now";
  return ms < 0 ? `in ${formatDuration(-ms / 1000)}` : `${formatDuration(ms / 1000)} ago`;
}
