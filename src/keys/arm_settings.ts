import type { ConnectionInfo } from "../connection/connection_info.ts";
import { ConfigurationError } from "../errors.ts";
import {
  ARM_ENDPOINT_VARIABLE,
  DEFAULT_ARM_ENDPOINT,
  emulatorCa,
  processEnv,
  readSetting,
} from "../workspace/environment_settings.ts";

/**
 * ARM api-version used by default (reference §3.1: the Python SDK's and the CLI's).
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_ARM_API_VERSION } from "./arm_settings.ts";
 * DEFAULT_ARM_API_VERSION; // "2025-12-15-preview"
 * ```
 */
export const DEFAULT_ARM_API_VERSION = "2025-12-15-preview";
/**
 * Token scope for ARM; the emulator accepts tokens for it too.
 *
 * @example Usage
 * ```ts
 * import { DEFAULT_ARM_SCOPE } from "./arm_settings.ts";
 * DEFAULT_ARM_SCOPE; // "https://management.azure.com/.default"
 * ```
 */
export const DEFAULT_ARM_SCOPE = "https://management.azure.com/.default";

/**
 * What decides where ARM is and how to reach it.
 *
 * @example Usage
 * ```ts
 * import type { ArmSettingsOptions } from "./arm_settings.ts";
 * const options: ArmSettingsOptions = { armApiVersion: "2025-12-15-preview" };
 * ```
 */
export interface ArmSettingsOptions {
  /** @default AZURE_QUANTUM_ARM_ENDPOINT (environment, then the connection's `.env`), else https://management.azure.com */
  armEndpoint?: string;
  /** @default "https://management.azure.com/.default", also for an overridden endpoint */
  armScope?: string;
  /** @default "2025-12-15-preview" */
  armApiVersion?: string;
  /** PEM CA for a loopback ARM endpoint (the emulator). @default the file named by AZURE_QUANTUM_EMULATOR_CA */
  ca?: string;
  /** @default the process environment */
  env?: Record<string, string | undefined>;
}

/**
 * The resolved ARM settings.
 *
 * @example Usage
 * ```ts
 * import type { ArmSettings } from "./arm_settings.ts";
 * const isLocal = (s: ArmSettings) => s.ca !== undefined;
 * ```
 */
export interface ArmSettings {
  /** Without a trailing slash. */
  endpoint: string;
  scope: string;
  apiVersion: string;
  /** Set only for a loopback endpoint. */
  ca: string | undefined;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

/**
 * Resolves the ARM endpoint (option > `AZURE_QUANTUM_ARM_ENDPOINT` > public cloud), scope,
 * api-version, and, for a loopback endpoint only, the emulator CA to trust.
 *
 * @param info The connection (its `.env` may name the endpoint and the CA).
 * @param options Explicit settings.
 * @returns The settings.
 * @throws {ConfigurationError} when the endpoint is not an https URL or the CA file is unreadable.
 *
 * @example Usage
 * ```ts
 * import { resolveArmSettings } from "./arm_settings.ts";
 * const s = resolveArmSettings(undefined, { env: {} });
 * s.endpoint; // "https://management.azure.com"
 * ```
 */
export function resolveArmSettings(
  info: ConnectionInfo | undefined,
  options: ArmSettingsOptions = {},
): ArmSettings {
  const env = options.env ?? processEnv();
  const raw = options.armEndpoint ?? readSetting(ARM_ENDPOINT_VARIABLE, info, env) ??
    DEFAULT_ARM_ENDPOINT;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    url = new URL("invalid:");
  }
  if (url.protocol !== "https:") {
    throw new ConfigurationError(
      "ArmEndpointInvalid",
      `Cannot manage access keys: the ARM endpoint '${raw}' is not an https URL. ` +
        `Set ${ARM_ENDPOINT_VARIABLE} (or armEndpoint) to e.g. ${DEFAULT_ARM_ENDPOINT}`,
    );
  }
  const endpoint = `${url.origin}${url.pathname}`.replace(/\/+$/, "");
  return {
    endpoint,
    scope: options.armScope ?? DEFAULT_ARM_SCOPE,
    apiVersion: options.armApiVersion ?? DEFAULT_ARM_API_VERSION,
    ca: LOOPBACK.has(url.hostname) ? emulatorCa(info, options.ca, env, "the emulator's ARM endpoint") : undefined,
  };
}
