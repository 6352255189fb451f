/**
 * The one environment variable `connect({ emulator: "auto" })` reads for the emulator it starts:
 * a state file to load keys from and write them back to. CI sets it to know which keys exist (its
 * notebook scan looks for them in every output); notebook code never has to.
 *
 * @module
 */

import { processEnv } from "../_builtins.ts";
import type { EnvVariables } from "./client_options.ts";

/** Names the state file of the emulator that `connect({ emulator: "auto" })` starts. */
export const EMULATOR_STATE_VARIABLE = "AZURE_QUANTUM_EMULATOR_STATE";

/** The state file `env` (default: the process environment) names for an auto-started emulator, if any. */
export function emulatorStateFile(env: EnvVariables = processEnv()): string | undefined {
  return env[EMULATOR_STATE_VARIABLE]?.trim() || undefined;
}
