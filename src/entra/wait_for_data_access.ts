/**
 * Waiting until a role assignment reaches the data plane: on Azure a new role assignment can take
 * minutes to count there, so `readiness.fix({ waitForDataPlane: true })` probes (one providerStatus
 * GET with this kernel's Microsoft Entra token) until the data plane answers 200, or gives up.
 *
 * @module
 */

import { delay } from "../_builtins.ts";
import type { Settings } from "../config/settings.ts";
import type { ProgressSink } from "../progress.ts";
import type { DataAccessWait } from "../render/readiness_card.ts";
import { probe } from "./readiness_check.ts";

/** Options of {@link waitForDataAccess}. */
export interface WaitForDataAccessOptions {
  signal?: AbortSignal;
  /** Give up after this long. @default 600_000 (Azure documents up to about ten minutes) */
  timeoutMs?: number;
  /** Between probes. @default 10_000 */
  intervalMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Probes the data plane with this kernel's Entra token until it answers 200, or the timeout. */
export async function waitForDataAccess(
  settings: Settings,
  progressSink: ProgressSink | undefined,
  options: WaitForDataAccessOptions = {},
): Promise<DataAccessWait> {
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? delay;
  const timeout = options.timeoutMs ?? 600_000;
  const interval = options.intervalMs ?? 10_000;
  const started = now();
  const progress = progressSink?.start("Waiting for the role to reach the data plane");
  let probes = 0;
  try {
    for (;;) {
      const answer = await probe(settings, options.signal);
      probes++;
      const waitedMs = now() - started;
      if (answer.outcome === "reached") {
        await progress?.done(`reached after ${probes} probe${probes === 1 ? "" : "s"}`);
        return { reached: true, status: answer.status, probes, waitedMs };
      }
      if (waitedMs + interval > timeout) {
        await progress?.fail(`still ${answer.status} after ${Math.round(waitedMs / 1000)} s`);
        return { reached: false, status: answer.status, probes, waitedMs };
      }
      progress?.update(`still ${answer.status} (probe ${probes}, ${Math.round(waitedMs / 1000)} s)`);
      await wait(interval, options.signal);
    }
  } catch (e) {
    await progress?.fail((e as Error)?.name ?? "failed");
    throw options.signal?.aborted ? options.signal.reason : e;
  }
}
