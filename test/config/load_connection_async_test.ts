// connect() and loadConnectionAsync() with the connection string in Key Vault: a reference in the
// environment, in a .env and as the connectionString option, read with the real
// DefaultAzureCredential (the emulator's managed identity) and the unmodified SecretClient, once
// per process (counted in the emulator's request log); and each bad input as a typed error that
// names the source and the fix, changes nothing and shows no value or token.
import { lookup } from "node:dns/promises";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { forgetKeyVaultSecrets } from "../../src/config/key_vault_cache.ts";
import { loadConnection } from "../../src/config/load_connection.ts";
import { loadConnectionAsync } from "../../src/config/load_connection_async.ts";
import { type Emulator, EMULATOR_PRINCIPAL_ID, startEmulator } from "../../src/emulator/mod.ts";
import { recordSignedTokens } from "../hardening/_helpers.ts";
import { connectTo, expectNoSecrets, rejection, secretsOf, startKeysEmulator } from "../keys/_emulator.ts";

let emu: Emulator;
const tokens = new Set<string>();
beforeAll(async () => {
  recordSignedTokens(tokens);
  emu = await startKeysEmulator();
});
afterAll(() => emu.stop());
beforeEach(() => {
  forgetKeyVaultSecrets();
  emu.control.resetLog();
});

const ENV_SOURCE = "env AZURE_QUANTUM_CONNECTION_STRING";
const host = () => emu.keyVaultUrl.slice(8, -1);
const reference = (name: string) => `@Microsoft.KeyVault(SecretUri=${emu.keyVaultUrl}secrets/${name}/)`;
/** The emulator's env with AZURE_QUANTUM_CONNECTION_STRING replaced by `value`. */
const envWith = (value: string) => ({ ...emu.revealEnv(), AZURE_QUANTUM_CONNECTION_STRING: value });
const vaultLog = () =>
  emu.control.requestLog({ listener: "vault" }).map((e) => `${e.method} ${e.path} ${e.status}`);
const secrets = (...more: string[]) => [...secretsOf(emu), emu.env.IDENTITY_HEADER.reveal(), ...tokens, ...more];

function project(text: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "aqn-kv-"));
  const path = join(dir, ".env");
  writeFileSync(path, text, { mode: 0o600 });
  return { dir, path };
}

describe("connect() with a Key Vault reference", () => {
  it("in the environment: one vault read per process (after the challenge), again only with refresh", async () => {
    emu.control.vault.setSecret("quantum", emu.connectionString.reveal());
    const stored = emu.control.vault.secret("quantum")!;
    const ws = await connectTo(emu, { env: envWith(reference("quantum")) });
    expect(ws.liveKey?.key.equals(emu.control.keys().primary)).toBe(true);
    // The SecretClient's first request answers Key Vault's challenge (401), then one GET.
    expect(vaultLog()).toEqual(["GET /secrets/quantum/ 401", "GET /secrets/quantum/ 200"]);
    expect(ws.info.keySource).toMatchObject({
      kind: "env",
      variable: "AZURE_QUANTUM_CONNECTION_STRING",
      keyVault: {
        vaultUrl: emu.keyVaultUrl,
        vaultName: undefined,
        secretName: "quantum",
        version: stored.version,
        pinned: false,
        syntax: "SecretUri",
        createdOn: stored.created,
      },
    });
    const card = ws.toMimeBundle();
    expect(card["text/plain"]).toContain(
      `Config from:      Key Vault secret "quantum" in ${host()} (via ${ENV_SOURCE}) (all fields)\n` +
        `Key from:         Key Vault secret "quantum" in ${host()}\n` +
        `                  version ${stored.version} (the latest, read ${ws.info.keySource!.keyVault!.readAt})\n` +
        `                  created ${stored.created} (`,
    );
    expect(card["application/json"]).toMatchObject({ keyVault: { secretName: "quantum", version: stored.version } });

    emu.control.resetLog();
    await connectTo(emu, { env: envWith(reference("quantum")) });
    expect(vaultLog()).toEqual([]); // resolved once per process
    const again = await connectTo(emu, { env: envWith(reference("quantum")), refresh: true });
    expect(vaultLog()).toEqual(["GET /secrets/quantum/ 200"]); // the client's token is kept
    expect(again.info.keySource?.keyVault?.readAt).not.toBe(ws.info.keySource?.keyVault?.readAt);

    const status = await ws.keys.status();
    expect(status.toMimeBundle()["text/plain"]).toContain(
      `Key from:         Key Vault secret "quantum" in ${host()}\n                  version ${stored.version}`,
    );
    expectNoSecrets(secrets(), ws, card, status, ws.info, ws.settings);
  });

  it("in a .env (with the emulator's CA from the same file), the file read from disk once", async () => {
    emu.control.vault.setSecret("from-dotenv", emu.connectionString.reveal());
    const text = `# the workspace\nAZURE_QUANTUM_CONNECTION_STRING=${reference("from-dotenv")}\n` +
      `AZURE_QUANTUM_EMULATOR_CA=${emu.caFile}\n`;
    const { path } = project(text);
    const reads: string[] = [];
    const ws = await connectTo(emu, {
      env: {},
      envFile: path,
      readTextFile: (p) => {
        reads.push(p);
        return readFileSync(p, "utf8");
      },
    });
    expect(reads).toEqual([path]);
    expect(ws.info.keySource).toMatchObject({ kind: "dotenv", path, keyVault: { secretName: "from-dotenv" } });
    expect(ws.info.sources.apiKey).toBe(
      `Key Vault secret "from-dotenv" in ${host()} (via .env ${path} (AZURE_QUANTUM_CONNECTION_STRING))`,
    );
    expect(readFileSync(path, "utf8")).toBe(text);
  });

  it("as the connectionString option, and through loadConnectionAsync; loadConnection() then resolves from the process's read", async () => {
    emu.control.vault.setSecret("as-argument", emu.connectionString.reveal());
    const options = { env: emu.revealEnv(), envFile: false as const, connectionString: reference("as-argument") };
    expect(() => loadConnection(options)).toThrow(/it is a Key Vault reference/);
    const info = await loadConnectionAsync(options);
    expect(info.keySource).toMatchObject({ kind: "argument", variable: "connectionString" });
    expect(loadConnection(options).apiKey?.equals(info.apiKey!)).toBe(true);
    const ws = await connectTo(emu, { connectionString: reference("as-argument") });
    expect(ws.options).not.toHaveProperty("connectionString");
  });

  it("a key rotated elsewhere since this process read it: connect() reads the vault again on the 401", async () => {
    emu.control.vault.setSecret("moving", emu.connectionString.reveal());
    await connectTo(emu, { env: envWith(reference("moving")) });
    emu.control.regenerateKeys("primary");
    emu.control.vault.setSecret("moving", emu.connectionString.reveal());
    emu.control.resetLog();
    const ws = await connectTo(emu, { env: envWith(reference("moving")) });
    expect(ws.liveKey?.key.equals(emu.control.keys().primary)).toBe(true);
    expect(vaultLog()).toEqual(["GET /secrets/moving/ 200"]);
    expect(emu.control.requestLog({ listener: "dataPlane" }).map((e) => e.status)).toEqual([401, 200]);
  });
});

describe("bad input through connect(): a typed error naming the source and the fix, nothing changed", () => {
  const fast = { retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1 } };

  it("a malformed reference (in a .env, which is left as it was)", async () => {
    const text = "AZURE_QUANTUM_CONNECTION_STRING=@Microsoft.KeyVault(SecretUri=https://myvault.example.com/secrets/q/)\n";
    const { path } = project(text);
    const e = await rejection(connectTo(emu, { env: {}, envFile: path }));
    expect(e).toMatchObject({ name: "ConfigurationError", code: "KeyVaultReferenceInvalid" });
    expect(e.message).toBe(
      `Cannot parse Key Vault reference from .env ${path} (AZURE_QUANTUM_CONNECTION_STRING): its SecretUri ` +
        "does not name a Key Vault host. Use https://<vault>.vault.azure.net/ (vault.azure.cn or " +
        "vault.usgovcloudapi.net in those clouds), or the emulator's https://127.0.0.1:<port>/",
    );
    expect(readFileSync(path, "utf8")).toBe(text);
    expect(vaultLog()).toEqual([]);
  });

  it("a vault that does not exist (its name does not resolve)", async () => {
    const name = "aqn-no-such-vault-7q";
    const dns = await lookup(`${name}.vault.azure.net`).then(() => "resolves", (e) => e.code);
    const e = await rejection(
      connectTo(emu, { env: envWith(`@Microsoft.KeyVault(VaultName=${name};SecretName=quantum)`), ...fast }),
    );
    if (dns === "ENOTFOUND") {
      expect(e).toMatchObject({ name: "NotFoundError", code: "KeyVaultNotFound" });
      expect(e.message).toBe(
        `Cannot reach the Key Vault "${name}": ${name}.vault.azure.net does not resolve, so no vault of that ` +
          `name exists in this cloud (or DNS is down). Check the vault name in ${ENV_SOURCE}`,
      );
    } else {
      // Without a DNS answer (offline), it is unreachable instead; never a success.
      expect(e).toMatchObject({ code: expect.stringMatching(/^KeyVault(Unreachable|NotFound|Unauthorized)$/) });
    }
  });

  it("a secret that does not exist", async () => {
    const e = await rejection(connectTo(emu, { env: envWith(reference("absent")) }));
    expect(e).toMatchObject({ name: "NotFoundError", code: "KeyVaultSecretNotFound", statusCode: 404 });
    expect(e.message).toBe(
      `Cannot read the Key Vault secret "absent" in ${host()}: the vault has no such secret (it may have been ` +
        `deleted). Check the secret name and version in ${ENV_SOURCE}, or create the secret in the vault`,
    );
  });

  it("403 from the vault names the role and the scope", async () => {
    emu.control.vault.setSecret("guarded", emu.connectionString.reveal());
    emu.control.vault.unassignRole("Key Vault Secrets Officer");
    try {
      const e = await rejection(connectTo(emu, { env: envWith(reference("guarded")) }));
      expect(e).toMatchObject({ name: "RequestError", code: "KeyVaultForbidden", statusCode: 403 });
      expect(e.message).toBe(
        `Cannot read the Key Vault secret "guarded" in ${host()}: the identity ${EMULATOR_PRINCIPAL_ID} lacks ` +
          `the role "Key Vault Secrets User" on the vault (403 ForbiddenByRbac). Assign it: az role assignment ` +
          `create --role "Key Vault Secrets User" --assignee ${EMULATOR_PRINCIPAL_ID} --scope /subscriptions/` +
          `${emu.workspace.subscriptionId}/resourcegroups/emulator-rg/providers/microsoft.keyvault/vaults/` +
          "emulator-vault; a new assignment can take a few minutes to apply",
      );
      expectNoSecrets(secrets(), e);
    } finally {
      emu.control.vault.assignRole("Key Vault Secrets Officer");
    }
  });

  it("a secret that is not a connection string", async () => {
    const stored = emu.control.vault.setSecret("password", "correct-horse-battery-staple");
    const e = await rejection(connectTo(emu, { env: envWith(reference("password")) }));
    expect(e).toMatchObject({ name: "ConfigurationError", code: "KeyVaultSecretNotConnectionString" });
    expect(e.message).toBe(
      `Cannot use the Key Vault secret "password" (version ${stored.version}) in ${host()} (from ${ENV_SOURCE}) ` +
        "as an Azure Quantum connection string: it does not parse as one. Store the workspace's connection " +
        "string (Operations > Access keys in the Azure portal) as a new version of the secret, or refer to another secret",
    );
    expectNoSecrets(secrets("correct-horse-battery-staple"), e);
  });

  it("an unreachable vault, and one whose certificate is not trusted", async () => {
    const gone = await startEmulator();
    const url = gone.keyVaultUrl;
    await gone.stop();
    const e = await rejection(
      connectTo(emu, { env: envWith(`@Microsoft.KeyVault(SecretUri=${url}secrets/quantum/)`), ...fast }),
    );
    expect(e).toMatchObject({ name: "NetworkError", code: "KeyVaultUnreachable" });
    expect(e.message).toMatch(
      new RegExp(
        `^Cannot reach the Key Vault at ${url.slice(8, -1)}: .*ECONNREFUSED.*\\. Check the vault URL in ` +
          `${ENV_SOURCE} and your network \\(is the emulator running\\?\\)$`,
      ),
    );
    emu.control.vault.setSecret("quantum", emu.connectionString.reveal());
    const { AZURE_QUANTUM_EMULATOR_CA: _ca, ...noCa } = envWith(reference("quantum"));
    const untrusted = await rejection(connectTo(emu, { env: noCa, ...fast }));
    expect(untrusted).toMatchObject({ name: "NetworkError", code: "KeyVaultUnreachable" });
    expect(untrusted.message).toMatch(
      /its TLS certificate is not trusted \(.*\)\. For the emulator's vault, set AZURE_QUANTUM_EMULATOR_CA to its CA file or pass the `ca` option$/,
    );
    expectNoSecrets(secrets(), e, untrusted);
  });
});
