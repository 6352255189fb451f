#!/usr/bin/env node
// The JSDoc example rule of CONTRIBUTING.md, checked: an `@example` sits only on the public
// surface (what mod.ts and src/emulator/mod.ts export, their members, their module docs) and is
// written as a user writes it: it imports the package ("azure-quantum-notebook" or
// "azure-quantum-notebook/emulator"), never a relative path, and does something besides imports
// and comments. `deno check --doc` then type-checks every example against the real exports.
// Node, no dependencies. Exit 0 when clean; 1 with one line per problem (`file:line: rule`).
//
//   node .ci/check_examples.mjs [--root DIR]
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { filesUnder } from "./check_layers.mjs";

/** The package's entry points: what they export (and re-export) is public. */
export const ENTRIES = ["mod.ts", "src/emulator/mod.ts"];
/** Files whose module doc is public: the entry points, and the command line (package.json `bin`). */
export const MODULE_DOCS = [...ENTRIES, "src/cli.ts"];

const DECLARATION =
  /^(export\s+)?(?:default\s+)?(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|class|interface|type|const|let|var|enum|namespace)\s+([A-Za-z_$][\w$]*)/;
const RE_EXPORT = /export\s+(?:type\s+)?\{([^}]*)\}\s*from\s*["']([^"']+)["']/g;

/**
 * Every `@example` in the JSDoc blocks of `text`: `{ line, code, after, isModule, blockIndex }`
 * (`code` is "" without a fence; `after` is the first line after the block).
 */
export function examplesOf(text) {
  const found = [];
  for (const block of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    const lines = block[0].split("\n").map((l) => l.replace(/^\s*\/?\*\*?\/?\s?/, "").replace(/\s*\*\/$/, ""));
    const first = text.slice(0, block.index).split("\n").length;
    const after = text.slice(block.index + block[0].length).split("\n").find((l) => l.trim() !== "") ?? "";
    const isModule = lines.some((l) => /^@module\b/.test(l));
    for (let k = 0; k < lines.length; k++) {
      if (!/^@example\b/.test(lines[k])) continue;
      let end = k + 1;
      let fenced = false;
      while (end < lines.length) {
        if (/^\s*```/.test(lines[end])) fenced = !fenced;
        else if (!fenced && /^@\w/.test(lines[end])) break;
        end++;
      }
      const body = lines.slice(k + 1, end);
      const code = [];
      let inFence = false;
      for (const l of body) {
        if (/^\s*```/.test(l)) inFence = !inFence;
        else if (inFence) code.push(l);
      }
      found.push({ line: first + k, code: code.join("\n"), after, isModule, blockIndex: block.index });
    }
  }
  return found;
}

/** The module specifiers an example's code imports (static, re-export, dynamic). */
export function specifiersOf(code) {
  const out = [];
  for (const m of code.matchAll(/\b(?:from\s*|import\s*\(?\s*)["']([^"']+)["']/g)) out.push(m[1]);
  return out;
}

/** True when the code holds nothing but imports and comments. */
export function onlyImports(code) {
  const rest = code
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "")
    .replace(/^\s*import\s+(?:type\s+)?[\s\S]*?from\s*["'][^"']+["']\s*;?/gm, "")
    .replace(/^\s*import\s*["'][^"']+["']\s*;?/gm, "");
  return rest.trim() === "";
}

/** `Map(file -> Set(name))` of the declarations the entry points make public. */
export function publicNames(root) {
  const names = new Map();
  const add = (file, name) => {
    if (!names.has(file)) names.set(file, new Set());
    if (names.get(file).has(name)) return;
    names.get(file).add(name);
    // A name an internal file only re-exports is declared further on.
    if (!existsSync(join(root, file))) return;
    for (const m of readFileSync(join(root, file), "utf8").matchAll(RE_EXPORT)) {
      for (const [local, exported] of listOf(m[1])) {
        if (exported === name) add(normal(root, file, m[2]), local);
      }
    }
  };
  for (const entry of ENTRIES) {
    if (!existsSync(join(root, entry))) continue;
    const text = readFileSync(join(root, entry), "utf8");
    for (const m of text.matchAll(RE_EXPORT)) {
      for (const [local] of listOf(m[1])) add(normal(root, entry, m[2]), local);
    }
    for (const line of text.split("\n")) {
      const d = DECLARATION.exec(line);
      if (d?.[1]) add(entry, d[2]);
    }
  }
  return names;
}

function listOf(names) {
  return names.split(",").map((n) => n.trim().replace(/^type\s+/, "")).filter(Boolean).map((n) => {
    const [local, exported = local] = n.split(/\s+as\s+/);
    return [local, exported];
  });
}

function normal(root, from, specifier) {
  return relative(root, resolve(root, dirname(from), specifier)).split("\\").join("/");
}

/** The symbol a JSDoc block documents: its own name, or its owner's for a member (indented). */
function ownerOf(text, blockIndex, after) {
  const before = text.slice(0, blockIndex);
  const indented = /[ \t]$/.test(before.slice(before.lastIndexOf("\n") + 1)) && /^\s/.test(after);
  if (!indented) {
    const d = DECLARATION.exec(after.trim());
    return d ? { name: d[2], exported: Boolean(d[1]) } : undefined;
  }
  const lines = before.split("\n").reverse();
  for (const l of lines) {
    const d = DECLARATION.exec(l);
    if (d) return { name: d[2], exported: Boolean(d[1]) };
  }
  return undefined;
}

/** Every problem of the tree at `root`: `{ file, line, message }`, and how many examples it read. */
export function check(root) {
  const files = ["mod.ts", ...(existsSync(join(root, "src")) ? filesUnder(root, "src") : [])];
  const pub = publicNames(root);
  const problems = [];
  let examples = 0;
  for (const file of files) {
    if (!existsSync(join(root, file))) continue;
    const text = readFileSync(join(root, file), "utf8");
    for (const ex of examplesOf(text)) {
      examples++;
      const at = { file, line: ex.line };
      const owner = ex.isModule ? undefined : ownerOf(text, ex.blockIndex, ex.after);
      const isPublic = ex.isModule
        ? MODULE_DOCS.includes(file)
        : owner !== undefined && owner.exported && (pub.get(file)?.has(owner.name) ?? false);
      if (!isPublic) {
        const what = ex.isModule ? "the module doc of an internal file" : owner
          ? `"${owner.name}", which ${ENTRIES.join(" and ")} do not export`
          : "a symbol this check cannot name";
        problems.push({
          ...at,
          message: `@example on ${what}: examples belong to the public surface only (internal code gets a one-line doc)`,
        });
        continue;
      }
      const relativeImport = specifiersOf(ex.code).find((s) => s.startsWith(".") || s.startsWith("/"));
      if (relativeImport !== undefined) {
        problems.push({
          ...at,
          message: `@example imports "${relativeImport}": write it as a user does, ` +
            `from "azure-quantum-notebook" or "azure-quantum-notebook/emulator"`,
        });
      }
      if (onlyImports(ex.code)) {
        problems.push({
          ...at,
          message: "@example has no statement besides imports and comments: show a call, or drop the example",
        });
      }
    }
  }
  return { problems, examples, files: files.length };
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("check_examples.mjs")) {
  const at = process.argv.indexOf("--root");
  const root = resolve(at > 0 ? process.argv[at + 1] : join(dirname(new URL(import.meta.url).pathname), ".."));
  const { problems, examples, files } = check(root);
  for (const p of problems) console.error(`${p.file}:${p.line}: ${p.message}`);
  if (problems.length === 0) {
    console.log(`examples: ${examples} in ${files} files, each on a public export, importing the package, with code`);
  }
  process.exit(problems.length > 0 ? 1 : 0);
}
