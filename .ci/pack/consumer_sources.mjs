// The files a user of the published package writes, each the smallest real use from one place:
// Node ESM and CommonJS, TypeScript (type-check only), Deno with an `npm:` specifier, and a short
// notebook for both kernels. Written into the temporary project by .ci/pack_test.mjs. Each script
// prints one JSON line as its last line of output.

// Starts an emulator, connects to it, lists targets and reads the key status (@azure/identity is
// loaded lazily for that: a missing dependency shows here), then renders the targets as text. ESM
// and Deno scripts do NOT stop the emulator: the process must still end by itself.
const FLOW = (emu, aqn) => `
const emulator = await ${emu}.startEmulator({ exportEnv: true });
const ws = await ${aqn}.connect({ progress: false });
const targets = await ws.listTargets();
const status = await ws.keys.status();
out.flow = {
  isEmulator: ws.info.isEmulator,
  targets: targets.length,
  text: String(targets).split("\\n")[0],
  keysEnabled: status.apiKeyEnabled,
  disposable: typeof emulator[Symbol.asyncDispose] === "function" && typeof ws[Symbol.asyncDispose] === "function",
};`;

export const ESM = `import * as aqn from "azure-quantum-notebook";
import * as emu from "azure-quantum-notebook/emulator";
import { createRequire } from "node:module";
const out = { exports: Object.keys(aqn).sort(), emulatorExports: Object.keys(emu).sort() };
out.version = createRequire(import.meta.url)("azure-quantum-notebook/package.json").version;
${FLOW("emu", "aqn")}
console.log(JSON.stringify(out));
// No emulator.stop(): the emulator must not keep this process alive.
`;

export const CJS = `"use strict";
const aqn = require("azure-quantum-notebook");
const emu = require("azure-quantum-notebook/emulator");
const out = { exports: Object.keys(aqn).sort(), emulatorExports: Object.keys(emu).sort() };
(async () => {
  const emulator = await emu.startEmulator();
  const ws = await aqn.connect({ connectionString: emulator.connectionString, ca: emulator.caCertificate, envFile: false, progress: false });
  out.flow = { isEmulator: ws.info.isEmulator, targets: (await ws.listTargets()).length };
  await emulator.stop();
  console.log(JSON.stringify(out));
})().catch((e) => { console.log(JSON.stringify({ error: String(e && e.stack || e) })); process.exitCode = 1; });
`;

// Type-checked only. Every import is used with its real type; each @ts-expect-error fails the
// check if the declarations were missing (everything would be \`any\`) or wrong.
export const TYPES = `import {
  connect,
  display,
  ErrorCode,
  isQuantumError,
  parseConnectionString,
  Settings,
  type ConnectionInfo,
  type DisplayOptions,
  type KeySlot,
  type KeyToggleOptions,
  type ProgressSink,
  type RegenerateOptions,
  type RetryOptions,
  type RotateOptions,
  type TargetList,
  type Workspace,
} from "azure-quantum-notebook";
import { startEmulator, type Emulator, type EmulatorOptions } from "azure-quantum-notebook/emulator";

export async function main(): Promise<number> {
  const options: EmulatorOptions = { keyPropagationDelayMs: 0 };
  const emulator: Emulator = await startEmulator(options);
  const ws: Workspace = await connect({ connectionString: emulator.connectionString, ca: emulator.caCertificate });
  const targets: TargetList = await ws.listTargets({ provider: "ionq" });
  await display(targets);
  const info: ConnectionInfo = parseConnectionString(emulator.connectionString);
  // @ts-expect-error: a workspace name is a string
  const wrong: number = info.workspaceName;
  // @ts-expect-error: not an option of startEmulator
  await startEmulator({ notAnOption: true });
  await emulator[Symbol.asyncDispose]();
  return isQuantumError(wrong) ? 1 : targets.length;
}

// The option types users hold (the first six once failed with TS2305: not exported), the error
// codes and the settings: dropping any of them from mod.ts fails this check.
export async function options(ws: Workspace): Promise<ErrorCode> {
  const retry: RetryOptions = { maxRetries: 2, maxDelayMs: 5_000 };
  const progress: ProgressSink = {
    start: () => ({ update() {}, done: async () => {}, fail: async () => {} }),
  };
  const again: Workspace = await connect({ retry, progress });
  const settings: Settings = again.settings;
  const slot: KeySlot = "secondary";
  const toggle: KeyToggleOptions = { confirm: true };
  const regenerate: RegenerateOptions = { confirm: true, envFile: false };
  const rotate: RotateOptions = { confirm: true, graceMs: 0 };
  await ws.keys.disable(toggle);
  await ws.keys.regenerate(slot, regenerate);
  await ws.keys.rotate(rotate);
  const shown: DisplayOptions = { displayId: "keys", update: true };
  await display(await ws.keys.status(), shown);
  // @ts-expect-error: not a slot
  const bad: KeySlot = "tertiary";
  return settings instanceof Settings && bad ? ErrorCode.Unauthorized : ErrorCode.ConnectionNotFound;
}
`;

// The same from CommonJS TypeScript: \`import … = require()\` of the ESM package, which TypeScript
// allows under module nodenext (Node's require(esm)), not under node16.
export const TYPES_CJS = `import aqn = require("azure-quantum-notebook");
import emu = require("azure-quantum-notebook/emulator");
export async function main(): Promise<number> {
  const emulator: emu.Emulator = await emu.startEmulator();
  const ws: aqn.Workspace = await aqn.connect({ connectionString: emulator.connectionString });
  // @ts-expect-error: a workspace name is a string
  const wrong: number = ws.info.workspaceName;
  await emulator.stop();
  return wrong;
}
`;

export const TSCONFIGS = {
  nodenext: { module: "nodenext", moduleResolution: "nodenext", files: ["types.mts", "types_cjs.cts"] },
  node16: { module: "node16", moduleResolution: "node16", files: ["types.mts"] },
  bundler: { module: "esnext", moduleResolution: "bundler", files: ["types.mts"] },
};

export function tsconfig({ module, moduleResolution, files }) {
  return {
    compilerOptions: {
      target: "es2022",
      lib: ["es2023", "dom"],
      module,
      moduleResolution,
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: ["node"],
    },
    files,
  };
}

export const DENO = `import * as aqn from "npm:azure-quantum-notebook";
import * as emu from "npm:azure-quantum-notebook/emulator";
const out: Record<string, unknown> = { exports: Object.keys(aqn).sort(), emulatorExports: Object.keys(emu).sort() };
${FLOW("emu", "aqn")}
console.log(JSON.stringify(out));
`;

/** A short notebook, the same source for both kernels, in the format .ci/run_notebooks.py runs. */
export function notebook() {
  const code = (source, expectHtml) => ({
    cell_type: "code",
    execution_count: null,
    metadata: expectHtml ? { aqn: { expect: "text/html" } } : {},
    outputs: [],
    source,
  });
  return {
    cells: [
      { cell_type: "markdown", metadata: {}, source: "# From the installed package" },
      code('import { connect, display } from "azure-quantum-notebook";\nconst ws = await connect({ emulator: "auto" });\nawait display(ws);', true),
      code('import { startEmulator } from "azure-quantum-notebook/emulator";\nawait display(await ws.listTargets());\nconsole.log(typeof startEmulator);', true),
      code("await ws.close();", false),
    ],
    metadata: {
      kernelspec: { name: "deno", display_name: "Deno", language: "typescript" },
      language_info: { name: "typescript" },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}
