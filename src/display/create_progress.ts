// Imported as `h`: `deno fmt` reformats templates tagged `html`, which would change the output.
import { html as h, raw } from "./html.ts";
import { badge, type Tone } from "./badge.ts";
import { oneLine } from "./_text.ts";
import { FONT, MUTED } from "./_style.ts";
import type { MimeBundle } from "./mime_bundle.ts";
import { sendBundle } from "./display.ts";
import { denoJupyter, tslabWriter } from "./detect_kernel.ts";

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** `false` shows nothing at all. @default true */
  enabled?: boolean;
  /** Also print each step on a terminal (outside a kernel), one line per step. @default false */
  terminal?: boolean;
}

/** An output that {@link createProgress} keeps updating in place. */
export interface Progress {
  /** Replaces the detail line, e.g. `"attempt 2 of 5, retrying in 3 s"`. */
  update(detail: string): void;
  /** Marks the progress finished (green). Resolves when the last update is sent; never rejects. */
  done(message?: string): Promise<void>;
  /** Marks the progress failed (red badge `Failed`, `reason` as the detail). Never rejects. */
  fail(reason?: string): Promise<void>;
}

type State = { tone: Tone; status: string; detail: string };

function render(label: string, s: State): MimeBundle {
  const text = `${oneLine(label)}: ${s.status}${s.detail ? ` (${oneLine(s.detail)})` : ""}`;
  const detail = s.detail ? h` <span style="${raw(MUTED)}">${s.detail}</span>` : null;
  const tag = badge(s.status, s.tone);
  const markup = h`<div style="${
    raw(FONT)
  };padding:2px 0">${tag} <strong>${label}</strong>${detail}</div>`;
  return { "text/plain": text, "text/html": markup.value };
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
  let state: State = { tone: "info", status: "Working", detail: "" };
  let shown = false;
  let pending: State | undefined;
  let chain: Promise<void> = Promise.resolve();
  let finished = false;

  const send = (s: State): Promise<void> => {
    pending = s;
    if (!active) return chain;
    chain = chain.then(async () => {
      if (pending === undefined) return; // coalesced into an earlier send
      const next = pending;
      pending = undefined;
      try {
        // Outside a kernel sendBundle prints the text line (no in-place update on a terminal).
        await sendBundle(render(label, next), inKernel ? { displayId, update: shown } : {});
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
