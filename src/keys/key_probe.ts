import type { Secret } from "../connection/secret.ts";
import { createProgress } from "../display/create_progress.ts";
import { isAuthenticationError } from "../error_guards.ts";
import { createHttpPipeline } from "../http/http_pipeline.ts";
import { DataPlaneClient } from "../workspace/data_plane_client.ts";
import { resolveEmulatorCa } from "../workspace/environment_settings.ts";
import type { Workspace } from "../workspace/workspace.ts";
import { sleep as defaultSleep } from "./_sleep.ts";

/**
 * What the data plane said to one key.
 *
 * @example Usage
 * ```ts
 * import type { KeyVerdict } from "./key_probe.ts";
 * const verdict: KeyVerdict = "rejected";
 * ```
 */
export type KeyVerdict = "accepted" | "rejected";

/**
 * Asks the data plane (`providerStatus`, first page) whether it accepts `key`, on a separate
 * pipeline that always sends that key (the workspace's live key is not touched). 200 is
 * `accepted`, 401/403 `rejected`; anything else throws.
 *
 * @param workspace The workspace (its endpoint, CA, fetch and retry settings are reused).
 * @param key The key to try.
 * @param signal Abort signal.
 * @returns The verdict.
 *
 * @example Usage
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * import { probeKey } from "./key_probe.ts";
 * const ws = await connect();
 * await probeKey(ws, ws.liveKey!.key); // "accepted"
 * ```
 */
export async function probeKey(
  workspace: Workspace,
  key: Secret,
  signal?: AbortSignal,
): Promise<KeyVerdict> {
  const { info, options } = workspace;
  const http = createHttpPipeline({
    ca: options.ca ?? resolveEmulatorCa(info, { env: options.env }),
    fetch: options.fetch,
    retry: options.retry,
    timeoutMs: options.timeoutMs,
    apiKey: { key },
  });
  const client = new DataPlaneClient(info, http, options.apiVersion);
  try {
    await client.providerStatusPage(undefined, { signal });
    return "accepted";
  } catch (e) {
    if (isAuthenticationError(e)) return "rejected";
    throw e;
  }
}

/**
 * Options of {@link waitForVerdict}.
 *
 * @example Usage
 * ```ts
 * import type { WaitForVerdictOptions } from "./key_probe.ts";
 * const options: WaitForVerdictOptions = { timeoutMs: 120_000, intervalMs: 2000 };
 * ```
 */
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
  /** @default true */
  progress?: boolean;
}

/**
 * How a wait for the data plane ended.
 *
 * @example Usage
 * ```ts
 * import type { VerdictWait } from "./key_probe.ts";
 * const seconds = (w: VerdictWait) => Math.round(w.waitedMs / 1000);
 * ```
 */
export interface VerdictWait {
  /** True when the data plane gave the wanted verdict in time. */
  reached: boolean;
  verdict: KeyVerdict;
  probes: number;
  waitedMs: number;
}

/**
 * Probes `key` until the data plane gives `want` (propagation takes up to a minute on Azure),
 * bounded by `timeoutMs`, with an updating progress line in a notebook.
 *
 * @example Usage
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * import { waitForVerdict } from "./key_probe.ts";
 * const ws = await connect();
 * const wait = await waitForVerdict(ws, ws.liveKey!.key, "rejected", { timeoutMs: 60_000 });
 * wait.reached;
 * ```
 */
export async function waitForVerdict(
  workspace: Workspace,
  key: Secret,
  want: KeyVerdict,
  options: WaitForVerdictOptions = {},
): Promise<VerdictWait> {
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? defaultSleep;
  const timeout = options.timeoutMs ?? 120_000;
  const started = now();
  const progress = options.progressLabel
    ? createProgress(options.progressLabel, { enabled: options.progress !== false })
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
    throw e;
  }
}
