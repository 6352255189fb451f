/**
 * Where a device-code sign-in goes: the Microsoft Entra authority, and the CA trusted for it when
 * it is the emulator's (loopback). Read here, in the configuration layer, like every other
 * environment variable (`AZURE_AUTHORITY_HOST`, `AZURE_QUANTUM_EMULATOR_CA`).
 *
 * @module
 */

import { processEnv } from "../_builtins.ts";
import { authorityCa } from "./arm_settings.ts";
import type { EnvVariables } from "./client_options.ts";
import { isLoopbackAuthority } from "../connection/quantum_endpoint.ts";
import { DEFAULT_AUTHORITY_HOST } from "./device_code_credential.ts";

/** The emulator this kernel runs, as far as a sign-in needs it. */
export interface EmulatorAuthority {
  /** Its Microsoft Entra authority. */
  authorityHost: string;
  /** The PEM CA its listeners are signed by. */
  caCertificate: string;
}

/**
 * The authority: `options.authorityHost`, else the kernel's emulator's, else
 * `AZURE_AUTHORITY_HOST`, else Azure's public cloud. Its CA, only for a loopback authority:
 * `options.ca`, else the emulator's (when the authority is that emulator's), else the file
 * `AZURE_QUANTUM_EMULATOR_CA` names.
 *
 * @throws {ConfigurationError} when that CA file is unreadable.
 */
export function signInAuthority(
  options: { authorityHost?: string; ca?: string },
  emulator: EmulatorAuthority | undefined,
  env: EnvVariables = processEnv(),
): { authorityHost: string; ca: string | undefined } {
  const authorityHost =
    (options.authorityHost ?? emulator?.authorityHost ?? env.AZURE_AUTHORITY_HOST ??
      DEFAULT_AUTHORITY_HOST).replace(/\/+$/, "");
  if (!isLoopbackAuthority(authorityHost)) return { authorityHost, ca: undefined };
  const ca = options.ca ??
    (emulator && emulator.authorityHost.replace(/\/+$/, "") === authorityHost
      ? emulator.caCertificate
      : undefined) ??
    authorityCa({}, env);
  return { authorityHost, ca };
}
