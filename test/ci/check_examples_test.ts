import { describe, expect, it } from "vitest";
import { join, resolve } from "node:path";
import { run as runScript, tree as plant } from "./_script_tree.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const SCRIPT = join(ROOT, ".ci/check_examples.mjs");

const tree = (files: Record<string, string>) =>
  plant({
    "mod.ts": 'export { connect, Workspace } from "./src/connect.ts";\n',
    "src/emulator/mod.ts": 'export { startEmulator } from "./start.ts";\n',
    ...files,
  });
const run = (root: string) => runScript(SCRIPT, root);

/** A JSDoc block with one example holding `code`. */
const doc = (code: string[]) =>
  [
    "/**",
    " * Does it.",
    " *",
    " * @example Usage",
    " * ```ts",
    ...code.map((l) => ` * ${l}`),
    " * ```",
    " */",
  ]
    .join("\n") + "\n";

const CALL = ['import { connect } from "azure-quantum-notebook";', "const ws = await connect();"];

describe(".ci/check_examples.mjs", () => {
  it("passes on this repository", () => {
    expect(run(ROOT)).toMatchObject({ code: 0 });
  });

  it("passes public examples written as a user writes them, members of public classes included", () => {
    const root = tree({
      "src/connect.ts": doc(CALL) + "export async function connect() {}\n" +
        "/** A workspace. */\nexport class Workspace {\n  " + doc(CALL).replaceAll("\n", "\n  ") +
        "list() {}\n}\n",
      "src/emulator/start.ts": doc([
        'import { startEmulator } from "azure-quantum-notebook/emulator";',
        "await (await startEmulator()).stop();",
      ]) + "export async function startEmulator() {}\n",
    });
    expect(run(root)).toEqual({
      code: 0,
      out: "examples: 3 in 4 files, each on a public export, importing the package, with code\n",
    });
  });

  it("fails on an example that imports a relative path", () => {
    const root = tree({
      "src/connect.ts": doc(['import { connect } from "./connect.ts";', "await connect();"]) +
        "export async function connect() {}\n",
    });
    expect(run(root)).toEqual({
      code: 1,
      out: 'src/connect.ts:4: @example imports "./connect.ts": write it as a user does, ' +
        'from "azure-quantum-notebook" or "azure-quantum-notebook/emulator"\n',
    });
  });

  it("fails on an example with nothing but imports and comments", () => {
    const root = tree({
      "src/connect.ts": doc([
        'import { connect } from "azure-quantum-notebook";',
        "// const ws = await connect();",
      ]) +
        "export async function connect() {}\n",
    });
    expect(run(root)).toEqual({
      code: 1,
      out:
        "src/connect.ts:4: @example has no statement besides imports and comments: show a call, or drop the example\n",
    });
  });

  it("fails on an example on an internal symbol, and on an internal file's module doc", () => {
    const root = tree({
      "src/connect.ts": "export async function connect() {}\n",
      "src/emulator/arm_keys.ts": doc(CALL) + "export function listKeys() {}\n",
      "src/emulator/paths.ts": doc(CALL).replace(" */", " * @module\n */"),
    });
    expect(run(root)).toEqual({
      code: 1,
      out:
        'src/emulator/arm_keys.ts:4: @example on "listKeys", which mod.ts and src/emulator/mod.ts do not ' +
        "export: examples belong to the public surface only (internal code gets a one-line doc)\n" +
        "src/emulator/paths.ts:4: @example on the module doc of an internal file: examples belong to the " +
        "public surface only (internal code gets a one-line doc)\n",
    });
  });
});
