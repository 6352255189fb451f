import { escapeHtml } from "../render/escape_html.ts";
import type { DemoStep } from "./run_demo.ts";

/**
 * One self-contained HTML page with every step of the demo: inline styles, no scripts, no
 * external assets. Step outputs are the renderers' own (already escaped) HTML.
 */
export function renderDemoReport(steps: readonly DemoStep[], generatedAt: string): string {
  const sections = steps.map((step, i) =>
    `<section style="margin:22px 0"><h2 style="font-size:17px;margin:0 0 4px">${i + 1}. ${escapeHtml(step.title)}</h2>` +
    `<p style="margin:0 0 10px;opacity:.75">${escapeHtml(step.why)}</p>` +
    (step.bundle["text/html"] ?? `<pre>${escapeHtml(step.bundle["text/plain"])}</pre>`) +
    "</section>"
  ).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>azure-quantum-notebook demo</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1000px;margin:24px auto;padding:0 16px">
<h1 style="font-size:22px">azure-quantum-notebook demo</h1>
<p>Connect, list targets and manage access keys on the local emulator. Keys are never shown: only their fingerprints.
Generated ${escapeHtml(generatedAt)}.</p>
${sections}
</body></html>
`;
}
