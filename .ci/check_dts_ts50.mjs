// tslab type-checks notebook cells with its own TypeScript 5.0 and Node10 resolution: prove the
// published declarations (dist/*.d.ts, through package.json "types") type-check there.
import { createRequire } from "node:module";
import { mkdtempSync, writeFileSync, symlinkSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const require = createRequire(import.meta.url);
const ts = require("@tslab/typescript-for-tslab");
const root = resolve(".");
const dir = mkdtempSync(join(tmpdir(), "aqn-ts50-"));
try {
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(root, join(dir, "node_modules", "azure-quantum-notebook"));
  const file = join(dir, "cell.ts");
  writeFileSync(file, [
    'import * as aq from "azure-quantum-notebook";',
    "const names: string[] = Object.keys(aq);",
    "export { names };",
  ].join("\n"));
  const program = ts.createProgram([file], {
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.NodeJs,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    esModuleInterop: true,
    skipLibCheck: false,
    types: ["node"],
    typeRoots: [join(root, "node_modules", "@types")],
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => !d.file || !/node_modules[\\/](?!azure-quantum-notebook)/.test(d.file.fileName));
  for (const d of diagnostics) {
    const where = d.file ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : "";
    console.error(where + ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  }
  console.log(`TypeScript ${ts.version}: ${diagnostics.length} problem(s) type-checking a cell that imports azure-quantum-notebook`);
  process.exitCode = diagnostics.length ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
