/** Where output goes: Deno's Jupyter kernel, tslab's kernel, or a plain terminal/REPL/test. */
export type KernelName = "deno" | "tslab" | "none";

/** The part of `Deno.jupyter` the adapters use. */
export interface DenoJupyterApi {
  display(
    value: unknown,
    options?: { raw?: boolean; update?: boolean; display_id?: string },
  ): Promise<void>;
}

/** tslab's display writer: `update` sends `update_display_data` instead of `display_data`. */
export type TslabWriter = (
  message: { data: Record<string, unknown>; metadata: object; transient: { display_id?: string } },
  update: boolean,
) => void;

const TSLAB_JUPYTER = /[\\/]tslab[\\/]dist[\\/]jupyter\.js$/;

/**
 * `Deno.jupyter` inside `deno jupyter`, else `undefined`. Its getter throws outside the kernel
 * (even under `typeof`), hence the try.
 *
 * @internal
 */
export function denoJupyter(): DenoJupyterApi | undefined {
  const D = (globalThis as { Deno?: { jupyter?: unknown } }).Deno;
  if (!D) return undefined;
  try {
    const j = D.jupyter as DenoJupyterApi | undefined;
    return typeof j?.display === "function" ? j : undefined;
  } catch {
    return undefined;
  }
}

function moduleCache(): Record<string, { exports?: unknown } | undefined> {
  const p = (globalThis as { process?: any }).process;
  if (!p?.versions?.node) return {};
  // process.getBuiltinModule: Node >= 20.16, and it works from ESM without import.meta.
  const mod = p.getBuiltinModule?.("module");
  if (mod?._cache) return mod._cache;
  try {
    return mod?.createRequire?.(`${p.cwd()}/`)?.cache ?? {};
  } catch {
    return {};
  }
}

/**
 * tslab's `lastWriteDisplayData`, taken from the kernel's own copy of `tslab/dist/jupyter.js` in
 * Node's module cache; `undefined` outside tslab. Requiring `tslab` here would load a second copy
 * whose writer is never set.
 *
 * @internal
 */
export function tslabWriter(): TslabWriter | undefined {
  if ((globalThis as { Deno?: unknown }).Deno) return undefined;
  try {
    for (const [file, m] of Object.entries(moduleCache())) {
      if (!TSLAB_JUPYTER.test(file)) continue;
      const w = (m?.exports as { lastWriteDisplayData?: unknown } | undefined)
        ?.lastWriteDisplayData;
      if (typeof w === "function") return w as TslabWriter;
    }
  } catch {
    // A strange module cache is no reason to fail a display.
  }
  return undefined;
}

/**
 * Which kernel this code runs in. Never throws: `"deno"` inside `deno jupyter`, `"tslab"` inside
 * a tslab kernel (once a cell runs), `"none"` everywhere else (`deno run`, `deno test`, Node,
 * vitest, the REPLs).
 *
 * @returns The kernel name.
 *
 * @example Branching on the kernel
 * ```ts
 * import { detectKernel } from "azure-quantum-notebook";
 * if (detectKernel() === "none") console.log("not in a notebook");
 * ```
 */
export function detectKernel(): KernelName {
  if (denoJupyter()) return "deno";
  if (tslabWriter()) return "tslab";
  return "none";
}
