import { delay } from "../_builtins.ts";
import type { Secret } from "../connection/secret.ts";
import { DataPlaneClient } from "../data_plane/data_plane_client.ts";
import { isUnauthorizedError } from "../request_errors.ts";
import type { KeyVerdict, VerdictWait } from "../render/key_cards.ts";
import type { KeyHost } from "./key_host.ts";

/**
 * Asks the data plane (`providerStatus`, first page) whether it accepts `key`, on a separate
 * pipeline that always sends that key (the workspace's live key is not touched). 200 is
 * `accepted`, 401/403 `rejected`; anything else throws.
 *
 * @param workspace The workspace (its endpoint, CA, fetch and retry settings are reused).
 * @param key The key to try.
 * @param signal Abort signal.
 * @returns The verdict.
 */
export async function probeKey(
  workspace: KeyHost,
  key: Secret,
  signal?: AbortSignal,
): Promise<KeyVerdict> {
  const client = DataPlaneClient.fromSettings(workspace.settings, { key });
  try {
    await client.providerStatusPage(undefined, { signal });
    return "accepted";
  } catch (e) {
    if (isUnauthorizedError(e)) return "rejected";
    throw e;
  }
}

/** Options of {@link waitForVerdict}. */
export interface WaitForVerdictOptions {
  signal?: AbortSignal;
  /** Give up after this long. @default 120_000 */
  timeoutMs?: number;
  /** Between probes. @default 2000 */
  intervalMs?: number;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Progress line label; `undefined` shows none. */
  progressLabel?: string;
}

/**
 * Probes `key` until the data plane gives `want` (propagation takes up to a minute on Azure),
 * bounded by `timeoutMs`, with an updating progress line in a notebook.
 */
export async function waitForVerdict(
  workspace: KeyHost,
  key: Secret,
  want: KeyVerdict,
  options: WaitForVerdictOptions = {},
): Promise<VerdictWait> {
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? delay;
  const timeout = options.timeoutMs ?? 120_000;
  const started = now();
  const progress = options.progressLabel
    ? workspace.progress?.start(options.progressLabel)
    : undefined;
  let probes = 0;
  try {
    for (;;) {
      const verdict = await probeKey(workspace, key, options.signal);
      probes++;
      const waitedMs = now() - started;
      if (verdict === want) {
        await progress?.done(`${want} after ${probes} probe${probes === 1 ? "" : "s"}`);
        return { reached: true, verdict, probes, waitedMs };
      }
      const interval = options.intervalMs ?? 2000;
      if (waitedMs + interval > timeout) {
        await progress?.fail(`still ${verdict} after ${Math.round(waitedMs / 1000)} s`);
        return { reached: false, verdict, probes, waitedMs };
      }
      progress?.update(`key still ${verdict} (probe ${probes}, ${Math.round(waitedMs / 1000)} s)`);
      await wait(interval, options.signal);
    }
  } catch (e) {
    await progress?.fail((e as Error)?.name ?? "failed");
    throw options.signal?.aborted ? options.signal.reason : e;
  }
}
