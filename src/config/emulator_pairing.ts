/**
 * Settings that must agree with the connection on where the workspace is. A loopback (the local
 * emulator's) Resource Manager endpoint, Key Vault or managed-identity endpoint goes with an emulator
 * connection only, and an Azure one with an Azure connection only. The emulator exports its variables
 * into the kernel's environment (`connect({ emulator: "auto" })`); left there next to an Azure
 * connection read from a `.env`, they would send Azure's key or token to the emulator (a process of
 * this machine that stops with the kernel), or the emulator's to Azure.
 *
 * @module
 */

import type { ConnectionInfo } from "../connection/connection_info.ts";
import { ConfigurationError } from "../errors.ts";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/** True when `url` is an http(s) URL whose host is this machine (where the emulator listens). */
export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK.has(new URL(url).hostname.toLowerCase());
  } catch {
    return false;
  }
}

/** What a pairing check reads of the connection. */
export type PairedConnection = Pick<ConnectionInfo, "isEmulator" | "endpoint" | "sources">;

/**
 * Whether the connection is the emulator's; `undefined` while its endpoint is still to be asked of
 * Resource Manager (Entra ID with only a location): the ARM endpoint then decides where it is.
 */
export function emulatorConnection(connection: PairedConnection): boolean | undefined {
  return connection.sources.endpoint === "derived from location" ? undefined : connection.isEmulator;
}

/** A setting to check: its variable, value and where the value came from. */
export interface PairedSetting {
  /** The variable or option, e.g. `"AZURE_QUANTUM_ARM_ENDPOINT"`. */
  variable: string;
  /** The URL. */
  value: string;
  /** Where it came from, e.g. `"env AZURE_QUANTUM_ARM_ENDPOINT"`. */
  source: string;
  /** How to fix it (the message's last sentence), given whether the connection is the emulator's. */
  fix?: string | ((emulator: boolean) => string);
}

/**
 * Refuses a setting that points at the emulator for an Azure connection, or at Azure for an
 * emulator connection. Nothing to check while the connection's place is not known yet.
 *
 * @throws {ConfigurationError} `EmulatorMismatch`, naming the variable, its source and the fix.
 */
export function checkPairing(doing: string, setting: PairedSetting, connection: PairedConnection): void {
  const emulator = emulatorConnection(connection);
  if (emulator === undefined || isLoopbackUrl(setting.value) === emulator) return;
  const { variable, value, source } = setting;
  const fix = typeof setting.fix === "function" ? setting.fix(emulator) : setting.fix;
  const from = source === "default" ? "by default" : `from ${source}`;
  throw new ConfigurationError(
    "EmulatorMismatch",
    emulator
      ? `Cannot ${doing}: ${variable} is "${value}" (${from}), in Azure, but the connection is to the local ` +
        `emulator at ${connection.endpoint}. ${
          fix ?? `Set ${variable} to the emulator's (its env file has it), or unset it`
        }`
      : `Cannot ${doing}: ${variable} is "${value}" (${from}), the local emulator's, but the connection is to ` +
        `the Azure workspace at ${connection.endpoint}. ${
          fix ??
            `Unset ${variable} in the environment (connect({ emulator: "auto" }) exports it), or set it for ` +
              `Azure in the .env that holds the connection`
        }`,
  );
}
