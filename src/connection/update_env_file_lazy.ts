import type { EnvFileUpdateResult, UpdateEnvFileOptions } from "./env_file_writer.ts";
import type { Secret } from "./secret.ts";

/**
 * Sets (or replaces) one variable in a `.env` file, keeping every other line, comment and blank
 * line (see `env_file_writer.ts`: temp file 0600, fsync, rename; a warning when the file is not
 * ignored by git). The writer (with `node:child_process` for the git check) is imported on first
 * call, so importing the package stays cheap (bench/ row 1).
 *
 * @throws {EnvFileError} (`EnvFileReadFailed`, `EnvFileWriteFailed`, `EnvFileValueUnsupported`):
 * the file is left untouched and the message never holds the value.
 * @throws {TypeError} when `name` is not a valid variable name.
 * @example Usage
 * ```ts
 * import { Secret, updateEnvFile } from "azure-quantum-notebook";
 * const result = await updateEnvFile(".env", "AZURE_QUANTUM_CONNECTION_STRING", new Secret("…"));
 * for (const warning of result.warnings) console.log(warning);
 * ```
 */
export async function updateEnvFile(
  path: string,
  name: string,
  value: string | Secret,
  options?: UpdateEnvFileOptions,
): Promise<EnvFileUpdateResult> {
  const writer = await import("./env_file_writer.ts");
  return writer.updateEnvFile(path, name, value, options);
}
