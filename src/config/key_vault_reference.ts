/**
 * Key Vault references, as App Service and Azure Functions write them in app settings:
 * `@Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>/[<version>])` and
 * `@Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>[;SecretVersion=<version>])`
 * (https://learn.microsoft.com/azure/app-service/app-service-key-vault-references, "Reference
 * syntax"), plus the emulator's loopback vault `https://127.0.0.1:<port>/secrets/<name>/`.
 *
 * Leniency follows Microsoft's own reader of these references, `az appconfig kv import --source
 * appservice` (Azure/azure-cli `src/azure-cli/azure/cli/command_modules/appconfig/_kv_import_helpers.py`
 * at 53913bce): the prefix and parameter names are matched case-insensitively and whitespace
 * around them is ignored. Stricter than it where that could hide a mistake: unknown, repeated or
 * mixed parameters, whitespace or quotes inside a value, a query, a fragment, user information, a
 * host that is not a vault, and names Key Vault would refuse are all errors. Errors name the
 * parameter and the rule, never a value (a reference is not secret, but the text that failed to
 * be one may be).
 *
 * @module
 */
import { ConfigurationError } from "../errors.ts";
import {
  buildReference,
  checkVaultName,
  type Fail,
  type KeyVaultReference,
  parseSecretUri,
} from "./key_vault_secret_uri.ts";

export type { KeyVaultReference } from "./key_vault_secret_uri.ts";

/**
 * Options of {@link parseKeyVaultReference}.
 *
 * @example Usage
 * ```ts
 * import { parseKeyVaultReference, type ParseKeyVaultReferenceOptions } from "azure-quantum-notebook";
 * const options: ParseKeyVaultReferenceOptions = { source: "my settings file" };
 * parseKeyVaultReference("@Microsoft.KeyVault(VaultName=myvault;SecretName=quantum)", options);
 * ```
 */
export interface ParseKeyVaultReferenceOptions {
  /** Where the reference came from, for error messages, e.g. `"env AZURE_QUANTUM_CONNECTION_STRING"`. */
  source?: string;
}

/** The error code of every malformed reference. */
export const KEY_VAULT_REFERENCE_INVALID = "KeyVaultReferenceInvalid";

const PREFIX = "@microsoft.keyvault(";
const PARAMS = ["SecretUri", "VaultName", "SecretName", "SecretVersion"] as const;
type Param = (typeof PARAMS)[number];
const SYNTAX_FIX =
  "Write @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>/) " +
  "or @Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>)";

function failer(source: string | undefined): Fail {
  const prefix = source
    ? `Cannot parse Key Vault reference from ${source}`
    : "Cannot parse Key Vault reference";
  return (what, fix = SYNTAX_FIX) => {
    throw new ConfigurationError(KEY_VAULT_REFERENCE_INVALID, `${prefix}: ${what}. ${fix}`);
  };
}

/**
 * True when `value` is meant as a Key Vault reference (starts with `@Microsoft.KeyVault`, any
 * case, after whitespace or a quote), so a malformed one gets the reference's error rather than
 * a connection string's.
 */
export function looksLikeKeyVaultReference(value: string): boolean {
  return typeof value === "string" && /^\s*["']?\s*@microsoft\.keyvault\b/i.test(value);
}

/**
 * Parses a Key Vault reference (see the module comment for what is accepted).
 *
 * @param value The reference, e.g. an environment variable's value.
 * @param options `source` names where it came from in error messages.
 * @returns The vault, secret and version it points at.
 * @throws {ConfigurationError} `KeyVaultReferenceInvalid`, naming the part at fault and the fix.
 * @example Both syntaxes
 * ```ts
 * import { parseKeyVaultReference } from "azure-quantum-notebook";
 * const a = parseKeyVaultReference(
 *   "@Microsoft.KeyVault(SecretUri=https://myvault.vault.azure.net/secrets/quantum/)",
 * );
 * const b = parseKeyVaultReference("@Microsoft.KeyVault(VaultName=myvault;SecretName=quantum)");
 * a.secretUri === b.secretUri; // true: https://myvault.vault.azure.net/secrets/quantum/
 * ```
 */
export function parseKeyVaultReference(
  value: string,
  options: ParseKeyVaultReferenceOptions = {},
): KeyVaultReference {
  const fail: Fail = failer(options.source);
  if (typeof value !== "string") {
    throw new TypeError(`Cannot parse Key Vault reference: it is a ${typeof value}`);
  }
  const text = value.trim();
  if (/^["']/.test(text) && looksLikeKeyVaultReference(text)) {
    fail("it is wrapped in quotes", "Remove the quotes around @Microsoft.KeyVault(…)");
  }
  if (!text.toLowerCase().startsWith(PREFIX)) {
    fail("it does not start with @Microsoft.KeyVault(");
  }
  if (!text.endsWith(")")) fail('it does not end with ")" or has text after it');
  const body = text.slice(PREFIX.length, -1);
  if (/[()]/.test(body)) fail("it has a parenthesis inside the reference");
  const params = parseParams(body, fail);
  if (params.has("SecretUri")) {
    const others = PARAMS.filter((p) => p !== "SecretUri" && params.has(p));
    if (others.length > 0) {
      fail(
        `it mixes SecretUri with ${others.join(" and ")}`,
        "Use either SecretUri=… alone or VaultName=…;SecretName=…",
      );
    }
    return parseSecretUri(params.get("SecretUri")!, fail, "SecretUri");
  }
  for (const p of ["VaultName", "SecretName"] as const) {
    if (!params.get(p)) {
      fail(params.has(p) ? `its ${p} is empty` : `it has no ${p} (and no SecretUri)`);
    }
  }
  const vault = params.get("VaultName")!.toLowerCase();
  if (/[:/.]/.test(vault)) {
    fail(
      "its VaultName is a host or URL, not a vault name",
      "Write the vault's name only (myvault), or use SecretUri=https://…",
    );
  }
  checkVaultName(vault, fail, "VaultName");
  const version = params.get("SecretVersion") || undefined;
  return buildReference(
    `https://${vault}.vault.azure.net/`,
    vault,
    params.get("SecretName")!,
    version,
    false,
    "VaultName",
    fail,
  );
}

/**
 * The reference to write for `target` (SecretUri form; versionless unless `secretVersion` is
 * set, so a reader follows new versions).
 *
 * @example Connect through a vault secret
 * ```ts
 * import { connect, formatKeyVaultReference } from "azure-quantum-notebook";
 * const connectionString = formatKeyVaultReference({
 *   vaultUrl: "https://myvault.vault.azure.net/",
 *   secretName: "quantum",
 * }); // "@Microsoft.KeyVault(SecretUri=https://myvault.vault.azure.net/secrets/quantum/)"
 * const ws = await connect({ connectionString });
 * ```
 */
export function formatKeyVaultReference(
  target: { vaultUrl: string; secretName: string; secretVersion?: string },
): string {
  const ref = keyVaultSecretTarget(target.vaultUrl, target.secretName, target.secretVersion);
  return `@Microsoft.KeyVault(SecretUri=${ref.secretUri})`;
}

/**
 * Validates a vault URL and secret name (and version) as a reference would, e.g. for a write
 * target given as options.
 *
 * @throws {ConfigurationError} `KeyVaultReferenceInvalid`.
 */
export function keyVaultSecretTarget(
  vaultUrl: string,
  secretName: string,
  secretVersion?: string,
  options: ParseKeyVaultReferenceOptions = {},
): KeyVaultReference {
  const fail: Fail = failer(options.source);
  if (typeof vaultUrl !== "string" || typeof secretName !== "string") {
    throw new TypeError(
      "Cannot build a Key Vault secret target: vaultUrl and secretName must be strings",
    );
  }
  const base = vaultUrl.trim().replace(/\/$/, "");
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*\//i.test(base)) {
    fail("its vault URL has a path", "Use the vault's URL only, https://<vault>.vault.azure.net/");
  }
  const { vaultUrl: url, vaultName, isLoopback } = parseSecretUri(
    `${base}/secrets/x/`,
    fail,
    "vault URL",
  );
  return buildReference(
    url,
    vaultName,
    secretName,
    secretVersion || undefined,
    isLoopback,
    "SecretUri",
    fail,
  );
}

function parseParams(body: string, fail: Fail): Map<Param, string> {
  const params = new Map<Param, string>();
  const parts = body.split(";").map((raw) => raw.trim()).filter((part) => part !== "").map(
    (part) => {
      const eq = part.indexOf("=");
      if (eq < 0) {
        fail('a parameter has no "="', 'Write each parameter as Name=value, separated by ";"');
      }
      return { name: part.slice(0, eq).trim(), val: part.slice(eq + 1).trim() };
    },
  );
  for (const { name, val } of parts) {
    const known = PARAMS.find((p) => p.toLowerCase() === name.toLowerCase());
    if (!known) {
      // Named only when it cannot be part of a secret pasted by mistake: a short identifier
      // with a value, appearing in no value, not an access key glued to its `ApiKey` name.
      const shown = /^[A-Za-z][A-Za-z0-9]{0,23}$/.test(name) && !/^apikey/i.test(name) &&
          val !== "" && !parts.some((p) => p.val.includes(name))
        ? `"${name}"`
        : "a parameter";
      fail(`it has an unknown parameter ${shown}`, `Use only ${PARAMS.join(", ")}`);
    }
    if (params.has(known)) fail(`it has ${known} twice`, `Write ${known} once`);
    if (/^["'].*["']$/s.test(val)) {
      fail(`its ${known} is in quotes`, `Remove the quotes around the ${known} value`);
    }
    if (/\s/.test(val)) {
      fail(`its ${known} has whitespace inside`, `Remove the spaces from the ${known} value`);
    }
    params.set(known, val);
  }
  return params;
}
