import type { Progress, ProgressSink } from "../progress.ts";
import { type ProgressLineState, renderProgressLine } from "../render/progress_line.ts";
import { sendBundle } from "./display.ts";
import { denoJupyter, tslabWriter } from "./transports.ts";

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** `false` shows nothing at all. @default true */
  enabled?: boolean;
  /** Also print each step on a terminal (outside a kernel), one line per step. @default false */
  terminal?: boolean;
}

/**
 * A one-line status output that updates in place while something slow runs (connecting,
 * waiting for a key to propagate, a long-running operation). In `deno jupyter` it uses
 * `Deno.jupyter.display(bundle, { raw: true, display_id })` then `{ update: true }`; in tslab
 * the kernel writer with `transient.display_id` and `update_display_data`. Outside a kernel it
 * prints nothing unless `{ terminal: true }`.
 *
 * Cheap and safe: updates are coalesced (only the latest pending state is sent) and errors from
 * the kernel channel are swallowed, so progress can never break the operation it reports on.
 *
 * @param label What is happening, e.g. `"Waiting for the new key"`.
 * @param options `enabled`, `terminal`.
 * @returns The progress handle.
 *
 * @example Reporting retries
 * ```ts
 * import { createProgress } from "azure-quantum-notebook";
 * const p = createProgress("Waiting for the workspace");
 * p.update("attempt 2 of 5, retrying in 3 s");
 * await p.done("Connected");
 * ```
 */
export function createProgress(label: string, options: ProgressOptions = {}): Progress {
  const inKernel = !!denoJupyter() || !!tslabWriter();
  const active = options.enabled !== false && (inKernel || options.terminal === true);
  const displayId = `aqn-progress-${globalThis.crypto.randomUUID()}`;
  let state: ProgressLineState = { tone: "info", status: "Working", detail: "" };
  let shown = false;
  let pending: ProgressLineState | undefined;
  let chain: Promise<void> = Promise.resolve();
  let finished = false;

  const send = (s: ProgressLineState): Promise<void> => {
    pending = s;
    if (!active) return chain;
    chain = chain.then(async () => {
      if (pending === undefined) return; // coalesced into an earlier send
      const next = pending;
      pending = undefined;
      try {
        // Outside a kernel sendBundle prints the text line (no in-place update on a terminal).
        await sendBundle(renderProgressLine(label, next), inKernel ? { displayId, update: shown } : {});
        shown = true;
      } catch {
        // the kernel channel failing must not fail the caller's work
      }
    });
    return chain;
  };

  send(state);
  return {
    update(detail: string): void {
      if (finished) return;
      state = { ...state, detail: String(detail) };
      send(state);
    },
    done(message = "Done"): Promise<void> {
      if (finished) return chain;
      finished = true;
      return send({ tone: "ok", status: String(message), detail: "" });
    },
    fail(reason = ""): Promise<void> {
      if (finished) return chain;
      finished = true;
      return send({ tone: "bad", status: "Failed", detail: String(reason) });
    },
  };
}

/**
 * The notebook's {@link ProgressSink}: each `start(label)` is a {@link createProgress} line, updated
 * in place in Deno's kernel and in tslab, silent elsewhere. `connect()` gives it to the workspace.
 */
export const notebookProgress: ProgressSink = { start: (label) => createProgress(label) };
