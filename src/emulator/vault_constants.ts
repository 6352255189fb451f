/**
 * Public facts about Azure Key Vault's secrets data plane that the emulated vault honours: its
 * token audience, the api-versions `@azure/keyvault-secrets` sends, the RBAC data actions and the
 * built-in roles that grant them. Sources: the Key Vault REST reference and the SDK
 * (`@azure/keyvault-secrets` 4.11.2 `secretsModels.d.ts`: `serviceVersion`, default `2025-07-01`);
 * roles from Azure's built-in role definitions (Key Vault Secrets User: `getSecret/action` and
 * `readMetadata/action`; Secrets Officer: `secrets/*`; Reader: `readMetadata/action`;
 * Administrator: everything).
 *
 * @module
 */

/**
 * Audience of Key Vault tokens (scope `https://vault.azure.net/.default`). Key Vault rejects the
 * same URL with a trailing slash (`AKV10022`), and so does the emulator.
 *
 * @example Usage
 * ```ts
 * import { VAULT_AUDIENCE } from "azure-quantum-notebook/emulator";
 * console.log(VAULT_AUDIENCE); // "https://vault.azure.net"
 * ```
 */
export const VAULT_AUDIENCE = "https://vault.azure.net";

/** Key Vault's first-party application id, also accepted as a token audience. */
export const VAULT_APP_ID = "cfa8b339-82a2-471a-a3c9-0fc0be7a4093";

/** Key Vault's rule for secret names: 1 to 127 letters, digits and hyphens. */
export const SECRET_NAME: RegExp = /^[0-9a-zA-Z-]{1,127}$/;

/**
 * Name of the emulated vault (in 403 messages and resource ids; its URL is loopback).
 *
 * @example Usage
 * ```ts
 * import { EMULATOR_VAULT_NAME } from "azure-quantum-notebook/emulator";
 * console.log(EMULATOR_VAULT_NAME); // "emulator-vault"
 * ```
 */
export const EMULATOR_VAULT_NAME = "emulator-vault";

/**
 * Secrets api-versions the emulated vault accepts: every `serviceVersion` of
 * `@azure/keyvault-secrets` 4.11 (its default is the last one).
 *
 * @example Usage
 * ```ts
 * import { KEY_VAULT_API_VERSIONS } from "azure-quantum-notebook/emulator";
 * KEY_VAULT_API_VERSIONS.includes("2025-07-01"); // true
 * ```
 */
export const KEY_VAULT_API_VERSIONS: readonly string[] = [
  "7.0",
  "7.1",
  "7.2",
  "7.3",
  "7.4",
  "7.5",
  "7.6",
  "2025-07-01",
];

/** The RBAC data actions of the secrets operations the emulated vault serves. */
export const VaultActions = {
  getSecret: "Microsoft.KeyVault/vaults/secrets/getSecret/action",
  readMetadata: "Microsoft.KeyVault/vaults/secrets/readMetadata/action",
  setSecret: "Microsoft.KeyVault/vaults/secrets/setSecret/action",
  delete: "Microsoft.KeyVault/vaults/secrets/delete",
  purge: "Microsoft.KeyVault/vaults/secrets/purge/action",
  recover: "Microsoft.KeyVault/vaults/secrets/recover/action",
} as const;

/** A data action of {@link VaultActions}. */
export type VaultAction = (typeof VaultActions)[keyof typeof VaultActions];

/**
 * Built-in Azure roles that grant Key Vault secrets data actions.
 *
 * @example Usage
 * ```ts
 * import type { VaultRole } from "azure-quantum-notebook/emulator";
 * const reader: VaultRole = "Key Vault Secrets User";
 * ```
 */
export type VaultRole =
  | "Key Vault Administrator"
  | "Key Vault Secrets Officer"
  | "Key Vault Secrets User"
  | "Key Vault Reader";

/** Every {@link VaultRole}, most powerful first. */
export const VAULT_ROLES: readonly VaultRole[] = [
  "Key Vault Administrator",
  "Key Vault Secrets Officer",
  "Key Vault Secrets User",
  "Key Vault Reader",
];

const GRANTS: Record<VaultRole, readonly VaultAction[]> = {
  "Key Vault Administrator": Object.values(VaultActions),
  "Key Vault Secrets Officer": Object.values(VaultActions),
  "Key Vault Secrets User": [VaultActions.getSecret, VaultActions.readMetadata],
  "Key Vault Reader": [VaultActions.readMetadata],
};

/**
 * Whether any of `roles` grants `action`.
 */
export function vaultRolesAllow(roles: Iterable<VaultRole>, action: VaultAction): boolean {
  for (const role of roles) if (GRANTS[role].includes(action)) return true;
  return false;
}
