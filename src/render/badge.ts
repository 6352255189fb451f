// Imported as `h`: `deno fmt` reformats templates tagged `html`, which would change the output.
import { type Html, html as h, raw } from "./html.ts";
import { TONES } from "./_style.ts";

/** The colour family of a {@link badge}. */
export type Tone = "ok" | "warn" | "bad" | "info" | "neutral";

/**
 * A small coloured label. The colour only repeats what the text says (never colour alone), and
 * the fragment's `plain` rendering is the bare text, so tables and cards print `Available` in a
 * terminal.
 *
 * @param text The label, escaped.
 * @param tone The colour: `ok` green, `warn` amber, `bad` red, `info` blue, `neutral` grey.
 * @returns An HTML fragment.
 *
 * @example An availability badge
 * ```ts
 * import { badge } from "azure-quantum-notebook";
 * const b = badge("Available", "ok");
 * b.plain; // "Available"
 * ```
 */
export function badge(text: string, tone: Tone = "neutral"): Html {
  const colour = TONES[tone] ?? TONES.neutral;
  const style = `display:inline-block;padding:1px 7px;border-radius:9px;` +
    `background:${colour};color:#fff;font-size:11px;font-weight:600;line-height:16px;` +
    `white-space:nowrap`;
  return raw(h`<span style="${style}">${text}</span>`.value, String(text));
}
