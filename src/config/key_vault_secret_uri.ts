/**
 * The parts of a Key Vault reference that name a secret: a secret URI
 * (`https://<vault>.vault.azure.net/secrets/<name>/[<version>]`, or the emulator's
 * `https://127.0.0.1:<port>/secrets/…`) and Key Vault's naming rules for vaults, secrets and
 * versions.
 *
 * @module
 */

import { EMULATOR_HOSTS } from "../connection/quantum_endpoint.ts";

/**
 * A parsed Key Vault reference. Plain, frozen data: nothing in it is secret.
 *
 * @example Usage
 * ```ts
 * import { type KeyVaultReference, parseKeyVaultReference } from "azure-quantum-notebook";
 * const ref: KeyVaultReference = parseKeyVaultReference(
 *   "@Microsoft.KeyVault(VaultName=myvault;SecretName=quantum)",
 * );
 * ref.vaultUrl; // "https://myvault.vault.azure.net/"
 * ```
 */
export interface KeyVaultReference {
  /** The vault's URL with a trailing slash: `https://myvault.vault.azure.net/` (host lowercased). */
  readonly vaultUrl: string;
  /** The vault's name (`myvault`), or `undefined` for a loopback (emulator) vault. */
  readonly vaultName: string | undefined;
  /** The secret's name as written (Key Vault compares names case-insensitively). */
  readonly secretName: string;
  /** The pinned version (32 lowercase hex digits), or `undefined` for the latest version. */
  readonly secretVersion: string | undefined;
  /** `https://127.0.0.1:<port>/` or `https://localhost:<port>/`: the emulator's vault. */
  readonly isLoopback: boolean;
  /** The secret's URI: `{vaultUrl}secrets/{name}/` plus the version when pinned. */
  readonly secretUri: string;
  /** Which reference form it was written in (`SecretUri` for a target built from a vault URL). */
  readonly syntax: "SecretUri" | "VaultName";
}

/** Reports a malformed reference (throws a `ConfigurationError`). */
export type Fail = (what: string, fix?: string) => never;

/** Vault DNS suffixes of the public, China and US Government clouds. */
const VAULT_SUFFIXES = ["vault.azure.net", "vault.azure.cn", "vault.usgovcloudapi.net"];
/** Key Vault's naming rules: vaults 3-24 of a-z, 0-9 and "-", starting with a letter, ending with a
 * letter or digit, no "--"; secrets 1-127 of letters, digits and "-"; versions 32 hex digits. */
const VAULT_NAME = /^(?!.*--)[a-z][a-z0-9-]{1,22}[a-z0-9]$/;
const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;
const VERSION = /^[0-9a-fA-F]{32}$/;

/**
 * Checks a vault name against Key Vault's rules (lowercased before the call).
 */
export function checkVaultName(name: string, fail: Fail, what: string): void {
  if (!VAULT_NAME.test(name)) {
    fail(
      `its ${what} is not a valid vault name`,
      "Vault names have 3 to 24 letters, digits and single hyphens, start with a letter and end with a letter or digit",
    );
  }
}

/**
 * Splits and checks `https://<host>[:port]/secrets/<name>[/[<version>[/]]]` by hand, not with
 * `new URL` (which would quietly normalize backslashes, `..` and percent-escapes an attacker can
 * use). The host is a vault of the public, China or US Government cloud, or a loopback host
 * with a port (the emulator).
 *
 * @param what Names the URI in messages (`"SecretUri"`, `"vault URL"`).
 */
export function parseSecretUri(uri: string, fail: Fail, what: string): KeyVaultReference {
  if (!uri) fail(`its ${what} is empty`);
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(.*)$/is.exec(uri);
  if (!m) fail(`its ${what} is not an https:// URL`);
  const [, scheme, authority, path, rest] = m;
  if (scheme!.toLowerCase() !== "https") fail(`its ${what} does not use https`);
  if (rest) fail(`its ${what} has a query or fragment`, "Remove everything from ? or # on");
  if (authority!.includes("@")) {
    fail(
      `its ${what} has user information before the host`,
      "Remove it: vault URLs carry no credentials",
    );
  }
  const hp = /^([a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(authority!);
  if (!hp) fail(`its ${what} does not name a vault host`);
  const host = hp[1]!.toLowerCase();
  const port = hp[2] === undefined ? undefined : Number(hp[2]);
  let vaultUrl: string;
  let vaultName: string | undefined;
  const isLoopback = EMULATOR_HOSTS.has(host);
  if (isLoopback) {
    if (port === undefined || port < 1 || port > 65535) {
      fail(
        `its ${what} names a loopback host without a valid port`,
        "Use the emulator's vault URL, https://127.0.0.1:<port>/",
      );
    }
    vaultUrl = `https://${host}:${port}/`;
  } else {
    const suffix = VAULT_SUFFIXES.find((s) => host.endsWith(`.${s}`));
    if (!suffix) {
      fail(
        `its ${what} does not name a Key Vault host`,
        "Use https://<vault>.vault.azure.net/ (vault.azure.cn or vault.usgovcloudapi.net in those clouds), or the emulator's https://127.0.0.1:<port>/",
      );
    }
    vaultName = host.slice(0, -suffix.length - 1);
    checkVaultName(vaultName, fail, `${what}'s vault`);
    if (port !== undefined && port !== 443) {
      fail(`its ${what} has a port, which vault hosts do not take`);
    }
    vaultUrl = `https://${host}/`;
  }
  const p = /^\/secrets\/([^/]*)(?:\/|\/([^/]+)\/?)?$/i.exec(path!);
  if (!p) {
    fail(
      /^\/(keys|certificates)\//i.test(path!)
        ? `its ${what} names a key or certificate, not a secret`
        : `its ${what} does not have the path /secrets/<name>/[<version>]`,
    );
  }
  return buildReference(
    vaultUrl,
    vaultName,
    p[1]!,
    p[2] || undefined,
    isLoopback,
    "SecretUri",
    fail,
  );
}

/**
 * Checks the secret name and version and assembles the frozen {@link KeyVaultReference}.
 */
export function buildReference(
  vaultUrl: string,
  vaultName: string | undefined,
  secretName: string,
  version: string | undefined,
  isLoopback: boolean,
  syntax: KeyVaultReference["syntax"],
  fail: Fail,
): KeyVaultReference {
  if (!SECRET_NAME.test(secretName)) {
    fail("its secret name is not valid", "Secret names have 1 to 127 letters, digits and hyphens");
  }
  if (version !== undefined && !VERSION.test(version)) {
    fail(
      "its secret version is not a Key Vault version (32 hex digits)",
      "Copy the version from the secret's identifier, or leave it out to use the latest version",
    );
  }
  const v = version?.toLowerCase();
  return Object.freeze({
    vaultUrl,
    vaultName,
    secretName,
    secretVersion: v,
    isLoopback,
    secretUri: `${vaultUrl}secrets/${secretName}/${v ?? ""}`,
    syntax,
  });
}
