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
