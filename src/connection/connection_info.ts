import type { Secret } from "./secret.ts";

/**
 * The workspace kinds Azure Quantum knows; `-v2` in the endpoint host means `V2`.
 *
 * @example Usage
 * ```ts
 * import type { WorkspaceKind } from "azure-quantum-notebook";
 * const kind: WorkspaceKind = "V2";
 * ```
 */
export type WorkspaceKind = "V1" | "V2";

/**
 * The fields of a connection, as named in {@link ConnectionInfo}.
 *
 * @example Usage
 * ```ts
 * import type { ConnectionField } from "azure-quantum-notebook";
 * const field: ConnectionField = "workspaceName";
 * ```
 */
export type ConnectionField =
  | "subscriptionId"
  | "resourceGroup"
  | "workspaceName"
  | "location"
  | "endpoint"
  | "apiKey";

/**
 * Where the access key of a loaded connection came from, so that a key rotation knows what to
 * update: the `.env` file and variable, the process environment, or an argument.
 *
 * @example Usage
 * ```ts
 * import type { KeySource } from "azure-quantum-notebook";
 * const source: KeySource = {
 *   kind: "dotenv",
 *   variable: "AZURE_QUANTUM_CONNECTION_STRING",
 *   path: "/repo/.env",
 * };
 * ```
 */
export interface KeySource {
  /** `"dotenv"`: a `.env` file; `"env"`: the process environment; `"argument"`: an option. */
  kind: "argument" | "env" | "dotenv";
  /**
   * The variable that holds the key inside a connection string (`AZURE_QUANTUM_CONNECTION_STRING`),
   * or for `kind: "argument"` the option that held it (`"connectionString"` or `"apiKey"`).
   */
  variable?: string;
  /** The absolute path of the `.env` file, for `kind: "dotenv"`. */
  path?: string;
  /**
   * Set when that variable or option holds a Key Vault reference: the secret the connection
   * string was read from (so a rotation writes the new key there).
   */
  keyVault?: KeyVaultOrigin;
}

/**
 * The Key Vault secret a connection string was read from: plain data, nothing secret (the value
 * stays in the vault and in the connection's `apiKey`).
 *
 * @example Usage
 * ```ts
 * import { connect } from "azure-quantum-notebook";
 * const ws = await connect(); // AZURE_QUANTUM_CONNECTION_STRING=@Microsoft.KeyVault(SecretUri=…)
 * const origin = ws.info.keySource?.keyVault;
 * console.log(origin?.secretName, origin?.version, origin?.createdOn);
 * ```
 */
export interface KeyVaultOrigin {
  /** The vault's URL with a trailing slash, e.g. `https://myvault.vault.azure.net/`. */
  vaultUrl: string;
  /** The vault's name, or `undefined` for the emulator's loopback vault. */
  vaultName: string | undefined;
  /** The secret's name. */
  secretName: string;
  /** The version read (32 hex digits). */
  version: string;
  /** True when the reference names that version; otherwise it follows the latest version. */
  pinned: boolean;
  /** How the reference was written (a rewritten reference keeps the form). */
  syntax: "SecretUri" | "VaultName";
  /** When the version was created (ISO 8601), if the vault said. */
  createdOn: string | undefined;
  /** When this process read it from the vault (ISO 8601); later connects reuse that read. */
  readAt: string;
}

/**
 * How the values a connection took from an encrypted `.env` (dotenvx format) were decrypted: which
 * variables, and the private key that decrypted them, as a fingerprint and where it was found.
 * Never the key itself.
 *
 * @example Usage
 * ```ts
 * import { loadConnection } from "azure-quantum-notebook";
 * const info = loadConnection(); // from a .env that `dotenvx encrypt` encrypted
 * info.decryption?.privateKeySource; // "DOTENV_PRIVATE_KEY in /repo/.env.keys"
 * ```
 */
export interface EnvFileDecryption {
  /** The encrypted `.env` file (absolute path). */
  path: string;
  /** The variables decrypted, e.g. `["AZURE_QUANTUM_CONNECTION_STRING"]`. */
  variables: string[];
  /** The private key's variable: `DOTENV_PRIVATE_KEY`, or `DOTENV_PRIVATE_KEY_<ENVIRONMENT>`. */
  privateKeyName: string;
  /** `sha256:` + 8 hex digits of the private key that decrypted them. */
  privateKeyFingerprint: string;
  /**
   * Where that key was found: `the privateKey option`, `the DOTENV_PRIVATE_KEY environment
   * variable` or `DOTENV_PRIVATE_KEY in /repo/.env.keys`.
   */
  privateKeySource: string;
}

/**
 * A parsed, validated connection to one Azure Quantum workspace.
 *
 * @example Usage
 * ```ts
 * import { parseConnectionString } from "azure-quantum-notebook";
 * const info = parseConnectionString(
 *   "SubscriptionId=11111111-2222-3333-4444-555555555555;ResourceGroupName=rg;" +
 *     "WorkspaceName=ws;ApiKey=k;QuantumEndpoint=https://eastus.quantum.azure.com/;",
 * );
 * info.location; // "eastus"
 * ```
 */
export interface ConnectionInfo {
  /** The subscription ID (a GUID). */
  subscriptionId: string;
  /** The resource group. */
  resourceGroup: string;
  /** The workspace name. */
  workspaceName: string;
  /** Lowercased Azure region, e.g. `eastus`. */
  location: string;
  /** Data-plane endpoint, always ending in `/`, e.g. `https://eastus.quantum.azure.com/`. */
  endpoint: string;
  /** `V2` for a `-v2` endpoint. */
  workspaceKind: WorkspaceKind;
  /** The access key, when connecting with one; absent means Microsoft Entra ID. */
  apiKey?: Secret;
  /** True for a loopback endpoint (`https://127.0.0.1:<port>/` or `https://localhost:<port>/`). */
  isEmulator: boolean;
  /**
   * Where each field came from: `"argument"` (a single-field option), `"argument connectionString"`,
   * `"connection string"` (from `parseConnectionString`), an env var such as
   * `"env AZURE_QUANTUM_CONNECTION_STRING"`, a `.env` file such as
   * `".env /repo/.env (AZURE_QUANTUM_CONNECTION_STRING)"` (`"encrypted .env …"` for a value that
   * was decrypted), or for an endpoint built from the location, `"derived from location"`.
   */
  sources: Partial<Record<ConnectionField, string>>;
  /**
   * The `.env` file `loadConnection` read (absolute path), whether or not it supplied a field;
   * absent when none was found or reading was disabled. Not set by `parseConnectionString`.
   */
  envFilePath?: string;
  /** Where the access key came from (set by `loadConnection` when there is a key). */
  keySource?: KeySource;
  /** Set by `loadConnection` when a value it used was decrypted from an encrypted `.env`. */
  decryption?: EnvFileDecryption;
}
