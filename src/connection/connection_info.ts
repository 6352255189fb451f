import type { Secret } from "./secret.ts";

/** The workspace kinds Azure Quantum knows; `-v2` in the endpoint host means `V2`. */
export type WorkspaceKind = "V1" | "V2";

/** The fields of a connection, as named in {@link ConnectionInfo}. */
export type ConnectionField =
  | "subscriptionId"
  | "resourceGroup"
  | "workspaceName"
  | "location"
  | "endpoint"
  | "apiKey";

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
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
  /** Lowercased Azure region, e.g. `eastus`. */
  location: string;
  /** Data-plane endpoint, always ending in `/`, e.g. `https://eastus.quantum.azure.com/`. */
  endpoint: string;
  workspaceKind: WorkspaceKind;
  /** The access key, when connecting with one; absent means Microsoft Entra ID. */
  apiKey?: Secret;
  /** True for a loopback endpoint (`https://127.0.0.1:<port>/` or `https://localhost:<port>/`). */
  isEmulator: boolean;
  /**
   * Where each field came from: `"argument"`, `"connection string"`, an env var name such as
   * `"env AZURE_QUANTUM_CONNECTION_STRING"`, or a `.env` file such as
   * `".env /repo/.env (AZURE_QUANTUM_CONNECTION_STRING)"`.
   */
  sources: Partial<Record<ConnectionField, string>>;
}
