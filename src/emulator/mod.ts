/**
 * A local emulator of Azure Quantum for notebooks, tests and CI: the data plane (targets, quotas,
 * jobs), Azure Resource Manager for `Microsoft.Quantum/workspaces` (GET/PUT/PATCH, listKeys,
 * regenerateKey, long-running operations) and `Microsoft.Authorization` (role assignments and
 * definitions, checked on both planes), an App Service managed-identity token endpoint that the
 * unmodified `DefaultAzureCredential` uses, a Key Vault (secrets) that the unmodified
 * `SecretClient` uses, and Microsoft Entra authority endpoints for the unmodified
 * `DeviceCodeCredential`: five listeners. HTTPS with a CA made at start; nothing disables TLS
 * verification. See `docs/emulator.md`.
 *
 * @example Usage
 * ```ts
 * import https from "node:https";
 * import { startEmulator } from "azure-quantum-notebook/emulator";
 *
 * const emulator = await startEmulator();
 * const url = new URL(
 *   `subscriptions/${emulator.workspace.subscriptionId}/resourceGroups/${emulator.workspace.resourceGroup}` +
 *     `/providers/Microsoft.Quantum/workspaces/${emulator.workspace.workspaceName}/providerStatus?api-version=2025-12-01-preview`,
 *   emulator.endpoint,
 * );
 * const status = await new Promise((resolve, reject) => {
 *   https.get(url, {
 *     ca: emulator.caCertificate, // trust the emulator's CA for this request only
 *     headers: { "x-ms-quantum-api-key": emulator.control.keys().primary.reveal() },
 *   }, (res) => resolve(res.resume().statusCode)).on("error", reject);
 * });
 * console.log(status); // 200
 * await emulator.stop();
 * ```
 *
 * @module
 */
export { Emulator, type EmulatorEnv, type EmulatorEnvName } from "./emulator.ts";
export { type EmulatorOptions, startEmulator } from "./start_emulator.ts";
export {
  createEmulatorHandlers,
  type EmulatorHandlerOptions,
  type EmulatorHandlers,
} from "./create_handlers.ts";
export type { EmulatorControl, EmulatorKeys, IssueTokenOptions } from "./control.ts";
export type {
  AssignRoleOptions,
  RbacControl,
  RoleAssignmentInfo,
  ScopeOption,
} from "./rbac_control.ts";
export type { DataPlaneAuthorization, PersistentRbac, RoleAssignmentRecord } from "./rbac_state.ts";
export type { DeviceCodeInfo, DeviceCodeRequest } from "./device_codes.ts";
export {
  AZURE_CLI_CLIENT_ID,
  defaultPrincipals,
  EMULATOR_APP_CLIENT_ID,
  EMULATOR_APP_OBJECT_ID,
  EMULATOR_USER_ID,
  type EmulatorPrincipal,
  type PrincipalInit,
  type PrincipalType,
} from "./principals.ts";
export {
  BUILT_IN_ROLES,
  QUANTUM_WORKSPACE_DATA_CONTRIBUTOR_ROLE_ID,
  QUANTUM_WORKSPACE_DATA_READER_ROLE_ID,
  type RoleDefinition,
  type RolePermissions,
} from "./role_definitions.ts";
export type { TokenClaims } from "./tokens.ts";
export type { EmulatorIdentity, EmulatorUrls, Role, WorkspaceIds } from "./context.ts";
export type { Handler } from "./handler.ts";
export {
  DropConnection,
  type FaultKind,
  type FaultRule,
  type ListenerName,
  parseFault,
} from "./faults.ts";
export type { AuthScheme, RequestLogEntry, RequestLogFilter } from "./request_log.ts";
export {
  type Availability,
  type EmulatorProvider,
  type EmulatorQuota,
  type EmulatorTarget,
  sampleProviders,
  sampleQuotas,
} from "./sample_providers.ts";
export type { KeyName, PersistedKey, PersistentState, StoredKey } from "./store.ts";
export {
  ARM_API_VERSIONS,
  ARM_AUDIENCE,
  ARM_KEYS_MIN_API_VERSION,
  AUTHORIZATION_API_VERSIONS,
  DATA_PLANE_API_VERSIONS,
  DATA_PLANE_AUDIENCE,
  EMULATOR_CLIENT_ID,
  EMULATOR_LOCATION,
  EMULATOR_PRINCIPAL_ID,
  EMULATOR_RESOURCE_GROUP,
  EMULATOR_SUBSCRIPTION_ID,
  EMULATOR_TENANT_ID,
  EMULATOR_WORKSPACE_NAME,
  IDENTITY_API_VERSION,
} from "./constants.ts";
export { type CliIo, runEmulatorCli } from "./cli_emulator.ts";
export type { VaultControl, VaultSecretInfo } from "./vault.ts";
export type {
  NewSecretVersion,
  StoredSecret,
  StoredSecretVersion,
  VaultState,
} from "./vault_store.ts";
export {
  EMULATOR_VAULT_NAME,
  KEY_VAULT_API_VERSIONS,
  VAULT_AUDIENCE,
  VAULT_ROLES,
  type VaultRole,
} from "./vault_constants.ts";
