/**
 * Fixed identifiers of the emulator's dev workspace and the API versions it accepts. Like
 * Azurite's `devstoreaccount1`, they are public and never change, so notebooks and docs can quote
 * them; only the access keys are random (per start, or kept in a state file).
 *
 * @module
 */

/**
 * Subscription of the dev workspace: a valid version-4 GUID that no real subscription uses.
 *
 * @example Usage
 * ```ts
 * import { EMULATOR_SUBSCRIPTION_ID } from "azure-quantum-notebook/emulator";
 * console.log(EMULATOR_SUBSCRIPTION_ID); // "00000000-0000-4000-8000-000000000001"
 * ```
 */
export const EMULATOR_SUBSCRIPTION_ID = "00000000-0000-4000-8000-000000000001";

/**
 * Resource group of the dev workspace.
 *
 * @example Usage
 * ```ts
 * import { EMULATOR_RESOURCE_GROUP } from "azure-quantum-notebook/emulator";
 * console.log(EMULATOR_RESOURCE_GROUP); // "emulator-rg"
 * ```
 */
export const EMULATOR_RESOURCE_GROUP = "emulator-rg";

/**
 * Name of the dev workspace.
 *
 * @example Usage
 * ```ts
 * import { EMULATOR_WORKSPACE_NAME } from "azure-quantum-notebook/emulator";
 * console.log(EMULATOR_WORKSPACE_NAME); // "emulator-ws"
 * ```
 */
export const EMULATOR_WORKSPACE_NAME = "emulator-ws";

/**
 * Region of the dev workspace (a V1 workspace).
 *
 * @example Usage
 * ```ts
 * import { EMULATOR_LOCATION } from "azure-quantum-notebook/emulator";
 * console.log(EMULATOR_LOCATION); // "eastus"
 * ```
 */
export const EMULATOR_LOCATION = "eastus";

/**
 * Tenant of the emulator's identities (appears in tokens and in `WWW-Authenticate`).
 *
 * @example Usage
 * ```ts
 * import { EMULATOR_TENANT_ID } from "azure-quantum-notebook/emulator";
 * console.log(EMULATOR_TENANT_ID);
 * ```
 */
export const EMULATOR_TENANT_ID = "00000000-0000-4000-8000-0000000000aa";

/**
 * Object id (`oid`) of the managed identity the token endpoint issues tokens for, by default.
 *
 * @example Usage
 * ```ts
 * import { EMULATOR_PRINCIPAL_ID } from "azure-quantum-notebook/emulator";
 * console.log(EMULATOR_PRINCIPAL_ID);
 * ```
 */
export const EMULATOR_PRINCIPAL_ID = "00000000-0000-4000-8000-0000000000bb";

/**
 * Client id of that managed identity (the token endpoint's `client_id`).
 *
 * @example Usage
 * ```ts
 * import { EMULATOR_CLIENT_ID } from "azure-quantum-notebook/emulator";
 * console.log(EMULATOR_CLIENT_ID);
 * ```
 */
export const EMULATOR_CLIENT_ID = "00000000-0000-4000-8000-0000000000cc";

/**
 * Data-plane api-versions the emulator accepts (all of reference §2.1; all preview).
 *
 * @example Usage
 * ```ts
 * import { DATA_PLANE_API_VERSIONS } from "azure-quantum-notebook/emulator";
 * DATA_PLANE_API_VERSIONS.includes("2025-12-01-preview"); // true
 * ```
 */
export const DATA_PLANE_API_VERSIONS: readonly string[] = [
  "2019-11-04-preview",
  "2021-05-06-preview",
  "2021-10-01-preview",
  "2021-11-01-preview",
  "2022-09-12-preview",
  "2023-11-13-preview",
  "2024-02-01-preview",
  "2024-03-01-preview",
  "2024-10-01-preview",
  "2025-09-01-preview",
  "2025-12-01-preview",
  "2026-01-15-preview",
];

/**
 * ARM api-versions of `Microsoft.Quantum/workspaces` the emulator accepts (reference §3.1).
 * Access keys (`apiKeyEnabled`, `listKeys`, `regenerateKey`) need {@link ARM_KEYS_MIN_API_VERSION}
 * or later; `workspaceKind` appears from 2025-12-15-preview on.
 *
 * @example Usage
 * ```ts
 * import { ARM_API_VERSIONS } from "azure-quantum-notebook/emulator";
 * ARM_API_VERSIONS.includes("2025-12-15-preview"); // true
 * ```
 */
export const ARM_API_VERSIONS: readonly string[] = [
  "2019-11-04-preview",
  "2022-01-10-preview",
  "2023-11-13-preview",
  "2025-01-01-preview",
  "2025-08-11-preview",
  "2025-11-01-preview",
  "2025-12-15-preview",
  "2026-06-15-preview",
];

/**
 * First ARM api-version with access keys.
 *
 * @example Usage
 * ```ts
 * import { ARM_KEYS_MIN_API_VERSION } from "azure-quantum-notebook/emulator";
 * console.log(ARM_KEYS_MIN_API_VERSION); // "2023-11-13-preview"
 * ```
 */
export const ARM_KEYS_MIN_API_VERSION = "2023-11-13-preview";

/**
 * Audience of data-plane tokens (scope `https://quantum.microsoft.com/.default`).
 *
 * @example Usage
 * ```ts
 * import { DATA_PLANE_AUDIENCE } from "azure-quantum-notebook/emulator";
 * console.log(DATA_PLANE_AUDIENCE);
 * ```
 */
export const DATA_PLANE_AUDIENCE = "https://quantum.microsoft.com";

/**
 * Audience of ARM tokens (scope `https://management.azure.com/.default`).
 *
 * @example Usage
 * ```ts
 * import { ARM_AUDIENCE } from "azure-quantum-notebook/emulator";
 * console.log(ARM_AUDIENCE);
 * ```
 */
export const ARM_AUDIENCE = "https://management.azure.com";

/**
 * The App Service managed-identity protocol version the token endpoint speaks.
 *
 * @example Usage
 * ```ts
 * import { IDENTITY_API_VERSION } from "azure-quantum-notebook/emulator";
 * console.log(IDENTITY_API_VERSION); // "2019-08-01"
 * ```
 */
export const IDENTITY_API_VERSION = "2019-08-01";

/**
 * api-versions of `Microsoft.Authorization` role assignments and role definitions the emulator
 * accepts; their body shapes follow 2022-04-01 (Azure/azure-rest-api-specs
 * `specification/authorization/…/stable/2022-04-01`).
 *
 * @example Usage
 * ```ts
 * import { AUTHORIZATION_API_VERSIONS } from "azure-quantum-notebook/emulator";
 * AUTHORIZATION_API_VERSIONS.includes("2022-04-01"); // true
 * ```
 */
export const AUTHORIZATION_API_VERSIONS: readonly string[] = [
  "2015-07-01",
  "2018-01-01-preview",
  "2020-04-01-preview",
  "2022-04-01",
];
