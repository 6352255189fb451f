/**
 * The shapes of the `Microsoft.Quantum/workspaces` ARM resources the key manager reads
 * (reference §3.2 and §3.4). Only the fields it uses are typed; the rest pass through untouched.
 *
 * @module
 */

/**
 * One of a workspace's two access keys, as this module names them.
 *
 * @example Usage
 * ```ts
 * import type { KeySlot } from "azure-quantum-notebook";
 * const slot: KeySlot = "secondary";
 * ```
 */
export type KeySlot = "primary" | "secondary";

/** The `KeyType` values `regenerateKey` takes in its body (`{"keys":["Primary"]}`). */
export type ArmKeyType = "Primary" | "Secondary";

/** A `QuantumWorkspace` resource as `GET {P}` returns it. */
export interface ArmWorkspace {
  id?: string;
  name?: string;
  type?: string;
  location: string;
  tags?: Record<string, string>;
  identity?: { type?: string; principalId?: string; tenantId?: string };
  systemData?: unknown;
  properties?: {
    providers?: unknown[];
    usable?: string;
    provisioningState?: string;
    storageAccount?: string;
    workspaceKind?: string;
    endpointUri?: string;
    apiKeyEnabled?: boolean;
    managedStorageAccount?: string;
    managedOnBehalfOfConfiguration?: unknown;
    [name: string]: unknown;
  };
  [name: string]: unknown;
}

/**
 * One key of a `ListKeysResult`: the key value (secret) and, when ARM gives it, when it was made.
 */
export interface ArmApiKey {
  key?: string | null;
  createdAt?: string | null;
}

/**
 * The body of `POST {P}/listKeys` (reference §3.4). Keys and connection strings are secrets: the
 * ARM client wraps them in `Secret` before they leave it.
 */
export interface ArmListKeysResult {
  apiKeyEnabled?: boolean;
  primaryKey?: ArmApiKey | null;
  secondaryKey?: ArmApiKey | null;
  primaryConnectionString?: string | null;
  secondaryConnectionString?: string | null;
}

/**
 * Read-only fields ARM computes; a PUT body leaves them out, as the Azure CLI's serializer does.
 */
export const READ_ONLY_WORKSPACE_FIELDS: readonly string[] = [
  "id",
  "name",
  "type",
  "systemData",
  "etag",
];

/** Read-only fields under `properties` (reference §3.2). */
export const READ_ONLY_WORKSPACE_PROPERTIES: readonly string[] = [
  "provisioningState",
  "usable",
  "endpointUri",
  "managedStorageAccount",
  "managedOnBehalfOfConfiguration",
];

/**
 * The body to PUT back after a GET: the resource as read, without its read-only fields, with
 * `properties.apiKeyEnabled` set. Providers are kept as read (the CLI does the same).
 *
 * @param resource The resource from `GET {P}`.
 * @param apiKeyEnabled The new value.
 * @returns A new object; `resource` is not changed.
 */
export function putBodyFor(resource: ArmWorkspace, apiKeyEnabled: boolean): ArmWorkspace {
  const body: ArmWorkspace = structuredClone(resource);
  for (const field of READ_ONLY_WORKSPACE_FIELDS) delete body[field];
  if (body.identity) body.identity = body.identity.type ? { type: body.identity.type } : undefined;
  if (body.identity === undefined) delete body.identity;
  const properties = { ...(body.properties ?? {}) };
  for (const field of READ_ONLY_WORKSPACE_PROPERTIES) delete properties[field];
  properties.apiKeyEnabled = apiKeyEnabled;
  body.properties = properties;
  return body;
}
