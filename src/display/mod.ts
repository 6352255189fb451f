/**
 * Rendering and display: pure renderers (value → escaped `text/html` + aligned `text/plain`) and
 * the adapters that deliver a MIME bundle to Deno's kernel, tslab's kernel or a terminal.
 *
 * @example Showing any result
 * ```ts
 * import { display, renderCard, badge } from "azure-quantum-notebook";
 * const { html, text } = renderCard({ title: "Demo", badge: badge("OK", "ok"), rows: [["Region", "eastus"]] });
 * await display({ "text/html": html, "text/plain": text });
 * ```
 *
 * @module
 */

// Contracts
export {
  type Displayable,
  isDisplayable,
  JUPYTER_DISPLAY,
  type MimeBundle,
} from "./mime_bundle.ts";

// Kernel adapters
export { detectKernel, type KernelName } from "./detect_kernel.ts";
export { display, type DisplayOptions } from "./display.ts";
export { createProgress, type Progress, type ProgressOptions } from "./create_progress.ts";
export { isMimeBundle, mimeBundleOf } from "./mime_bundle_of.ts";

// HTML building blocks
export { escapeHtml } from "./escape_html.ts";
export { Html, html, type HtmlValue, isHtml, raw } from "./html.ts";
export { safeHref } from "./safe_href.ts";
export { badge, type Tone } from "./badge.ts";
export { formatAge, formatDuration } from "./format_duration.ts";

// Renderers
export {
  type Align,
  type Rendered,
  renderTable,
  type TableCell,
  type TableColumn,
  type TableGroup,
  type TableSpec,
} from "./render_table.ts";
export { type CardRow, type CardSpec, renderCard } from "./render_card.ts";
export { renderError } from "./render_error.ts";
export { availabilityBadge, renderTargets } from "./render_targets.ts";
