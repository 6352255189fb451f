/**
 * The URL, normalised, when it is an absolute `http:` or `https:` URL; otherwise `undefined`.
 * Service data (a target's `statusPage`) becomes a link only through this check, so
 * `javascript:`, `data:` and relative URLs never turn into clickable links.
 *
 * @param url Any value; only strings can pass.
 * @returns The URL as `new URL(url).href`, or `undefined`.
 */
export function safeHref(url: unknown): string | undefined {
  if (typeof url !== "string" || url.trim() === "") return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : undefined;
}
