import { oneLine } from "../_text.ts";
import type { MimeBundle } from "../displayable.ts";
import { badge, type Tone } from "./badge.ts";
// Imported as `h`: `deno fmt` reformats templates tagged `html`, which would change the output.
import { html as h, raw } from "./html.ts";
import { FONT, MUTED } from "./_style.ts";

/** What a progress line shows: a badge (tone and status), the label, and a detail. */
export interface ProgressLineState {
  tone: Tone;
  status: string;
  detail: string;
}

/** One progress line: `<label>: <status> (<detail>)`, and its HTML with a badge. */
export function renderProgressLine(label: string, s: ProgressLineState): MimeBundle {
  const text = `${oneLine(label)}: ${s.status}${s.detail ? ` (${oneLine(s.detail)})` : ""}`;
  const detail = s.detail ? h` <span style="${raw(MUTED)}">${s.detail}</span>` : null;
  const tag = badge(s.status, s.tone);
  const markup = h`<div style="${
    raw(FONT)
  };padding:2px 0">${tag} <strong>${label}</strong>${detail}</div>`;
  return { "text/plain": text, "text/html": markup.value };
}
