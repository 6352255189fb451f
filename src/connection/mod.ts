/**
 * The connection layer: parse, format and validate Azure Quantum connection strings, load a
 * connection from arguments, environment and `.env`, hold keys as {@link Secret}, and update
 * `.env` files safely.
 *
 * @example Usage
 * ```ts
 * import { loadConnection } from "./mod.ts";
 * const info = loadConnection({
 *   env: {
 *     AZURE_QUANTUM_CONNECTION_STRING:
 *       "SubscriptionId=11111111-2222-3333-4444-555555555555;ResourceGroupName=rg;" +
 *       "WorkspaceName=ws;ApiKey=k;QuantumEndpoint=https://eastus.quantum.azure.com/;",
 *   },
 *   envFile: false,
 * });
 * console.log(info.workspaceName, `${info.apiKey}`); // ws ••••••••  sha256:…
 * ```
 *
 * @module
 */

export type {
  ConnectionField,
  ConnectionInfo,
  KeySource,
  WorkspaceKind,
} from "./connection_info.ts";
export { fingerprint, isSecret, Secret } from "./secret.ts";
export { AZURE_REGIONS, isAzureRegion } from "./azure_regions.ts";
export {
  normalizeLocation,
  validateField,
  validateLocation,
  validateResourceGroup,
  validateSubscriptionId,
  validateWorkspaceName,
} from "./validate_fields.ts";
export {
  EMULATOR_LOCATION,
  parseQuantumEndpoint,
  type ParseQuantumEndpointOptions,
  type QuantumEndpoint,
} from "./quantum_endpoint.ts";
export { formatConnectionString, parseConnectionString } from "./connection_string.ts";
export { CONNECTION_FIELD_VARIABLES, CONNECTION_STRING_VARIABLE } from "./connection_sources.ts";
export {
  type EnvFileSearch,
  findEnvFile,
  type FindEnvFileOptions,
  readEnvFile,
  type ReadTextFile,
} from "./find_env_file.ts";
export { loadConnection, type LoadConnectionOptions } from "./load_connection.ts";
export { type EnvTextEdit, quoteEnvValue, setEnvVariable } from "./env_file_edit.ts";
export {
  type EnvFileSystem,
  type EnvFileUpdateResult,
  gitIgnores,
  updateEnvFile,
  type UpdateEnvFileOptions,
} from "./env_file_writer.ts";
