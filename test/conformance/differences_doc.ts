/**
 * Puts the rendered allow-list between the markers of docs/emulator.md.
 *
 * @module
 */
import { DOC_END, DOC_START, renderDifferences } from "./allowed_differences.ts";

/** `doc` with the text between {@link DOC_START} and {@link DOC_END} replaced by the list. */
export function withDifferences(doc: string): string {
  const start = doc.indexOf(DOC_START);
  const end = doc.indexOf(DOC_END);
  if (start < 0 || end < start) {
    throw new Error(`docs/emulator.md lacks the markers ${DOC_START} … ${DOC_END}`);
  }
  return `${doc.slice(0, start + DOC_START.length)}\n\n${renderDifferences()}\n${doc.slice(end)}`;
}
