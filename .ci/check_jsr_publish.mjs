#!/usr/bin/env node
// JSR: `deno publish --dry-run` (offline: it type-checks, checks for slow types in the public API,
// and lists what it would upload; nothing is sent) must succeed and upload only the module:
// deno.json, mod.ts, src/**.ts (no tests), README.md and LICENSE.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const r = spawnSync(resolve(root, "node_modules/.bin/deno"), ["publish", "--dry-run", "--allow-dirty"], {
  cwd: root,
  encoding: "utf8",
  env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
});
const output = r.stdout + r.stderr;
const files = [...output.matchAll(/^\s+file:\/\/(\S+) \(/gm)].map((m) => m[1].slice(root.length + 1));
const allowed = (f) => ["deno.json", "mod.ts", "README.md", "LICENSE"].includes(f) || (/^src\/.+\.ts$/.test(f) && !/_test\.ts$/.test(f));
const problems = [];
if (r.status !== 0 || !/Dry run complete/.test(output)) problems.push(`deno publish --dry-run failed (exit ${r.status}):\n${output.slice(-3000)}`);
if (/slow type/i.test(output.replace("Checking for slow types in the public API...", ""))) problems.push("slow types reported");
for (const f of files.filter((f) => !allowed(f))) problems.push(`would publish ${f}`);
for (const f of ["deno.json", "mod.ts", "README.md", "LICENSE", "src/emulator/mod.ts"]) {
  if (!files.includes(f)) problems.push(`would not publish ${f}`);
}
const name = /Simulating publish of (\S+) with files/.exec(output)?.[1];
for (const p of problems) console.log(`FAIL ${p}`);
console.log(`deno publish --dry-run: ${name ?? "?"}, ${files.length} files${problems.length ? `, ${problems.length} problem(s)` : ", only the module"}`);
process.exit(problems.length ? 1 : 0);
