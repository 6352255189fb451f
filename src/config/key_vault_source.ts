/**
 * Reads and writes a connection string kept as an Azure Key Vault secret, with the unmodified
 * `SecretClient` of `@azure/keyvault-secrets`, imported on first use (a key-only `connect()`
 * never loads it). Clients are kept per credential, vault and CA, so after the first request
 * (which answers Key Vault's authentication challenge) each read is one round trip.
 *
 * Trust: a loopback (emulator) vault gets the emulator's CA for its client only, and the SDK's
 * check that the challenge's resource matches the vault host (`*.vault.azure.net`) is turned off
 * for it alone (`disableChallengeResourceVerification`: a loopback host can never match). Real
 * vaults get neither. Nothing turns TLS verification off.
 *
 * @module
 */
import type { TokenCredential } from "@azure/core-auth";
import type { KeyVaultSecret, SecretClient } from "@azure/keyvault-secrets";
import { Secret } from "../connection/secret.ts";
import { QuantumError } from "../errors.ts";
import { VERSION } from "../version.ts";
import type { RetryOptions } from "./client_options.ts";
import type { TokenCredentialLike } from "./credential.ts";
import { keyVaultError } from "./key_vault_errors.ts";
import type { KeyVaultReference } from "./key_vault_reference.ts";

/** How to reach a vault. */
export interface KeyVaultAccessOptions {
  /** The Microsoft Entra credential (the one the module already uses, e.g. DefaultAzureCredential). */
  credential: TokenCredentialLike;
  /** PEM CA trusted for a loopback (emulator) vault only; ignored for any other vault. */
  ca?: string;
  signal?: AbortSignal;
  /** Where the reference came from, for error messages, e.g. `"env AZURE_QUANTUM_CONNECTION_STRING"`. */
  source?: string;
  /** Retries of throttled or failed requests (the SDK's exponential policy). @default 3 */
  maxRetries?: number;
  /** The module's retry bounds (`maxRetries` above wins): delays of the SDK's exponential policy. */
  retry?: Pick<RetryOptions, "maxRetries" | "baseDelayMs" | "maxDelayMs">;
}

/** Options of {@link writeKeyVaultSecret}. */
export interface KeyVaultWriteOptions extends KeyVaultAccessOptions {
  /** @default {@link CONNECTION_STRING_CONTENT_TYPE} */
  contentType?: string;
  /** Tags of the new version (see {@link connectionStringSecretTags}). */
  tags?: Record<string, string>;
}

/** A secret version read from a vault: the value as a {@link Secret}, and where it came from. */
export interface KeyVaultSecretValue {
  readonly value: Secret;
  /** `https://myvault.vault.azure.net/` */
  readonly vaultUrl: string;
  /** `undefined` for the emulator's loopback vault. */
  readonly vaultName: string | undefined;
  readonly secretName: string;
  /** The version read (32 hex digits), also when the reference asked for the latest. */
  readonly version: string;
  /** `{vaultUrl}secrets/{name}/{version}`: the version's identifier. */
  readonly secretId: string;
  readonly createdOn: Date | undefined;
  readonly updatedOn: Date | undefined;
  readonly contentType: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly enabled: boolean;
}

/** The content type written with a connection string (free text in Key Vault; shown by the portal). */
export const CONNECTION_STRING_CONTENT_TYPE = "text/plain; format=azure-quantum-connection-string";

type SecretsModule = typeof import("@azure/keyvault-secrets");
let loading: Promise<SecretsModule> | undefined;
function loadSecrets(): Promise<SecretsModule> {
  loading ??= import("@azure/keyvault-secrets").catch((e) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

const clients = new WeakMap<TokenCredentialLike, Map<string, SecretClient>>();

async function clientFor(
  ref: KeyVaultReference,
  options: KeyVaultAccessOptions,
): Promise<SecretClient> {
  const { SecretClient } = await loadSecrets();
  const ca = ref.isLoopback ? options.ca : undefined;
  const retryOptions = {
    maxRetries: options.maxRetries ?? options.retry?.maxRetries ?? 3,
    ...(options.retry?.baseDelayMs === undefined ? {} : { retryDelayInMs: options.retry.baseDelayMs }),
    ...(options.retry?.maxDelayMs === undefined ? {} : { maxRetryDelayInMs: options.retry.maxDelayMs }),
  };
  const key = JSON.stringify([ref.vaultUrl, ca ?? null, retryOptions]);
  let perCredential = clients.get(options.credential);
  if (!perCredential) clients.set(options.credential, perCredential = new Map());
  let client = perCredential.get(key);
  if (!client) {
    client = new SecretClient(ref.vaultUrl, options.credential as TokenCredential, {
      // One settings object per client: core-rest-pipeline keys its https.Agent on it.
      ...(ca ? { tlsOptions: { ca } } : {}),
      disableChallengeResourceVerification: ref.isLoopback,
      retryOptions,
      userAgentOptions: { userAgentPrefix: `azure-quantum-notebook/${VERSION}` },
    });
    perCredential.set(key, client);
  }
  return client;
}

function toValue(ref: KeyVaultReference, secret: KeyVaultSecret): KeyVaultSecretValue {
  const p = secret.properties;
  return Object.freeze({
    value: new Secret(secret.value ?? ""),
    vaultUrl: ref.vaultUrl,
    vaultName: ref.vaultName,
    secretName: secret.name,
    version: p.version ?? "",
    secretId: p.id ?? `${ref.vaultUrl}secrets/${secret.name}/${p.version ?? ""}`,
    createdOn: p.createdOn,
    updatedOn: p.updatedOn,
    contentType: p.contentType,
    tags: Object.freeze({ ...p.tags }),
    enabled: p.enabled ?? true,
  });
}

/**
 * Reads the secret a reference points at (its pinned version, else the latest).
 *
 * @param ref A parsed reference (`parseKeyVaultReference`).
 * @param options Credential, CA for the emulator's vault, signal, source for messages.
 * @returns The value as a `Secret`, with vault, name, version, dates, content type and tags.
 * @throws {NotFoundError} `KeyVaultSecretNotFound`, `KeyVaultNotFound`.
 * @throws {RequestError} `KeyVaultForbidden` (names Key Vault Secrets User and the vault's scope),
 *   `KeyVaultSecretDisabled`, `KeyVaultRequestFailed`.
 * @throws {UnauthorizedError} `KeyVaultUnauthorized`, `KeyVaultCredentialUnavailable`.
 * @throws {NetworkError} `KeyVaultUnreachable`.
 */
export async function readKeyVaultSecret(
  ref: KeyVaultReference,
  options: KeyVaultAccessOptions,
): Promise<KeyVaultSecretValue> {
  options.signal?.throwIfAborted();
  let client: SecretClient;
  let secret: KeyVaultSecret;
  try {
    client = await clientFor(ref, options);
    secret = await client.getSecret(ref.secretName, {
      version: ref.secretVersion,
      abortSignal: options.signal,
    });
  } catch (e) {
    throw keyVaultError(e, { op: "read", ref, source: options.source }, options.signal);
  }
  return toValue(ref, secret);
}

/** One version of a secret as a vault lists it: its properties, never its value. */
export interface KeyVaultSecretVersionInfo {
  /** The version (32 hex digits). */
  readonly version: string;
  /** `{vaultUrl}secrets/{name}/{version}` */
  readonly secretId: string;
  readonly createdOn: Date | undefined;
  readonly updatedOn: Date | undefined;
  readonly enabled: boolean;
  readonly contentType: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Lists the versions of the secret `ref` names (its version, if any, is ignored) with the SDK's
 * `listPropertiesOfSecretVersions`: properties only, so no value is ever read. Oldest first.
 *
 * @param ref Where (`keyVaultSecretTarget`).
 * @param options Credential, CA for the emulator's vault, signal, source for messages.
 * @returns The versions, oldest first (none for a secret that does not exist).
 * @throws The errors of {@link readKeyVaultSecret} (`KeyVaultForbidden` names Key Vault Secrets User).
 */
export async function listKeyVaultSecretVersions(
  ref: KeyVaultReference,
  options: KeyVaultAccessOptions,
): Promise<KeyVaultSecretVersionInfo[]> {
  options.signal?.throwIfAborted();
  const versions: KeyVaultSecretVersionInfo[] = [];
  const at = { ...ref, secretVersion: undefined };
  try {
    const client = await clientFor(at, options);
    const pages = client.listPropertiesOfSecretVersions(ref.secretName, { abortSignal: options.signal });
    for await (const p of pages) {
      versions.push(Object.freeze({
        version: p.version ?? "",
        secretId: p.id ?? `${ref.vaultUrl}secrets/${ref.secretName}/${p.version ?? ""}`,
        createdOn: p.createdOn,
        updatedOn: p.updatedOn,
        enabled: p.enabled ?? true,
        contentType: p.contentType,
        tags: Object.freeze({ ...p.tags }),
      }));
    }
  } catch (e) {
    throw keyVaultError(e, { op: "read", ref: at, source: options.source }, options.signal);
  }
  const time = (d: Date | undefined) => d?.getTime() ?? 0;
  return versions.sort((a, b) => time(a.createdOn) - time(b.createdOn));
}

/**
 * Stores `value` as a new version of the secret `target` names (any version in `target` is
 * ignored: a write always adds a version), then reads that version back and checks it holds
 * `value`. A reference without a version follows the new version at once; one pinned to a
 * version must be rewritten by the caller.
 *
 * @param target Where to write (`parseKeyVaultReference` or `keyVaultSecretTarget`).
 * @param value The connection string (or any secret text).
 * @param options Access options plus content type and tags.
 * @returns The version as read back.
 * @throws The errors of {@link readKeyVaultSecret} (`KeyVaultForbidden` names Key Vault Secrets
 *   Officer for the write), `KeyVaultSecretDeleted` for a name held by a soft-deleted secret, and
 *   `KeyVaultWriteUnverified` ({@link QuantumError}) when the version reads back different.
 */
export async function writeKeyVaultSecret(
  target: KeyVaultReference,
  value: Secret,
  options: KeyVaultWriteOptions,
): Promise<KeyVaultSecretValue> {
  options.signal?.throwIfAborted();
  const ref: KeyVaultReference = { ...target, secretVersion: undefined };
  let client: SecretClient;
  let version: string;
  try {
    client = await clientFor(ref, options);
    const written = await client.setSecret(target.secretName, value.reveal(), {
      contentType: options.contentType ?? CONNECTION_STRING_CONTENT_TYPE,
      tags: options.tags,
      abortSignal: options.signal,
    });
    version = written.properties.version ?? "";
  } catch (e) {
    throw keyVaultError(e, { op: "write", ref, source: options.source }, options.signal);
  }
  let back: KeyVaultSecretValue;
  try {
    back = toValue(
      ref,
      await client.getSecret(target.secretName, { version, abortSignal: options.signal }),
    );
  } catch (e) {
    throw keyVaultError(e, { op: "verify", ref, version, source: options.source }, options.signal);
  }
  if (!back.value.equals(value)) {
    throw new QuantumError(
      "KeyVaultWriteUnverified",
      `Cannot verify the new version ${version} of the Key Vault secret "${target.secretName}" in ` +
        `${target.vaultUrl}: it reads back a different value (${back.value.fingerprint}, written ` +
        `${value.fingerprint}). Check for another writer or a policy that changes values, then write again`,
    );
  }
  return back;
}

/**
 * The tags a connection string's secret version carries: the workspace's resource id, the key
 * slot it belongs to (when known), the key's fingerprint (never the key) and the writer.
 */
export function connectionStringSecretTags(input: {
  subscriptionId: string;
  resourceGroup: string;
  workspaceName: string;
  slot?: "primary" | "secondary";
  keyFingerprint?: string;
}): Record<string, string> {
  return {
    "azure-quantum-workspace":
      `/subscriptions/${input.subscriptionId}/resourceGroups/${input.resourceGroup}` +
      `/providers/Microsoft.Quantum/workspaces/${input.workspaceName}`,
    ...(input.slot ? { "azure-quantum-key": input.slot } : {}),
    ...(input.keyFingerprint ? { "azure-quantum-key-fingerprint": input.keyFingerprint } : {}),
    "written-by": `azure-quantum-notebook/${VERSION}`,
  };
}
