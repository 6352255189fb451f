/**
 * How a slow operation reports its progress without knowing where it goes: operations receive a
 * {@link ProgressSink}; `connect()` injects the notebook adapter (an output updated in place), and
 * anything else (a test, a CLI) can pass its own.
 *
 * @module
 */

/**
 * One progress line, started by a {@link ProgressSink}.
 *
 * @example Usage
 * ```ts
 * import type { Progress } from "azure-quantum-notebook";
 * async function work(p: Progress) {
 *   p.update("attempt 2 of 5");
 *   await p.done("Connected");
 * }
 * ```
 */
export interface Progress {
  /** Replaces the detail line, e.g. `"attempt 2 of 5, retrying in 3 s"`. */
  update(detail: string): void;
  /** Marks the progress finished. Resolves when the last update is sent; never rejects. */
  done(message?: string): Promise<void>;
  /** Marks the progress failed, with `reason` as the detail. Never rejects. */
  fail(reason?: string): Promise<void>;
}

/**
 * Where operations send their progress: `start(label)` opens one progress line.
 *
 * @example A sink that logs
 * ```ts
 * import { connect, type ProgressSink } from "azure-quantum-notebook";
 * const log: ProgressSink = {
 *   start: (label) => ({
 *     update: (detail) => console.log(`${label}: ${detail}`),
 *     done: async (message = "done") => console.log(`${label}: ${message}`),
 *     fail: async (reason = "") => console.log(`${label}: failed ${reason}`),
 *   }),
 * };
 * const ws = await connect({ progress: log });
 * ```
 */
export interface ProgressSink {
  /** Opens a progress line labelled `label` (what is happening, e.g. `"Listing targets"`). */
  start(label: string): Progress;
}
