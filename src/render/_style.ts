/**
 * Inline styles shared by the renderers. Colours are chosen to read on both light and dark
 * Jupyter themes: solid badge backgrounds with white text (contrast ≥ 4.5:1), and borders and
 * shading as semi-transparent greys that blend with whatever background the theme has. No fixed
 * page background or text colour is set anywhere.
 */
export const TONES = {
  ok: "#1a7f37",
  warn: "#9a6700",
  bad: "#cf222e",
  info: "#0969da",
  neutral: "#6e7781",
} as const;

export const FONT = "font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px";
export const BORDER = "1px solid rgba(128,128,128,.35)";
export const SHADE = "background:rgba(128,128,128,.12)";
export const MUTED = "opacity:.72";
