/**
 * Azure Quantum workspaces from Jupyter notebooks (Deno's kernel and tslab), the Deno REPL and
 * scripts: load and validate a connection string without ever printing its key, connect and list
 * targets with rich HTML output, and manage the workspace's access keys (status, enable, disable,
 * regenerate, zero-downtime rotation) through Azure Resource Manager with Microsoft Entra ID.
 * A local HTTPS emulator (`startEmulator`) makes everything runnable offline.
 *
 * @example A notebook's first cell: your workspace if one is configured, else a local emulator
 * ```ts
 * import { connect, display } from "azure-quantum-notebook";
 * const ws = await connect({ emulator: "auto" });
 * await display(ws);
 * ```
 *
 * @example Connect with the connection string from `.env` or AZURE_QUANTUM_CONNECTION_STRING
 * ```ts
 * import { connect, display } from "azure-quantum-notebook";
 *
 * const ws = await connect();
 * await display(ws); // workspace card: region, kind, auth (key fingerprint), source, latency
 * await display(await ws.listTargets({ availability: "Available" }));
 * await display(await ws.keys.status()); // needs an Entra sign-in (ARM)
 * ```
 *
 * @module
 */

// Errors
export {
  ConfigurationError,
  ConnectionStringError,
  EnvFileError,
  isConfigurationError,
  isConnectionStringError,
  isEnvFileError,
  isQuantumError,
  isRotationError,
  QuantumError,
  type QuantumErrorOptions,
  RotationError,
} from "./src/errors.ts";
export {
  ArmError,
  type ArmErrorDetails,
  AuthenticationError,
  isArmError,
  isAuthenticationError,
  isNetworkError,
  isNotFoundError,
  isRequestError,
  isUnauthorizedError,
  NetworkError,
  NotFoundError,
  RequestError,
  type RequestErrorDetails,
  UnauthorizedError,
} from "./src/request_errors.ts";
export { ErrorCode } from "./src/error_codes.ts";

// Connection strings and secrets
export type {
  ConnectionField,
  ConnectionInfo,
  EnvFileDecryption,
  KeySource,
  KeyVaultOrigin,
  WorkspaceKind,
} from "./src/connection/connection_info.ts";
export { fingerprint, isSecret, Secret } from "./src/connection/secret.ts";
export { AZURE_REGIONS, isAzureRegion } from "./src/connection/azure_regions.ts";
export { describeIdentity, type TokenIdentity, tokenIdentity } from "./src/connection/token_claims.ts";
export { normalizeLocation } from "./src/connection/validate_fields.ts";
export {
  formatConnectionString,
  parseConnectionString,
} from "./src/connection/connection_string.ts";

// Configuration: options + environment + .env -> Settings; .env files
export type { TokenCredentialLike } from "./src/config/credential.ts";
export type {
  ClientOptions,
  EnvVariables,
  FetchLike,
  RetryOptions,
} from "./src/config/client_options.ts";
export type { ArmSettings } from "./src/config/arm_settings.ts";
export {
  resolveSettings,
  type SettingSources,
  Settings,
  type SettingsOptions,
  type TransportSettings,
} from "./src/config/settings.ts";
export {
  CONNECTION_FIELD_VARIABLES,
  CONNECTION_STRING_VARIABLE,
  SECRET_ENV_VARIABLES,
} from "./src/config/connection_sources.ts";
export {
  type EnvFileSearch,
  findEnvFile,
  type FindEnvFileOptions,
  type ReadTextFile,
} from "./src/config/env_file.ts";
export { loadConnection, type LoadConnectionOptions } from "./src/config/load_connection.ts";
export {
  type KeyVaultSourceOptions,
  loadConnectionAsync,
  type LoadConnectionAsyncOptions,
  resolveSettingsAsync,
  type SettingsAsyncOptions,
} from "./src/config/load_connection_async.ts";
export {
  formatKeyVaultReference,
  type KeyVaultReference,
  parseKeyVaultReference,
  type ParseKeyVaultReferenceOptions,
} from "./src/config/key_vault_reference.ts";
export {
  type EnvFileUpdateResult,
  updateEnvFile,
  type UpdateEnvFileOptions,
} from "./src/config/update_env_file.ts";
export type { EnvFileSystem } from "./src/config/private_file.ts";
export type { EnvDecryptOptions } from "./src/config/env_file_values.ts";
export type { EncryptEnvFileOptions, EnvEncryptionData } from "./src/config/encrypt_in_place.ts";
export { encryptEnvFile, EnvEncryptionReport } from "./src/encrypt_env_file.ts";
export type { KeyChangesOptIn } from "./src/config/key_changes_opt_in.ts";

// Workspace: connect, targets
export { connect, type ConnectOptions, currentWorkspace, listTargets, quotas } from "./src/connect.ts";
export { type CallOptions, Workspace, type WorkspaceOptions } from "./src/workspace/workspace.ts";
export { DEFAULT_DATA_PLANE_API_VERSION } from "./src/data_plane/api_version.ts";
export type {
  Availability,
  ProviderStatus,
  ProviderStatusInput,
  TargetFilter,
  TargetListInfo,
  TargetStatus,
  TargetStatusInput,
} from "./src/data_plane/provider_status.ts";
export { filterTargets, TargetList, type TargetListJson } from "./src/workspace/target_list.ts";
export type { Quota, QuotaListInfo } from "./src/data_plane/quota.ts";
export { QuotaList, type QuotaListJson, type QuotaUsage } from "./src/workspace/quota_list.ts";
export type { ApiKeyProvider } from "./src/http/api_key_policy.ts";
export { LiveKey } from "./src/http/live_key.ts";

// Access keys
export type { KeyCallOptions, KeyHost, KeyManagerOptions } from "./src/keys/key_host.ts";
export { KeyManager } from "./src/keys/key_manager.ts";
export {
  KeyStatus,
  KeyToggleResult,
  NotApplied,
  RegenerateResult,
  RotationReport,
} from "./src/keys/results.ts";
export type { KeyToggleOptions } from "./src/keys/toggle_access_keys.ts";
export type { RegenerateOptions, RegenerateWhich } from "./src/keys/regenerate_keys.ts";
export type { RotateOptions } from "./src/keys/rotate_keys.ts";
export type { KeySwitchOptions } from "./src/keys/key_switch.ts";
export { KeyVaultMoveResult, KeyVaultShareResult, KeyVaultVersionList } from "./src/key_vault/results.ts";
export type { KeyVaultVersionsOptions } from "./src/key_vault/secret_versions.ts";
export type { ShareToKeyVaultOptions } from "./src/key_vault/share_to_key_vault.ts";
export type { MoveToKeyVaultOptions } from "./src/key_vault/move_to_key_vault.ts";
export type { KeyVaultMoveData, KeyVaultShareData } from "./src/render/key_vault_cards.ts";
export type { KeyVaultVersionRow, KeyVaultVersionsData } from "./src/render/key_vault_versions.ts";

// Moving to Microsoft Entra ID: the readiness report, role assignments, device-code sign-in
export { EntraReadiness, type FixOthersOptions, type ReadinessFixOptions } from "./src/keys/readiness.ts";
export type { AssignRoleOptions } from "./src/entra/assign_role.ts";
export { RoleAssignmentList, RoleAssignmentResult } from "./src/entra/role_assignment_result.ts";
export type {
  OtherPrincipalOutcome,
  RoleAssignmentListData,
  SkippedPrincipal,
} from "./src/render/role_assignment_list_card.ts";
export type {
  DataAccess,
  DataAccessWait,
  DataPlaneOutcome,
  KeyOnlyPrincipal,
  ReadinessAssignment,
  ReadinessData,
  ReadinessFix,
  RoleAssignmentData,
} from "./src/render/readiness_card.ts";
export { signIn, SignInCredential, type SignInOptions } from "./src/sign_in.ts";
export type { SignInState } from "./src/render/sign_in_card.ts";
export type { KeySlot } from "./src/arm/arm_types.ts";
export type {
  ArmEndpointNote,
  KeyDescription,
  KeyInUse,
  KeyOperation,
  KeyStatusData,
  KeyToggleData,
  KeyVerdict,
  NotAppliedData,
  NotAppliedReason,
  VerdictWait,
} from "./src/render/key_cards.ts";
export type {
  RegenerateData,
  RegeneratedKey,
  RotationData,
  RotationStep,
  RotationStepStatus,
} from "./src/render/key_tables.ts";

// Display
export {
  DataResult,
  type Displayable,
  DisplayableBase,
  isDisplayable,
  JUPYTER_DISPLAY,
  type MimeBundle,
} from "./src/displayable.ts";
export type { Progress, ProgressSink } from "./src/progress.ts";
export { detectKernel, type KernelName } from "./src/kernel/transports.ts";
export { display, type DisplayOptions } from "./src/kernel/display.ts";
export { createProgress, type ProgressOptions } from "./src/kernel/notebook_progress.ts";
export { escapeHtml } from "./src/render/escape_html.ts";
export { Html, html, type HtmlValue, raw } from "./src/render/html.ts";
export { badge, type Tone } from "./src/render/badge.ts";
export { formatDuration } from "./src/render/format_duration.ts";
export {
  type Align,
  type Rendered,
  renderTable,
  type TableCell,
  type TableColumn,
  type TableGroup,
  type TableSpec,
} from "./src/render/render_table.ts";
export { type CardRow, type CardSpec, renderCard } from "./src/render/render_card.ts";

// Emulator (also `azure-quantum-notebook/emulator`)
export type { Emulator, EmulatorOptions } from "./src/emulator/mod.ts";
export { kernelEmulator, startEmulator } from "./src/start_emulator.ts";

export { VERSION } from "./src/version.ts";
