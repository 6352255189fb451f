#!/usr/bin/env node
// Last step of `npm run build`, after the declarations (with their docs) and the JavaScript
// (without comments, which loads faster: bench/ row 1). TypeScript's
// rewriteRelativeImportExtensions rewrites "./x.ts" to "./x.js" in the emitted JavaScript but not
// in the declaration files. TypeScript itself finds "./x.d.ts" from "./x.ts", but Deno
// type-checking the npm package (`deno check`, its language server) does not, and reports every
// re-export as a missing module. So the relative specifiers of dist/**/*.d.ts end in ".js", as in
// the JavaScript next to them.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const dist = resolve(import.meta.dirname, "..", "dist");
// `from "./x.ts"`, `import("../x.ts")`, `export * from './x.ts'`: relative specifiers only.
const RELATIVE_TS = /(["'])(\.{1,2}\/[^"'\n]*?)\.ts\1/g;
let files = 0;
let specifiers = 0;
for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith(".d.ts")) continue;
  const path = join(entry.parentPath, entry.name);
  const text = readFileSync(path, "utf8");
  const fixed = text.replace(RELATIVE_TS, (_, quote, base) => (specifiers++, `${quote}${base}.js${quote}`));
  if (fixed !== text) {
    writeFileSync(path, fixed);
    files++;
  }
}
if (process.argv.includes("--verbose")) console.log(`dist: ${specifiers} specifiers in ${files} declaration files end in .js`);
