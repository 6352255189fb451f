#!/usr/bin/env node
// The layering rule of CONTRIBUTING.md, checked: every import under src/ and in mod.ts (static,
// `import type`, `export … from`, dynamic `import()` and `typeof import()`) goes to the importer's
// own folder or to a lower layer, and no two folders import each other (directly or round a
// cycle); and only src/config/ reads the environment (`processEnv()`). Node, no dependencies.
// Exit 0 when clean; 1 with one line per problem (`file:line: rule`); 2 for a file the table
// below does not place.
//
//   node .ci/check_layers.mjs [--root DIR]
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** Lowest first. A unit is a folder under src/, or one file (src/ root files, mod.ts). */
export const LAYERS = [
  [
    "src/_builtins.ts",
    "src/_text.ts",
    "src/errors.ts",
    "src/error_codes.ts",
    "src/request_errors.ts",
    "src/displayable.ts",
    "src/progress.ts",
    "src/version.ts",
  ],
  ["src/connection/"],
  ["src/config/"],
  ["src/http/"],
  ["src/arm/", "src/data_plane/"],
  ["src/render/"],
  ["src/entra/", "src/key_vault/"],
  ["src/keys/"],
  ["src/workspace/"],
  ["src/kernel/"],
  ["src/emulator/"],
  ["src/connect.ts", "src/encrypt_env_file.ts", "src/open_workspace.ts", "src/sign_in.ts", "src/start_emulator.ts"],
  ["src/demo/"],
  ["src/cli.ts", "mod.ts"],
];

/** The layer and unit of a repository path, or undefined when the table does not place it. */
export function place(path) {
  for (const [rank, entries] of LAYERS.entries()) {
    for (const entry of entries) {
      if (entry.endsWith("/") ? path.startsWith(entry) : path === entry) {
        // Root files of one layer are one unit: they may import each other.
        const unit = entry.endsWith("/") ? entry : `layer ${rank} root files`;
        return { rank, unit };
      }
    }
  }
  return undefined;
}

/**
 * The source with comments, string contents and regular expressions blanked (line breaks kept),
 * so that only real code is searched; the module specifiers are read from the original text.
 */
export function codeOnly(text) {
  const out = [...text];
  const blank = (from, to) => {
    for (let k = from; k < to; k++) if (out[k] !== "\n") out[k] = " ";
  };
  const braces = []; // per open template `${`: the brace depth to return at
  let depth = 0;
  let i = 0;
  let last = ""; // last significant code character, to tell a regex from a division
  const regexAfter = /[(,=:[!&|?{};+\-*%<>~^]/;
  const scanString = (quote) => {
    let j = i + 1;
    while (j < text.length && text[j] !== quote && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
    return j + 1;
  };
  const scanTemplate = (from) => {
    // From just after "`" or "}": up to the closing "`" (returns after it) or a "${" (after it).
    let j = from;
    while (j < text.length) {
      if (text[j] === "\\") j += 2;
      else if (text[j] === "`") return { end: j + 1, open: false };
      else if (text[j] === "$" && text[j + 1] === "{") return { end: j + 2, open: true };
      else j++;
    }
    return { end: j, open: false };
  };
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === "/" && next === "/") {
      const end = text.indexOf("\n", i);
      const stop = end < 0 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = text.indexOf("*/", i + 2);
      const stop = end < 0 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === "'" || c === '"') {
      const end = scanString(c);
      blank(i + 1, end - 1);
      i = end;
      last = c;
    } else if (c === "`") {
      const t = scanTemplate(i + 1);
      blank(i + 1, t.open ? t.end - 2 : t.end - 1);
      if (t.open) braces.push(depth++);
      i = t.end;
      last = "`";
    } else if (c === "}" && braces.length > 0 && depth - 1 === braces[braces.length - 1]) {
      braces.pop();
      depth--;
      const t = scanTemplate(i + 1);
      blank(i + 1, t.open ? t.end - 2 : t.end - 1);
      if (t.open) braces.push(depth++);
      i = t.end;
      last = "`";
    } else if (c === "/" && (last === "" || regexAfter.test(last) || /\b(return|typeof|in|of)\s*$/.test(text.slice(Math.max(0, i - 8), i)))) {
      let j = i + 1;
      let inClass = false;
      while (j < text.length && text[j] !== "\n") {
        if (text[j] === "\\") j++;
        else if (text[j] === "[") inClass = true;
        else if (text[j] === "]") inClass = false;
        else if (text[j] === "/" && !inClass) break;
        j++;
      }
      blank(i + 1, j);
      i = j + 1;
      last = "/";
    } else {
      if (c === "{") depth++;
      if (c === "}") depth--;
      if (!/\s/.test(c)) last = c;
      i++;
    }
  }
  return out.join("");
}

const SPECIFIER = [
  // import … from "x" / export … from "x" (also `import type`, multi-line lists)
  /\b(?:import|export)\s+(?:type\s+)?(?:[\w*${}\s,]+?\s+from\s*)?(["'])/g,
  // import("x"), typeof import("x"), await import("x")
  /\bimport\s*\(\s*(["'])/g,
];

/** The relative imports of one file: `{ line, specifier }`. */
export function importsOf(text) {
  const code = codeOnly(text);
  const found = [];
  for (const pattern of SPECIFIER) {
    for (const m of code.matchAll(pattern)) {
      const start = m.index + m[0].length; // the specifier starts after the quote
      const end = text.indexOf(m[1], start);
      const specifier = text.slice(start, end);
      if (!specifier.startsWith(".")) continue; // packages and node: built-ins
      const line = text.slice(0, start).split("\n").length;
      found.push({ line, specifier });
    }
  }
  return found.sort((a, b) => a.line - b.line);
}

/** The `.ts` files under `dir` (relative to `root`), as repository paths. */
export function filesUnder(root, dir) {
  const out = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = `${dir}/${name}`;
    if (statSync(join(root, path)).isDirectory()) out.push(...filesUnder(root, path));
    else if (name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** Every problem of the tree at `root`: `{ file, line, message }`, and `unplaced` files. */
export function check(root) {
  const files = [...filesUnder(root, "src"), "mod.ts"];
  const problems = [];
  const unplaced = [];
  const edges = new Map(); // unit -> Map(unit -> first "file:line")
  for (const file of files) {
    const from = place(file);
    if (!from) {
      unplaced.push(file);
      continue;
    }
    const text = readFileSync(join(root, file), "utf8");
    if (!file.startsWith("src/config/") && file !== "src/_builtins.ts") {
      for (const m of codeOnly(text).matchAll(/\bprocessEnv\s*\(/g)) {
        problems.push({
          file,
          line: text.slice(0, m.index).split("\n").length,
          message: "reads the environment (processEnv()) outside src/config/: configuration is read " +
            "only there (give a src/config/ function an env parameter that defaults to processEnv())",
        });
      }
    }
    for (const { line, specifier } of importsOf(text)) {
      const target = relative(root, resolve(root, dirname(file), specifier)).split("\\").join("/");
      const to = place(target);
      if (!to) {
        problems.push({
          file,
          line,
          message: `imports ${target}, which no layer holds (see .ci/check_layers.mjs)`,
        });
        continue;
      }
      if (to.unit === from.unit) continue;
      if (to.rank >= from.rank) {
        problems.push({
          file,
          line,
          message: `imports ${target} (layer ${to.rank}, ${to.unit}) from layer ${from.rank} ` +
            `(${from.unit}): a file may import only from its own folder or a lower layer`,
        });
      }
      if (!edges.has(from.unit)) edges.set(from.unit, new Map());
      if (!edges.get(from.unit).has(to.unit)) edges.get(from.unit).set(to.unit, `${file}:${line}`);
    }
  }
  for (const cycle of cycles(edges)) {
    const steps = cycle.map((unit, k) => {
      const next = cycle[(k + 1) % cycle.length];
      return `${unit} -> ${next} (${edges.get(unit).get(next)})`;
    });
    const [file, line] = edges.get(cycle[0]).get(cycle[1 % cycle.length]).split(":");
    problems.push({
      file,
      line: Number(line),
      message: `folder cycle: ${steps.join(", ")}: folders must not import each other`,
    });
  }
  return { problems, unplaced, files: files.length };
}

/** The strongly connected groups of more than one unit, each as a cycle through them. */
function cycles(edges) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const groups = [];
  let counter = 0;
  const visit = (v) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const group = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push(group);
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  // One cycle per group: walk edges inside the group from its first unit back to it.
  return groups.map((group) => {
    const inside = new Set(group);
    const path = [group[0]];
    const seen = new Set(path);
    for (;;) {
      const here = path[path.length - 1];
      const nexts = [...(edges.get(here)?.keys() ?? [])].filter((w) => inside.has(w));
      const back = nexts.find((w) => w === group[0]);
      if (back !== undefined && path.length > 1) return path;
      const fresh = nexts.find((w) => !seen.has(w)) ?? back;
      if (fresh === undefined || fresh === group[0]) return path;
      path.push(fresh);
      seen.add(fresh);
    }
  });
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("check_layers.mjs")) {
  const at = process.argv.indexOf("--root");
  const root = resolve(at > 0 ? process.argv[at + 1] : join(dirname(new URL(import.meta.url).pathname), ".."));
  const { problems, unplaced, files } = check(root);
  for (const file of unplaced) {
    console.error(`${file}: no layer holds this file: add its folder to LAYERS in .ci/check_layers.mjs and to CONTRIBUTING.md`);
  }
  for (const p of problems) console.error(`${p.file}:${p.line}: ${p.message}`);
  if (unplaced.length === 0 && problems.length === 0) {
    console.log(`layers: ${files} files, every import goes down or stays in its folder, no folder cycle`);
  }
  process.exit(unplaced.length > 0 ? 2 : problems.length > 0 ? 1 : 0);
}
