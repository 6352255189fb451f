/**
 * A connection string held in Key Vault, where a connection string can stand (the
 * `connectionString` option, `AZURE_QUANTUM_CONNECTION_STRING` in the environment or a `.env`):
 * the reference is parsed where it is met, and its value taken from this process's reads
 * (`key_vault_cache.ts`). A reference not read yet stops the synchronous loader with
 * `KeyVaultReferenceUnresolved`, which `loadConnectionAsync` (and `connect`) answer by reading
 * the vault and loading again.
 *
 * @module
 */

import type { ConnectionInfo, KeyVaultOrigin, KeySource } from "../connection/connection_info.ts";
import { parseConnectionStringFrom } from "../connection/connection_string.ts";
import { CONNECTION_STRING_FIELD_NAMES } from "../connection/validate_fields.ts";
import { ConfigurationError, isConnectionStringError } from "../errors.ts";
import { cachedKeyVaultSecret } from "./key_vault_cache.ts";
import { type KeyVaultReference, parseKeyVaultReference } from "./key_vault_reference.ts";

/** A reference the synchronous loader met and could not resolve: what to read, and from where. */
export interface PendingKeyVaultRead {
  reference: KeyVaultReference;
  /** Where the reference came from, e.g. `"env AZURE_QUANTUM_CONNECTION_STRING"`. */
  source: string;
  /** The variable or option that holds it. */
  keySource: KeySource;
}

// The loader's error is a plain ConfigurationError; what to read travels beside it.
const pending = new WeakMap<object, PendingKeyVaultRead>();

/** What to read for an error of the synchronous loader, if it is a reference not read yet. */
export function pendingKeyVaultRead(error: unknown): PendingKeyVaultRead | undefined {
  return typeof error === "object" && error !== null ? pending.get(error) : undefined;
}

const hostOf = (url: string) => url.replace(/^https:\/\//, "").replace(/\/$/, "");

/** `Key Vault secret "quantum" in myvault.vault.azure.net` */
export function describeKeyVaultSecret(
  secret: { vaultUrl: string; secretName: string },
): string {
  return `Key Vault secret "${secret.secretName}" in ${hostOf(secret.vaultUrl)}`;
}

/**
 * What `sources` records for the fields of a connection string that a reference in `source`
 * points at: `Key Vault secret "quantum" in myvault.vault.azure.net (via env …)`; `source` itself
 * when the text is not a valid reference (reading it will say why).
 */
export function keyVaultSourceLabel(text: string, source: string): string {
  try {
    return `${describeKeyVaultSecret(parseKeyVaultReference(text))} (via ${source})`;
  } catch {
    return source;
  }
}

/**
 * The connection string a reference in `source` points at, parsed, and where it came from.
 *
 * @param text The reference (`@Microsoft.KeyVault(…)`).
 * @param source Where it was found, for messages.
 * @param keySource The variable or option that holds it.
 * @throws {ConfigurationError} `KeyVaultReferenceInvalid`, `KeyVaultReferenceUnresolved` (not read
 *   in this process yet: use `connect()` or `loadConnectionAsync()`),
 *   `KeyVaultSecretNotConnectionString`.
 */
export function connectionFromKeyVault(
  text: string,
  source: string,
  keySource: KeySource,
): { info: ConnectionInfo; origin: KeyVaultOrigin } {
  const reference = parseKeyVaultReference(text, { source });
  const cached = cachedKeyVaultSecret(reference.secretUri);
  if (!cached) {
    const error = new ConfigurationError(
      "KeyVaultReferenceUnresolved",
      `Cannot load connection from ${source}: it is a Key Vault reference (${
        describeKeyVaultSecret(reference)
      }), which loadConnection() and resolveSettings() do not read (they are synchronous). ` +
        "Use await connect() or await loadConnectionAsync()",
    );
    pending.set(error, { reference, source, keySource });
    throw error;
  }
  const { read } = cached;
  const label = keyVaultSourceLabel(text, source);
  let info: ConnectionInfo;
  try {
    info = parseConnectionStringFrom(cached.value.reveal(), label);
  } catch (e) {
    if (!isConnectionStringError(e)) throw e;
    // Only a connection-string field's own name: the secret may hold anything, and a name the
    // parser found in it could be part of its value.
    const names: readonly string[] = Object.values(CONNECTION_STRING_FIELD_NAMES);
    const field = e.field !== undefined && names.includes(e.field) ? e.field : undefined;
    throw keyVaultSecretNotConnectionString(
      { vaultUrl: read.vaultUrl, secretName: read.secretName, version: read.version },
      { source, field },
    );
  }
  return {
    info,
    origin: { ...read, pinned: reference.secretVersion !== undefined, syntax: reference.syntax },
  };
}

/**
 * The error for a secret that holds something other than an Azure Quantum connection string.
 * It names the secret and, at most, the connection-string field at fault, never the value.
 *
 * @param secret Where the value came from.
 * @param options `source` of the reference, `field` at fault (from a `ConnectionStringError`).
 * @returns A `ConfigurationError` with code `KeyVaultSecretNotConnectionString`.
 */
export function keyVaultSecretNotConnectionString(
  secret: { vaultUrl: string; secretName: string; version?: string },
  options: { source?: string; field?: string; cause?: unknown } = {},
): ConfigurationError {
  const what = options.field
    ? `its ${options.field} field is missing or invalid`
    : "it does not parse as one";
  return new ConfigurationError(
    "KeyVaultSecretNotConnectionString",
    `Cannot use the Key Vault secret "${secret.secretName}"${
      secret.version ? ` (version ${secret.version})` : ""
    } in ${hostOf(secret.vaultUrl)}${
      options.source ? ` (from ${options.source})` : ""
    } as an Azure Quantum ` +
      `connection string: ${what}. Store the workspace's connection string (Operations > Access keys in the ` +
      "Azure portal) as a new version of the secret, or refer to another secret",
    { cause: options.cause },
  );
}
