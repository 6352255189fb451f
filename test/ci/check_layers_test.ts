import { describe, expect, it } from "vitest";
import { join, resolve } from "node:path";
// @ts-ignore: a plain .mjs script without types
import { importsOf } from "../../.ci/check_layers.mjs";
import { run as runScript, tree as plant } from "./_script_tree.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const SCRIPT = join(ROOT, ".ci/check_layers.mjs");

const tree = (files: Record<string, string>) => plant({ "mod.ts": "", ...files });
const run = (root: string) => runScript(SCRIPT, root);

describe(".ci/check_layers.mjs", () => {
  it("passes on this repository", () => {
    expect(run(ROOT)).toMatchObject({ code: 0 });
  });

  it("fails on an import from a higher layer, naming file, line and rule", () => {
    const root = tree({
      "src/workspace/workspace.ts": 'export const w = 1;\n',
      "src/keys/key_manager.ts": '// keys\nimport type { w } from "../workspace/workspace.ts";\n',
    });
    const { code, out } = run(root);
    expect(code).toBe(1);
    expect(out).toContain(
      "src/keys/key_manager.ts:2: imports src/workspace/workspace.ts (layer 8, src/workspace/) from " +
        "layer 7 (src/keys/): a file may import only from its own folder or a lower layer",
    );
  });

  it("fails on a cycle between two folders of the same layer, dynamic imports included", () => {
    const root = tree({
      "src/arm/a.ts": 'export const a = () => import("../data_plane/b.ts");\n',
      "src/data_plane/b.ts": 'import { a } from "../arm/a.ts";\n',
    });
    const { code, out } = run(root);
    expect(code).toBe(1);
    expect(out).toMatch(/folder cycle: src\/(arm|data_plane)\/ -> /);
  });

  it("fails on the environment read outside src/config/, not on a comment or string naming it", () => {
    const root = tree({
      "src/_builtins.ts": "export function processEnv() { return {}; }\n",
      "src/config/settings.ts": 'import { processEnv } from "../_builtins.ts";\nexport const env = processEnv();\n',
      "src/sign_in.ts": 'import { processEnv } from "./_builtins.ts";\n// processEnv() here\n' +
        'const s = "processEnv()";\nconst host = processEnv().AZURE_AUTHORITY_HOST;\n',
    });
    expect(run(root)).toEqual({
      code: 1,
      out: "src/sign_in.ts:4: reads the environment (processEnv()) outside src/config/: configuration is " +
        "read only there (give a src/config/ function an env parameter that defaults to processEnv())\n",
    });
  });

  it("fails on a file no layer holds", () => {
    expect(run(tree({ "src/stray/x.ts": "" })).code).toBe(2);
  });

  it("reads static, type, re-export, dynamic and typeof imports; not comments or strings", () => {
    const text = [
      'import { a } from "./a.ts";',
      'import type {\n  B,\n} from "./b.ts";',
      'export { c } from "./c.ts";',
      'const d = await import("./d.ts");',
      'type E = typeof import("./e.ts");',
      '/** import { x } from "./comment.ts"; */',
      'const s = "import { y } from \'./string.ts\'";',
      "const r = /[\"'`]/g; // import { z } from \"./regex.ts\"",
      'const t = `${"x"} import("./template.ts")`;',
    ].join("\n");
    expect(importsOf(text).map((i: { specifier: string }) => i.specifier)).toEqual([
      "./a.ts",
      "./b.ts",
      "./c.ts",
      "./d.ts",
      "./e.ts",
    ]);
  });
});
