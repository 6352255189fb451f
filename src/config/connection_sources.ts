/**
 * The places a connection's fields can come from (arguments, process environment, `.env`), each as
 * a lazily read "provider", in the order `loadConnection` consults them.
 *
 * @module
 */

import type {
  ConnectionField,
  KeySource,
  KeyVaultOrigin,
} from "../connection/connection_info.ts";
import { parseConnectionStringFrom } from "../connection/connection_string.ts";
import { checkQuantumEndpoint, type QuantumEndpoint } from "../connection/quantum_endpoint.ts";
import { isSecret, Secret } from "../connection/secret.ts";
import { checkApiKey, validateField } from "../connection/validate_fields.ts";
import { connectionFromKeyVault, keyVaultSourceLabel } from "./key_vault_connection.ts";
import { looksLikeKeyVaultReference } from "./key_vault_reference.ts";
import type { LoadConnectionOptions } from "./load_connection.ts";

/**
 * The variable that holds a whole connection string.
 *
 * @example Usage
 * ```ts
 * import { CONNECTION_STRING_VARIABLE } from "azure-quantum-notebook";
 * const set = (env: Record<string, string>) => env[CONNECTION_STRING_VARIABLE] !== undefined;
 * ```
 */
export const CONNECTION_STRING_VARIABLE = "AZURE_QUANTUM_CONNECTION_STRING";

/**
 * The per-field environment variables, in the Azure Quantum Python SDK's order of precedence.
 *
 * @example Usage
 * ```ts
 * import { CONNECTION_FIELD_VARIABLES } from "azure-quantum-notebook";
 * CONNECTION_FIELD_VARIABLES.location; // ["AZURE_QUANTUM_WORKSPACE_LOCATION", "LOCATION"]
 * ```
 */
export const CONNECTION_FIELD_VARIABLES: Readonly<
  Record<"subscriptionId" | "resourceGroup" | "workspaceName" | "location", readonly string[]>
> = Object.freeze({
  subscriptionId: ["AZURE_QUANTUM_SUBSCRIPTION_ID", "SUBSCRIPTION_ID"],
  resourceGroup: ["AZURE_QUANTUM_WORKSPACE_RG", "RESOURCE_GROUP"],
  workspaceName: ["AZURE_QUANTUM_WORKSPACE_NAME"],
  location: ["AZURE_QUANTUM_WORKSPACE_LOCATION", "LOCATION"],
});

/**
 * The variables that hold a secret and are encrypted by default: the connection string (with its
 * access key) and the Microsoft Entra credential secrets `DefaultAzureCredential` reads.
 *
 * @example Usage
 * ```ts
 * import { SECRET_ENV_VARIABLES } from "azure-quantum-notebook";
 * SECRET_ENV_VARIABLES.includes("AZURE_QUANTUM_CONNECTION_STRING"); // true
 * ```
 */
export const SECRET_ENV_VARIABLES: readonly string[] = Object.freeze([
  CONNECTION_STRING_VARIABLE,
  "AZURE_CLIENT_SECRET",
  "AZURE_CLIENT_CERTIFICATE_PASSWORD",
  "IDENTITY_HEADER",
]);

/** Every variable `loadConnection` reads, connection string first. */
export const ALL_CONNECTION_VARIABLES: readonly string[] = [
  CONNECTION_STRING_VARIABLE,
  ...Object.values(CONNECTION_FIELD_VARIABLES).flat(),
];

/** What one provider offers once read. `weak` fields fill gaps but never conflict. */
export interface Offer {
  values: Partial<Record<ConnectionField, string>>;
  apiKey?: Secret;
  endpoint?: QuantumEndpoint;
  weak: Set<ConnectionField>;
  /** The Key Vault secret the connection string came from, when it was a reference. */
  keyVault?: KeyVaultOrigin;
  /**
   * What `sources` records instead of the provider's `source`, when that is known only once the
   * value is read (a Key Vault reference that was encrypted in a `.env` names its secret).
   */
  source?: string;
}

/** One place a connection's fields can come from. */
export interface Provider {
  /** What messages call it, e.g. `"env LOCATION"` or `"argument location"`. */
  name: string;
  /** What `ConnectionInfo.sources` records, e.g. `"env LOCATION"` or `"argument"`. */
  source: string;
  /** The fields it may offer; it is only read when one of them is still missing. */
  fields: readonly ConnectionField[];
  keySource?: KeySource;
  read(): Offer;
}

const IDENTITY = ["subscriptionId", "resourceGroup", "workspaceName", "location"] as const;
type IdentityField = (typeof IDENTITY)[number];
const ALL_FIELDS: readonly ConnectionField[] = [...IDENTITY, "endpoint", "apiKey"];

function endpointOffer(endpoint: QuantumEndpoint): Offer {
  return {
    values: { endpoint: endpoint.endpoint, location: endpoint.location },
    endpoint,
    // A loopback host names no region: its location is a default, not a claim.
    weak: new Set(endpoint.isEmulator ? ["location"] : []),
  };
}

/** A provider for one identity field (an argument or a per-field variable). */
export function fieldProvider(
  field: IdentityField,
  value: string,
  name: string,
  source: string = name,
): Provider {
  return {
    name,
    source,
    fields: [field],
    read: () => ({ values: { [field]: validateField(field, value, name) }, weak: new Set() }),
  };
}

/** A provider for an explicit `endpoint` argument (which also implies the location). */
export function endpointProvider(value: string, name: string, source: string = name): Provider {
  return {
    name,
    source,
    fields: ["endpoint", "location"],
    read: () =>
      endpointOffer(
        checkQuantumEndpoint(value, { prefix: "Cannot load connection", subject: name }),
      ),
  };
}

/** A provider for an explicit `apiKey` argument. */
export function apiKeyProvider(value: Secret, name: string, source: string = name): Provider {
  return {
    name,
    source,
    fields: ["apiKey"],
    keySource: { kind: "argument", variable: "apiKey" },
    read: () => {
      checkApiKey(value.reveal(), { prefix: "Cannot load connection", subject: name });
      return { values: {}, apiKey: value, weak: new Set() };
    },
  };
}

/**
 * A provider for a whole connection string, parsed only when first needed; a Key Vault reference
 * stands for the connection string its secret holds (see `key_vault_connection.ts`).
 */
export function connectionStringProvider(
  text: string,
  source: string,
  keySource: KeySource,
): Provider {
  const inVault = looksLikeKeyVaultReference(text);
  const label = inVault ? keyVaultSourceLabel(text, source) : source;
  return {
    name: label,
    source: label,
    fields: ALL_FIELDS,
    keySource,
    read: () => {
      const vault = inVault ? connectionFromKeyVault(text, source, keySource) : undefined;
      const info = vault?.info ?? parseConnectionStringFrom(text, source);
      const offer = endpointOffer({
        endpoint: info.endpoint,
        location: info.location,
        workspaceKind: info.workspaceKind,
        isEmulator: info.isEmulator,
      });
      for (const f of ["subscriptionId", "resourceGroup", "workspaceName"] as const) {
        offer.values[f] = info[f];
      }
      offer.apiKey = info.apiKey;
      if (vault) offer.keyVault = vault.origin;
      return offer;
    },
  };
}

/** The providers of the explicit options: the single fields, `endpoint`, `apiKey`, then `connectionString`. */
export function argumentProviders(o: LoadConnectionOptions): Provider[] {
  const providers: Provider[] = [];
  for (const field of IDENTITY) {
    const value = present(o[field]);
    if (value !== undefined) {
      providers.push(fieldProvider(field, value, `argument ${field}`, "argument"));
    }
  }
  const endpoint = present(o.endpoint);
  if (endpoint !== undefined) {
    providers.push(endpointProvider(endpoint, "argument endpoint", "argument"));
  }
  const key = present(o.apiKey);
  if (key !== undefined) {
    providers.push(
      apiKeyProvider(
        isSecret(o.apiKey) ? o.apiKey : new Secret(key),
        "argument apiKey",
        "argument",
      ),
    );
  }
  const text = present(o.connectionString);
  if (text !== undefined) {
    providers.push(
      connectionStringProvider(text, "argument connectionString", {
        kind: "argument",
        variable: "connectionString",
      }),
    );
  }
  return providers;
}

/** `undefined` for missing, empty or whitespace-only values; trimmed otherwise. */
export function present(value: string | Secret | undefined): string | undefined {
  const text = isSecret(value) ? value.reveal() : value;
  if (typeof text !== "string") return undefined;
  const trimmed = text.trim();
  return trimmed === "" ? undefined : trimmed;
}

/**
 * The providers of one layer of variables (the process environment or a `.env` file): per-field
 * variables first, then the connection string, as the SDK orders them. With `decode`, a value is
 * passed through it when its provider is read, never before (an encrypted `.env`'s values are
 * decrypted only when needed).
 */
export function variableProviders(
  lookup: (name: string) => string | undefined,
  label: (name: string) => string,
  keySource: (name: string) => KeySource,
  decode?: (name: string) => string,
): Provider[] {
  const providers: Provider[] = [];
  const lazily = (name: string, value: string, make: (value: string) => Provider): Provider => {
    const provider = make(value);
    if (decode === undefined) return provider;
    return {
      ...provider,
      read: () => {
        const decoded = make(present(decode(name)) ?? "");
        const offer = decoded.read();
        return decoded.source === provider.source ? offer : { ...offer, source: decoded.source };
      },
    };
  };
  for (const field of IDENTITY) {
    for (const name of CONNECTION_FIELD_VARIABLES[field]) {
      const value = present(lookup(name));
      if (value !== undefined) {
        providers.push(lazily(name, value, (v) => fieldProvider(field, v, label(name))));
      }
    }
  }
  const text = present(lookup(CONNECTION_STRING_VARIABLE));
  if (text !== undefined) {
    providers.push(
      lazily(CONNECTION_STRING_VARIABLE, text, (v) =>
        connectionStringProvider(
          v,
          label(CONNECTION_STRING_VARIABLE),
          keySource(CONNECTION_STRING_VARIABLE),
        )),
    );
  }
  return providers;
}
