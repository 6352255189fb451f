import type { MimeBundle } from "../displayable.ts";
import { mimeBundleOf } from "./mime_bundle_of.ts";
import { denoJupyter, type KernelName, tslabWriter } from "./transports.ts";

/** Options of {@link display}: an id to update the output in place later. */
export interface DisplayOptions {
  /** A Jupyter `display_id`, so the output can be updated in place. */
  displayId?: string;
  /** Send `update_display_data` for `displayId` instead of a new output. */
  update?: boolean;
}

/**
 * Sends a bundle through the current kernel's display channel, or prints its `text/plain` with
 * `console.log` outside a kernel. Returns the kernel that was used.
 *
 * @internal
 */
export async function sendBundle(
  bundle: MimeBundle,
  options: DisplayOptions = {},
): Promise<KernelName> {
  const transient = options.displayId ? { display_id: options.displayId } : {};
  const deno = denoJupyter();
  if (deno) {
    await deno.display(bundle, {
      raw: true,
      ...(options.displayId ? { display_id: options.displayId } : {}),
      ...(options.update ? { update: true } : {}),
    });
    return "deno";
  }
  const write = tslabWriter();
  if (write) {
    write({ data: bundle, metadata: {}, transient }, options.update === true);
    return "tslab";
  }
  if (!options.update) console.log(bundle["text/plain"]);
  return "none";
}

/**
 * Shows `value` in the current kernel: in `deno jupyter` through
 * `Deno.jupyter.display(bundle, { raw: true })`, in tslab through the kernel's display writer
 * (both give a `display_data` output with `text/html`, `text/plain` and, where the value has
 * one, `application/json`), and elsewhere by printing the `text/plain` form.
 *
 * `value` can be any result object of this module, a MIME bundle, a `Secret` (shows its mask and
 * fingerprint), an `Error` (name, code, message, request details; escaped) or anything else
 * (shown as `util.inspect` text).
 *
 * tslab never renders a cell's last value, so cells meant for both kernels call `await display(x)`.
 *
 * With `displayId`, a later `display(other, { displayId, update: true })` replaces that output in
 * place (both kernels); outside a kernel updates print nothing.
 *
 * @param value What to show.
 * @param options `displayId` and `update`.
 * @returns When the output has been sent.
 *
 * @example Showing a result in any kernel
 * ```ts
 * import { display } from "azure-quantum-notebook";
 * await display({ "text/html": "<b>hello</b>", "text/plain": "hello" });
 * await display(new Error("boom"));
 * ```
 */
export async function display(value: unknown, options: DisplayOptions = {}): Promise<void> {
  await sendBundle(await mimeBundleOf(value), options);
}
