import type { MimeBundle } from "../displayable.ts";
import { sendBundle } from "./display.ts";
import { denoJupyter, tslabWriter } from "./transports.ts";

/**
 * An output that is shown once and then replaced in place: in Deno's kernel through
 * `Deno.jupyter.display(bundle, { raw: true, display_id })` and `{ update: true }`, in tslab through
 * its display writer with `transient.display_id` and `update_display_data`. Outside a kernel every
 * bundle's `text/plain` is printed as a new line. Sends are queued in order; a failing kernel
 * channel never fails the caller.
 *
 * @returns `show(bundle)`: the first call displays, later calls update.
 *
 * @internal
 */
export function liveDisplay(): (bundle: MimeBundle) => Promise<void> {
  const inKernel = !!denoJupyter() || !!tslabWriter();
  const displayId = `aqn-live-${globalThis.crypto.randomUUID()}`;
  let shown = false;
  let chain: Promise<void> = Promise.resolve();
  return (bundle) => {
    chain = chain.then(async () => {
      try {
        await sendBundle(bundle, inKernel ? { displayId, update: shown } : {});
        shown = true;
      } catch {
        // a display that fails must not fail the sign-in it shows
      }
    });
    return chain;
  };
}
