// Key Vault references where a connection string can stand (the connectionString option,
// AZURE_QUANTUM_CONNECTION_STRING in the environment and in a .env), as the synchronous loader
// handles them: parsed where met, resolved from this process's reads, or stopped with a typed
// error that says to use connect() / loadConnectionAsync(). No vault is involved here.
import { beforeEach, describe, expect, it } from "vitest";
import {
  forgetKeyVaultSecrets,
  keyVaultCacheGeneration,
  rememberKeyVaultSecret,
} from "../../src/config/key_vault_cache.ts";
import { pendingKeyVaultRead } from "../../src/config/key_vault_connection.ts";
import { loadConnection, type LoadConnectionOptions } from "../../src/config/load_connection.ts";
import { resolveSettings } from "../../src/config/settings.ts";
import { Secret } from "../../src/connection/secret.ts";
import { expectNoSecrets } from "../keys/_emulator.ts";
import { cs, G, KEY, KEY2 } from "./_load_fixtures.ts";

const V1 = "0123456789abcdef0123456789abcdef";
const V2 = "fedcba9876543210fedcba9876543210";
const VAULT = "https://myvault.vault.azure.net/";
const BY_URI = `@Microsoft.KeyVault(SecretUri=${VAULT}secrets/quantum/)`;
const BY_NAME = "@Microsoft.KeyVault(VaultName=myvault;SecretName=quantum)";
const PINNED = `@Microsoft.KeyVault(VaultName=MyVault; SecretName=quantum; SecretVersion=${V1})`;
const READ_AT = "2026-11-30T12:00:00.000Z";
const CREATED = "2026-11-29T12:00:00.000Z";
const ENV_FILE = "/repo/.env";
const ENV_SOURCE = "env AZURE_QUANTUM_CONNECTION_STRING";
const DOTENV_SOURCE = `.env ${ENV_FILE} (AZURE_QUANTUM_CONNECTION_STRING)`;

/** Stores `value` as what this process read for `uri` (as the async loader does). */
function read(uri: string, value: string, version = V2) {
  rememberKeyVaultSecret(uri, new Secret(value), {
    vaultUrl: VAULT,
    vaultName: "myvault",
    secretName: "quantum",
    version,
    createdOn: CREATED,
    readAt: READ_AT,
  });
}

/** Options reading only `env` and (when given) a /repo/.env holding `dotenv`. */
function options(env: Record<string, string>, dotenv?: string): LoadConnectionOptions {
  return {
    cwd: "/repo",
    env,
    exists: (p) => (dotenv !== undefined && p === ENV_FILE) || p === "/repo/.git",
    readTextFile: (p) => (p === ENV_FILE ? dotenv : undefined),
  };
}

function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error("expected a throw");
}

beforeEach(() => forgetKeyVaultSecrets());

describe("a reference not read yet stops the synchronous loader, naming its source", () => {
  const message = (source: string) =>
    `Cannot load connection from ${source}: it is a Key Vault reference (Key Vault secret "quantum" in ` +
    "myvault.vault.azure.net), which loadConnection() and resolveSettings() do not read (they are " +
    "synchronous). Use await connect() or await loadConnectionAsync()";

  it("in the environment, in a .env and as the connectionString option (both syntaxes)", () => {
    const cases: [LoadConnectionOptions, string, string][] = [
      [options({ AZURE_QUANTUM_CONNECTION_STRING: BY_URI }), ENV_SOURCE, "env"],
      [options({}, `AZURE_QUANTUM_CONNECTION_STRING="${BY_NAME}"\n`), DOTENV_SOURCE, "dotenv"],
      [{ ...options({}), connectionString: BY_URI }, "argument connectionString", "argument"],
      [{ ...options({}), connectionString: new Secret(` ${BY_NAME} `) }, "argument connectionString", "argument"],
    ];
    for (const [opts, source, kind] of cases) {
      const e = thrown(() => loadConnection(opts));
      expect(e).toMatchObject({ name: "ConfigurationError", code: "KeyVaultReferenceUnresolved" });
      expect(e.message).toBe(message(source));
      // What the async loader must read, beside the error (never on it).
      const pending = pendingKeyVaultRead(e)!;
      expect(pending.source).toBe(source);
      expect(pending.keySource.kind).toBe(kind);
      expect(pending.reference.secretUri).toBe(`${VAULT}secrets/quantum/`);
      expect(Object.keys(e)).toEqual(["name", "code"]);
    }
    expect(thrown(() => resolveSettings(options({ AZURE_QUANTUM_CONNECTION_STRING: BY_URI }))).code)
      .toBe("KeyVaultReferenceUnresolved");
  });

  it("a malformed reference is a KeyVaultReferenceInvalid that names the source, not a connection-string error", () => {
    const e = thrown(() =>
      loadConnection(options({ AZURE_QUANTUM_CONNECTION_STRING: "@Microsoft.KeyVault(VaultName=myvault)" }))
    );
    expect(e).toMatchObject({ name: "ConfigurationError", code: "KeyVaultReferenceInvalid" });
    expect(e.message).toBe(
      `Cannot parse Key Vault reference from ${ENV_SOURCE}: it has no SecretName (and no SecretUri). ` +
        "Write @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>/) or " +
        "@Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>)",
    );
    expect(pendingKeyVaultRead(e)).toBeUndefined();
  });

  it("a reference is only read when a field is still missing: a higher source leaves it alone", () => {
    const info = loadConnection({
      ...options({ AZURE_QUANTUM_CONNECTION_STRING: BY_URI }, `AZURE_QUANTUM_CONNECTION_STRING=${BY_NAME}\n`),
      connectionString: cs(),
    });
    expect(info.keySource).toEqual({ kind: "argument", variable: "connectionString" });
    expect(info.sources.apiKey).toBe("argument connectionString");
  });
});

describe("a reference this process has read resolves synchronously, with its origin", () => {
  it("from the environment: every field labelled with the secret, keySource.keyVault with version and dates", () => {
    read(`${VAULT}secrets/quantum/`, cs());
    const info = loadConnection(options({ AZURE_QUANTUM_CONNECTION_STRING: BY_URI }));
    const label = `Key Vault secret "quantum" in myvault.vault.azure.net (via ${ENV_SOURCE})`;
    expect(info).toMatchObject({
      subscriptionId: G,
      workspaceName: "myworkspace",
      location: "eastus",
      sources: {
        subscriptionId: label,
        resourceGroup: label,
        workspaceName: label,
        location: label,
        endpoint: label,
        apiKey: label,
      },
    });
    expect(info.apiKey?.reveal()).toBe(KEY);
    expect(info.keySource).toEqual({
      kind: "env",
      variable: "AZURE_QUANTUM_CONNECTION_STRING",
      keyVault: {
        vaultUrl: VAULT,
        vaultName: "myvault",
        secretName: "quantum",
        version: V2,
        pinned: false,
        syntax: "SecretUri",
        createdOn: CREATED,
        readAt: READ_AT,
      },
    });
    expectNoSecrets([KEY, cs()], info.keySource, info.sources);
  });

  it("from a .env, in the VaultName syntax, pinned to a version (its own entry, not the latest's)", () => {
    read(`${VAULT}secrets/quantum/`, cs({ key: KEY2 }));
    const dotenv = `AZURE_QUANTUM_CONNECTION_STRING=${PINNED}\n`;
    expect(thrown(() => loadConnection(options({}, dotenv))).code).toBe("KeyVaultReferenceUnresolved");
    read(`${VAULT}secrets/quantum/${V1}`, cs(), V1);
    const info = loadConnection(options({}, dotenv));
    expect(info.apiKey?.reveal()).toBe(KEY);
    expect(info.keySource).toMatchObject({
      kind: "dotenv",
      path: ENV_FILE,
      keyVault: { version: V1, pinned: true, syntax: "VaultName" },
    });
    expect(info.sources.apiKey).toBe(
      `Key Vault secret "quantum" in myvault.vault.azure.net (via ${DOTENV_SOURCE})`,
    );
  });

  it("as the connectionString option", () => {
    read(`${VAULT}secrets/quantum/`, cs());
    const info = loadConnection({ ...options({}), connectionString: BY_NAME });
    expect(info.keySource).toMatchObject({
      kind: "argument",
      variable: "connectionString",
      keyVault: { syntax: "VaultName", pinned: false },
    });
  });

  it("conflicts name the secret: a .env LOCATION against the vault's connection string", () => {
    read(`${VAULT}secrets/quantum/`, cs());
    const e = thrown(() =>
      loadConnection(options({ AZURE_QUANTUM_CONNECTION_STRING: BY_URI, LOCATION: "westus" }))
    );
    expect(e).toMatchObject({ code: "ConnectionConflict" });
    expect(e.message).toMatch(
      /^Cannot load connection: the location from env LOCATION differs from the one in Key Vault secret "quantum" in myvault\.vault\.azure\.net \(via env AZURE_QUANTUM_CONNECTION_STRING\)\. /,
    );
  });

  it("a secret that is not a connection string: KeyVaultSecretNotConnectionString, never its value", () => {
    const values = [
      ["hunter2-s3cr3t-value", undefined],
      [cs().replace("ApiKey=", "Password="), undefined], // a name from the value is never shown
      [cs().replace(/QuantumEndpoint=[^;]*;/, ""), "QuantumEndpoint"],
    ] as const;
    for (const [value, field] of values) {
      read(`${VAULT}secrets/quantum/`, value);
      const e = thrown(() => loadConnection(options({ AZURE_QUANTUM_CONNECTION_STRING: BY_URI })));
      expect(e).toMatchObject({ name: "ConfigurationError", code: "KeyVaultSecretNotConnectionString" });
      expect(e.message).toBe(
        `Cannot use the Key Vault secret "quantum" (version ${V2}) in myvault.vault.azure.net (from ${ENV_SOURCE}) ` +
          `as an Azure Quantum connection string: ${
            field ? `its ${field} field is missing or invalid` : "it does not parse as one"
          }. Store the workspace's connection string (Operations > Access keys in the Azure portal) as a new ` +
          "version of the secret, or refer to another secret",
      );
      expect(e.cause).toBeUndefined();
      expectNoSecrets([value, KEY, "Password"], e);
    }
  });
});

describe("the process cache", () => {
  it("keys entries by secret URI, case-insensitively, and counts generations", () => {
    const before = keyVaultCacheGeneration();
    read(`${VAULT}secrets/Quantum/`, cs());
    expect(keyVaultCacheGeneration()).toBe(before + 1);
    expect(loadConnection(options({ AZURE_QUANTUM_CONNECTION_STRING: BY_URI })).apiKey?.reveal())
      .toBe(KEY);
  });
});
