import { fs, parseDotenv } from "../_builtins.ts";
import type { ConnectionInfo } from "../connection/connection_info.ts";
import { ConfigurationError } from "../errors.ts";

/** Environment variable naming the emulator's CA certificate (PEM file). */
export const EMULATOR_CA_VARIABLE = "AZURE_QUANTUM_EMULATOR_CA";
/** Environment variable overriding the Azure Resource Manager endpoint. */
export const ARM_ENDPOINT_VARIABLE = "AZURE_QUANTUM_ARM_ENDPOINT";
/** Azure Resource Manager in the public cloud. */
export const DEFAULT_ARM_ENDPOINT = "https://management.azure.com";

/** The process environment in Node and Deno (Deno 2 also has `process.env`). */
export function processEnv(): Record<string, string | undefined> {
  return (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
}

/**
 * A setting from the environment, else from the `.env` file the connection was loaded from.
 *
 * @example Usage
 * ```ts
 * import { readSetting } from "./environment_settings.ts";
 * readSetting("AZURE_QUANTUM_ARM_ENDPOINT", undefined, { AZURE_QUANTUM_ARM_ENDPOINT: "https://x" }); // "https://x"
 * ```
 */
export function readSetting(
  name: string,
  info: ConnectionInfo | undefined,
  env: Record<string, string | undefined> = processEnv(),
): string | undefined {
  if (env[name]) return env[name];
  const path = info?.envFilePath;
  if (!path) return undefined;
  try {
    return parseDotenv(fs().readFileSync(path, "utf8"))[name] || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The PEM to trust for an emulator connection: the explicit one, else the file named by
 * `AZURE_QUANTUM_EMULATOR_CA`. Only loopback (emulator) endpoints ever get a custom CA.
 *
 * @example Usage
 * ```ts
 * import { resolveEmulatorCa } from "./environment_settings.ts";
 * const ca = resolveEmulatorCa(info, { env: process.env });
 * ```
 */
export function resolveEmulatorCa(
  info: ConnectionInfo,
  options: { ca?: string; env?: Record<string, string | undefined> } = {},
): string | undefined {
  if (!info.isEmulator) return undefined;
  return emulatorCa(info, options.ca, options.env, `the emulator at ${info.endpoint}`);
}

/**
 * `ca` if given, else the PEM in the file named by `AZURE_QUANTUM_EMULATOR_CA` (environment, then
 * the connection's `.env`), else undefined. `what` names the endpoint in the error.
 *
 * @example Usage
 * ```ts
 * import { emulatorCa } from "./environment_settings.ts";
 * const pem = emulatorCa(undefined, undefined, process.env, "the emulator's ARM endpoint");
 * ```
 */
export function emulatorCa(
  info: ConnectionInfo | undefined,
  ca: string | undefined,
  env: Record<string, string | undefined> | undefined,
  what: string,
): string | undefined {
  if (ca) return ca;
  const file = readSetting(EMULATOR_CA_VARIABLE, info, env);
  if (!file) return undefined;
  try {
    return fs().readFileSync(file, "utf8");
  } catch (e) {
    throw new ConfigurationError(
      "EmulatorCaUnreadable",
      `Cannot trust ${what}: ${EMULATOR_CA_VARIABLE} names '${file}', which cannot be read ` +
        `(${(e as { code?: string }).code ?? "error"}). Restart the emulator and load the env file it writes`,
    );
  }
}
