// What the packed tarball must hold, checked on `npm pack --json`'s file list and on the installed
// package folder (the same bytes): only dist/, README.md, LICENSE and package.json; every entry
// point package.json names; every relative import of every shipped file resolvable inside the
// package; every bare import a dependency (or a Node built-in). Each check returns a list of
// problems (empty = fine), so .ci/pack_test.mjs prints them all.
import { builtinModules } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";

const ALLOWED = /^(package\.json|README\.md|LICENSE|dist\/.+\.(js|d\.ts))$/;
// Names that never belong in a package: tests, fixtures, build and editor leftovers.
const STRAY = /(^|\/)(test|tests|__tests__|fixtures|bench|notebooks|\.ci)\/|_test\.|\.test\.|\.spec\.|\.map$|\.tsbuildinfo$|\.log$|\.tgz$|(^|\/)\.env/;

/** Problems with the tarball's file list (`files` from `npm pack --json`). */
export function fileListProblems(files, pkg) {
  const paths = files.map((f) => f.path);
  const problems = [];
  for (const path of paths) {
    if (!ALLOWED.test(path)) problems.push(`unexpected file in the tarball: ${path}`);
    else if (STRAY.test(path)) problems.push(`stray file in the tarball: ${path}`);
  }
  const required = new Set(["package.json", "README.md", "LICENSE"]);
  for (const target of entryTargets(pkg)) required.add(posix.normalize(target));
  for (const path of required) {
    if (!paths.includes(path)) problems.push(`missing from the tarball: ${path} (named by package.json or required)`);
  }
  // Every shipped module has its declarations (TypeScript users import them all through mod.d.ts).
  for (const path of paths.filter((p) => p.endsWith(".js"))) {
    const dts = path.replace(/\.js$/, ".d.ts");
    if (!paths.includes(dts)) problems.push(`no declarations for ${path} (${dts})`);
  }
  return problems;
}

/** Every file package.json points at: main, types, bin, exports (all conditions), typesVersions. */
export function entryTargets(pkg) {
  const targets = [pkg.main, pkg.types, ...Object.values(pkg.bin ?? {})];
  const walk = (v) => (typeof v === "string" ? targets.push(v) : v && Object.values(v).forEach(walk));
  walk(pkg.exports);
  for (const map of Object.values(pkg.typesVersions ?? {})) for (const list of Object.values(map)) targets.push(...list);
  return targets.filter(Boolean).map((t) => t.replace(/^\.\//, ""));
}

// Static and dynamic imports and re-exports, in JavaScript and in declaration files.
const SPECIFIERS = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)(["'])([^"'\n]+)\1/g;

function stripComments(text) {
  // JSDoc examples quote imports a user writes; they are not the module's imports.
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/**
 * Problems with the imports of the installed package's files: a relative import that names no
 * shipped file, or a bare import that is neither a dependency nor a Node built-in.
 */
export function importProblems(packageDir, files, pkg) {
  const shipped = new Set(files.map((f) => f.path));
  // The package may name itself (Node resolves a self-reference through its exports).
  const deps = new Set([pkg.name, ...Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies })]);
  const builtins = new Set(builtinModules);
  const problems = [];
  for (const path of shipped) {
    if (!/\.(js|d\.ts)$/.test(path)) continue;
    const text = stripComments(readFileSync(join(packageDir, path), "utf8"));
    for (const [, , spec] of text.matchAll(SPECIFIERS)) {
      if (spec.startsWith(".")) {
        const target = posix.normalize(posix.join(dirname(path), spec));
        const candidates = path.endsWith(".d.ts")
          ? [target.replace(/\.js$/, ".d.ts"), `${target}.d.ts`]
          : [target];
        if (!candidates.some((c) => shipped.has(c))) problems.push(`${path}: "${spec}" is not in the tarball`);
        if (path.endsWith(".d.ts") && spec.endsWith(".ts")) problems.push(`${path}: "${spec}" ends in .ts (Deno cannot resolve it in a package)`);
      } else if (spec.startsWith("node:") || builtins.has(spec)) {
        continue;
      } else {
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
        if (!deps.has(name)) problems.push(`${path}: imports "${spec}", but "${name}" is not in dependencies`);
      }
    }
  }
  return problems;
}

/**
 * Problems with the README's links, which must work where the README is read without the
 * repository (npmjs.com, jsr.io): no relative link but a same-page anchor, and every link into the
 * repository naming a file or folder that exists in this checkout.
 */
export function readmeLinkProblems(readme, root, repository) {
  const repo = repository.replace(/^git\+/, "").replace(/\.git$/, "");
  const raw = repo.replace("https://github.com/", "https://raw.githubusercontent.com/");
  const problems = [];
  const text = readme.replace(/```[\s\S]*?```/g, ""); // code blocks hold no links
  for (const [, target] of text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)) {
    if (target.startsWith("#") || /^mailto:/.test(target)) continue;
    if (!/^https?:\/\//.test(target)) {
      problems.push(`README.md: relative link "${target}" (broken on a registry page: use ${repo}/blob/main/${target})`);
      continue;
    }
    const inRepo = new RegExp(`^(?:${escape(repo)}/(?:blob|tree)/main/|${escape(raw)}/main/)([^#?]+)`).exec(target);
    if (inRepo && !existsSync(join(root, decodeURIComponent(inRepo[1])))) {
      problems.push(`README.md: "${target}" names ${inRepo[1]}, which is not in the repository`);
    }
  }
  return problems;
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
