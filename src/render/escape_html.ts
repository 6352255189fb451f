const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes the five characters that matter in HTML text and in quoted attribute values:
 * `& < > " '`. Every string that comes from a user or a service goes through here (or through
 * the {@link html} template, which calls it) before it reaches a notebook.
 *
 * @param text The text to escape.
 * @returns The text, safe to put between tags or inside a quoted attribute.
 *
 * @example Escaping a hostile target id
 * ```ts
 * import { escapeHtml } from "azure-quantum-notebook";
 * escapeHtml("<script>alert('x')</script>"); // "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
 * ```
 */
export function escapeHtml(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]);
}
