import type { Emulator, EmulatorOptions } from "./emulator/mod.ts";

/**
 * Starts the local HTTPS emulator of Azure Quantum (data plane, Resource Manager and a
 * managed-identity token endpoint). The emulator's code (and its X.509 library) is imported on
 * first call, so importing this package stays cheap. Same as `startEmulator` from
 * `azure-quantum-notebook/emulator`.
 *
 * @example Start it, export its settings into this process, and connect
 * ```ts
 * import { connect, startEmulator } from "azure-quantum-notebook";
 * const emulator = await startEmulator({ exportEnv: true });
 * const ws = await connect();
 * await emulator.stop();
 * ```
 */
export async function startEmulator(options?: EmulatorOptions): Promise<Emulator> {
  const emulator = await import("./emulator/mod.ts");
  return emulator.startEmulator(options);
}

// One emulator per process (kernel), kept on globalThis under a registry symbol: a second copy of
// this module (a re-imported or differently resolved one) finds the same emulator.
const KERNEL_EMULATOR = Symbol.for("azure-quantum-notebook.kernelEmulator");

interface KernelEmulatorSlot {
  emulator?: Emulator;
  starting?: Promise<Emulator>;
}

function slot(): KernelEmulatorSlot {
  const g = globalThis as { [KERNEL_EMULATOR]?: KernelEmulatorSlot };
  g[KERNEL_EMULATOR] ??= {};
  return g[KERNEL_EMULATOR];
}

/**
 * The emulator `connect({ emulator: "auto" })` started in this process, while it runs.
 *
 * @example Usage
 * ```ts
 * import { connect, kernelEmulator } from "azure-quantum-notebook";
 * const ws = await connect({ emulator: "auto" });
 * kernelEmulator()?.endpoint; // "https://127.0.0.1:<port>/" when nothing else was configured
 * ```
 */
export function kernelEmulator(): Emulator | undefined {
  const emulator = slot().emulator;
  return emulator?.running ? emulator : undefined;
}

/**
 * This process's emulator: the running one, or a new one started with its variables exported into
 * `process.env` (restored by its `stop()`) and the state file `AZURE_QUANTUM_EMULATOR_STATE` names,
 * if any; its managed identity is Owner of the resource group. Calls made while it starts share
 * the start. It outlives the call that started it (no `signal`): `stop()` or closing a workspace on
 * it ends it.
 *
 * @internal
 */
export async function startKernelEmulator(): Promise<{ emulator: Emulator; started: boolean }> {
  const running = kernelEmulator();
  if (running) return { emulator: running, started: false };
  const s = slot();
  if (!s.starting) {
    // Its identity owns the resource group, as whoever created a workspace usually does: it can
    // manage keys and assign roles (readiness.fix()), and has no data role until it assigns one.
    s.starting = import("./config/emulator_state_variable.ts")
      .then(({ emulatorStateFile }) =>
        startEmulator({ exportEnv: true, stateFile: emulatorStateFile(), role: "Owner" })
      )
      .then((emulator) => (s.emulator = emulator))
      .finally(() => (s.starting = undefined));
  }
  return { emulator: await s.starting, started: true };
}
