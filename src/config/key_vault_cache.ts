/**
 * The connection strings this process has read from (or written to) Key Vault, by secret URI.
 * A reference is read once per process: later connects reuse the read, `connect({ refresh: true })`
 * reads again, and a rotation that writes a new version updates the entry, so a later connect
 * uses the new key without asking the vault.
 *
 * The synchronous loader (`loadConnection`) only looks here; `loadConnectionAsync` and `connect`
 * fill it. Entries hold the value as a `Secret` (masked everywhere) and no reference or token.
 *
 * @module
 */

import type { KeyVaultOrigin } from "../connection/connection_info.ts";
import type { Secret } from "../connection/secret.ts";
import type { KeyVaultSecretValue } from "./key_vault_source.ts";

/** What was read: the vault's side of a {@link KeyVaultOrigin} (the reference adds the rest). */
export type KeyVaultRead = Omit<KeyVaultOrigin, "pinned" | "syntax">;

/** One secret version this process knows. */
export interface CachedKeyVaultSecret {
  /** The connection string (or whatever the secret holds). */
  readonly value: Secret;
  /** Where and when it was read. */
  readonly read: KeyVaultRead;
  /** Increases with every entry stored: newer entries have higher numbers. */
  readonly generation: number;
}

const entries = new Map<string, CachedKeyVaultSecret>();
let generation = 0;
// Set only while a synchronous load runs for `refresh: true`: older entries count as missing.
let freshAfter: number | undefined;

// Vault hosts are lowercased by the parser; secret names compare case-insensitively in Key Vault.
const keyOf = (secretUri: string) => secretUri.toLowerCase();

/** The entry for `secretUri` (versionless: the latest; with a version: that one), if fresh enough. */
export function cachedKeyVaultSecret(secretUri: string): CachedKeyVaultSecret | undefined {
  const entry = entries.get(keyOf(secretUri));
  return entry && (freshAfter === undefined || entry.generation > freshAfter) ? entry : undefined;
}

/** What the cache records of `secret`, read (or written and read back) just now. */
export function keyVaultRead(
  secret: Pick<KeyVaultSecretValue, "vaultUrl" | "vaultName" | "secretName" | "version" | "createdOn">,
): KeyVaultRead {
  return {
    vaultUrl: secret.vaultUrl,
    vaultName: secret.vaultName,
    secretName: secret.secretName,
    version: secret.version,
    createdOn: secret.createdOn?.toISOString(),
    readAt: new Date().toISOString(),
  };
}

/** Stores what was read or written for `secretUri`. */
export function rememberKeyVaultSecret(
  secretUri: string,
  value: Secret,
  read: KeyVaultRead,
): CachedKeyVaultSecret {
  const entry = Object.freeze({ value, read: Object.freeze({ ...read }), generation: ++generation });
  entries.set(keyOf(secretUri), entry);
  return entry;
}

/** The generation of the newest entry (0 when none): entries stored later have higher ones. */
export function keyVaultCacheGeneration(): number {
  return generation;
}

/** Runs `load` (synchronous) treating entries of generation `after` or older as missing. */
export function withFreshKeyVaultReads<T>(after: number | undefined, load: () => T): T {
  const previous = freshAfter;
  freshAfter = after;
  try {
    return load();
  } finally {
    freshAfter = previous;
  }
}

/** Forgets every entry (tests; or to drop values from memory). */
export function forgetKeyVaultSecrets(): void {
  entries.clear();
}
