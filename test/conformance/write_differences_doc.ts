/**
 * Rewrites the generated "Differences from Azure Quantum" list in docs/emulator.md from the
 * allow-list. Run: `node_modules/.bin/deno run --allow-read --allow-write test/conformance/write_differences_doc.ts`
 *
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import { withDifferences } from "./differences_doc.ts";

const path = new URL("../../docs/emulator.md", import.meta.url);
writeFileSync(path, withDifferences(readFileSync(path, "utf8")));
