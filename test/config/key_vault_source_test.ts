import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { CredentialUnavailableError } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  keyVaultSecretTarget,
  parseKeyVaultReference,
} from "../../src/config/key_vault_reference.ts";
import { keyVaultSecretNotConnectionString } from "../../src/config/key_vault_connection.ts";
import {
  CONNECTION_STRING_CONTENT_TYPE,
  connectionStringSecretTags,
  readKeyVaultSecret,
  writeKeyVaultSecret,
} from "../../src/config/key_vault_source.ts";
import { Secret } from "../../src/connection/secret.ts";
import {
  ARM_AUDIENCE,
  type Emulator,
  EMULATOR_PRINCIPAL_ID,
  startEmulator,
} from "../../src/emulator/mod.ts";
import { defaultCredential } from "../../src/config/credential.ts";
import { VERSION } from "../../src/version.ts";
import { expectNoSecrets, rejection, startKeysEmulator } from "../keys/_emulator.ts";

let emu: Emulator;
let credential: TokenCredential;
/** Every token the credential handed out: none may appear in any error or result. */
const tokens: string[] = [];

beforeAll(async () => {
  emu = await startKeysEmulator();
  const real = await defaultCredential();
  credential = {
    async getToken(
      scopes: string | string[],
      options?: GetTokenOptions,
    ): Promise<AccessToken | null> {
      const token = await real.getToken(scopes, options);
      tokens.push(token!.token);
      return token;
    },
  };
});
afterAll(() => emu.stop());

const reference = (name: string, version?: string) =>
  parseKeyVaultReference(
    `@Microsoft.KeyVault(SecretUri=${emu.keyVaultUrl}secrets/${name}/${version ?? ""})`,
  );
const access = () => ({ credential, ca: emu.caCertificate, maxRetries: 0 });
/** Everything that must never be shown: the emulator's keys and connection string, the identity header, tokens. */
const secrets = (...more: string[]) => [
  emu.connectionString.reveal(),
  emu.control.keys().primary.reveal(),
  emu.env.IDENTITY_HEADER.reveal(),
  ...tokens,
  ...more,
];
const vaultCalls = () => emu.control.requestCount({ listener: "vault" });

describe("readKeyVaultSecret with the emulator's DefaultAzureCredential path", () => {
  it("reads the latest version as a Secret with its metadata; after the challenge, one round trip per read", async () => {
    const cs = emu.connectionString.reveal();
    const stored = emu.control.vault.setSecret("quantum", cs, {
      contentType: "text/plain",
      tags: { slot: "primary" },
    });
    const before = vaultCalls();
    const read = await readKeyVaultSecret(reference("quantum"), access());
    expect(vaultCalls() - before).toBe(2); // the challenge (401), then the GET
    expect(read.value.reveal()).toBe(cs);
    expect(read).toEqual({
      value: expect.any(Secret),
      vaultUrl: emu.keyVaultUrl,
      vaultName: undefined,
      secretName: "quantum",
      version: stored.version,
      secretId: `${emu.keyVaultUrl}secrets/quantum/${stored.version}`,
      createdOn: new Date(stored.created),
      updatedOn: new Date(stored.created),
      contentType: "text/plain",
      tags: { slot: "primary" },
      enabled: true,
    });
    expect(Object.isFrozen(read)).toBe(true);
    const again = vaultCalls();
    await readKeyVaultSecret(reference("quantum"), access());
    expect(vaultCalls() - again).toBe(1);
    expectNoSecrets(secrets(), read, { ...read }, Object.entries(read));
  });

  it("reads a pinned version, not the latest", async () => {
    const first = emu.control.vault.setSecret("pinned", "first");
    emu.control.vault.setSecret("pinned", "second");
    const read = await readKeyVaultSecret(reference("pinned", first.version), access());
    expect([read.value.reveal(), read.version]).toEqual(["first", first.version]);
  });

  it("retries a throttled read (429 with Retry-After) by itself", async () => {
    emu.control.vault.setSecret("busy", "value");
    emu.control.setFaults([{ fault: 429, listener: "vault", method: "GET", retryAfterSeconds: 0 }]);
    const read = await readKeyVaultSecret(reference("busy"), { credential, ca: emu.caCertificate });
    expect(read.value.reveal()).toBe("value");
    expect(emu.control.requestLog({ listener: "vault", status: 429 })).toHaveLength(1);
  });
});

describe("writeKeyVaultSecret", () => {
  it("stores a new version with content type and tags, and verifies it reads back", async () => {
    const cs = new Secret(emu.connectionString.reveal());
    const target = keyVaultSecretTarget(emu.keyVaultUrl, "shared");
    const tags = connectionStringSecretTags({
      ...emu.workspace,
      slot: "secondary",
      keyFingerprint: emu.control.keys().secondary.fingerprint,
    });
    await readKeyVaultSecret(reference("quantum"), access()).catch(() => undefined); // the challenge, if not yet
    emu.control.resetLog();
    const written = await writeKeyVaultSecret(target, cs, { ...access(), tags });
    expect(written.value.equals(cs)).toBe(true);
    expect(written.contentType).toBe(CONNECTION_STRING_CONTENT_TYPE);
    expect(written.tags).toEqual({
      "azure-quantum-workspace":
        `/subscriptions/${emu.workspace.subscriptionId}/resourceGroups/emulator-rg` +
        "/providers/Microsoft.Quantum/workspaces/emulator-ws",
      "azure-quantum-key": "secondary",
      "azure-quantum-key-fingerprint": emu.control.keys().secondary.fingerprint,
      "written-by": `azure-quantum-notebook/${VERSION}`,
    });
    expect(emu.control.vault.secret("shared")?.version).toBe(written.version);
    // The client for this vault has answered the challenge already: no 401 here.
    expect(
      emu.control.requestLog({ listener: "vault" }).map((e) => `${e.method} ${e.path} ${e.status}`),
    ).toEqual([
      "PUT /secrets/shared 200",
      `GET /secrets/shared/${written.version} 200`,
    ]);
    // A pinned target still adds a version: writes never overwrite one.
    const pinned = parseKeyVaultReference(
      `@Microsoft.KeyVault(SecretUri=${emu.keyVaultUrl}secrets/shared/${written.version})`,
    );
    const next = await writeKeyVaultSecret(pinned, new Secret("next"), access());
    expect(next.version).not.toBe(written.version);
    expect(emu.control.vault.versions("shared")).toHaveLength(2);
    expectNoSecrets(secrets(), written, next);
  });

  it("names the version it wrote when reading it back fails", async () => {
    emu.control.setFaults([{
      fault: 500,
      listener: "vault",
      method: "GET",
      path: "/secrets/verify/",
    }]);
    const e = await rejection(
      writeKeyVaultSecret(
        keyVaultSecretTarget(emu.keyVaultUrl, "verify"),
        new Secret("v"),
        access(),
      ),
    );
    const version = emu.control.vault.secret("verify")!.version;
    expect(e).toMatchObject({
      name: "RequestError",
      code: "KeyVaultRequestFailed",
      statusCode: 500,
    });
    expect(e.message).toBe(
      `Cannot read back the new version of the Key Vault secret "verify" (version ${version}) in ${hostOf()} just ` +
        "written: Key Vault answered 500 InternalServerError. Try again later; if it persists, check the vault in the Azure portal",
    );
  });
});

const hostOf = () => emu.keyVaultUrl.replace(/^https:\/\//, "").replace(/\/$/, "");

describe("typed errors that name the source and the fix, never a value or a token", () => {
  const source = "env AZURE_QUANTUM_CONNECTION_STRING";

  it("a missing secret or version: NotFoundError KeyVaultSecretNotFound", async () => {
    const e = await rejection(readKeyVaultSecret(reference("absent"), { ...access(), source }));
    expect(e).toMatchObject({
      name: "NotFoundError",
      code: "KeyVaultSecretNotFound",
      statusCode: 404,
      method: "GET",
      url: `${emu.keyVaultUrl}secrets/absent/`,
    });
    expect((e as { requestId?: string }).requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(e.message).toBe(
      `Cannot read the Key Vault secret "absent" in ${hostOf()}: the vault has no such secret (it may have been deleted). ` +
        `Check the secret name and version in ${source}, or create the secret in the vault`,
    );
    emu.control.vault.setSecret("versioned", "x");
    const v = "0123456789abcdef0123456789abcdef";
    const missing = await rejection(readKeyVaultSecret(reference("versioned", v), access()));
    expect(missing.message).toBe(
      `Cannot read the Key Vault secret "versioned" (version ${v}) in ${hostOf()}: the vault has no such secret version ` +
        "(it may have been deleted). Check the secret name and version, or create the secret in the vault",
    );
    expectNoSecrets(secrets(), e, missing);
  });

  it("403 names the role to assign (Secrets User to read, Secrets Officer to write), the identity and the vault scope", async () => {
    const cs = emu.connectionString.reveal();
    emu.control.vault.setSecret("guarded", cs);
    const scope =
      `/subscriptions/${emu.workspace.subscriptionId}/resourcegroups/emulator-rg/providers/microsoft.keyvault/vaults/emulator-vault`;
    emu.control.vault.unassignRole("Key Vault Secrets Officer");
    try {
      const read = await rejection(
        readKeyVaultSecret(reference("guarded"), { ...access(), source }),
      );
      expect(read).toMatchObject({
        name: "RequestError",
        code: "KeyVaultForbidden",
        statusCode: 403,
      });
      expect(read.message).toBe(
        `Cannot read the Key Vault secret "guarded" in ${hostOf()}: the identity ${EMULATOR_PRINCIPAL_ID} lacks the role ` +
          `"Key Vault Secrets User" on the vault (403 ForbiddenByRbac). Assign it: az role assignment create --role ` +
          `"Key Vault Secrets User" --assignee ${EMULATOR_PRINCIPAL_ID} --scope ${scope}; a new assignment can take a few minutes to apply`,
      );
      emu.control.vault.assignRole("Key Vault Secrets User");
      expect((await readKeyVaultSecret(reference("guarded"), access())).value.reveal()).toBe(cs);
      const write = await rejection(
        writeKeyVaultSecret(reference("guarded"), new Secret(cs), access()),
      );
      expect(write.message).toMatch(
        new RegExp(
          `^Cannot write a new version of the Key Vault secret "guarded" in ${hostOf()}: the identity .* lacks the role "Key Vault Secrets Officer" on the vault`,
        ),
      );
      expectNoSecrets(secrets(cs), read, write);
    } finally {
      emu.control.vault.unassignRole("Key Vault Secrets User");
      emu.control.vault.assignRole("Key Vault Secrets Officer");
    }
  });

  it("a disabled version, a name held by a deleted secret", async () => {
    emu.control.vault.setSecret("off", "x", { enabled: false });
    const off = await rejection(readKeyVaultSecret(reference("off"), access()));
    expect(off).toMatchObject({ code: "KeyVaultSecretDisabled", statusCode: 403 });
    expect(off.message).toBe(
      `Cannot read the Key Vault secret "off" in ${hostOf()}: that version is disabled. Enable it in the vault, or refer to another version`,
    );
    emu.control.vault.setSecret("removed", "x");
    const token = emu.control.issueToken({ audience: "https://vault.azure.net" }).reveal();
    tokens.push(token);
    const { send } = await import("../emulator/_https.ts");
    await send(`${emu.keyVaultUrl}secrets/removed?api-version=7.6`, {
      method: "DELETE",
      ca: emu.caCertificate,
      headers: { authorization: `Bearer ${token}` },
    });
    const deleted = await rejection(
      writeKeyVaultSecret(reference("removed"), new Secret("y"), access()),
    );
    expect(deleted).toMatchObject({
      name: "RequestError",
      code: "KeyVaultSecretDeleted",
      statusCode: 409,
    });
    expect(deleted.message).toBe(
      `Cannot write a new version of the Key Vault secret "removed" in ${hostOf()}: a deleted secret of that name is kept ` +
        "for recovery (soft delete). Recover it (az keyvault secret recover), purge it (az keyvault secret purge), or choose another name",
    );
  });

  it("a token Key Vault rejects (401), and no credential at all", async () => {
    const wrong: TokenCredential = {
      getToken: () => {
        const token = emu.control.issueToken({ audience: ARM_AUDIENCE }).reveal();
        tokens.push(token);
        return Promise.resolve({ token, expiresOnTimestamp: Date.now() + 3600_000 });
      },
    };
    const e = await rejection(
      readKeyVaultSecret(reference("quantum"), { credential: wrong, ca: emu.caCertificate }),
    );
    expect(e).toMatchObject({
      name: "UnauthorizedError",
      code: "KeyVaultUnauthorized",
      statusCode: 401,
    });
    expect(e.message).toBe(
      `Cannot read the Key Vault secret "quantum" in ${hostOf()}: Key Vault rejected the credential's token (AKV10022). ` +
        "Sign in to the vault's tenant (az login --tenant …); for the emulator, load the env file it wrote",
    );
    const none: TokenCredential = {
      getToken: () =>
        Promise.reject(new CredentialUnavailableError("ManagedIdentityCredential: no endpoint")),
    };
    const unavailable = await rejection(
      readKeyVaultSecret(reference("quantum"), { credential: none, ca: emu.caCertificate }),
    );
    expect(unavailable).toMatchObject({
      name: "UnauthorizedError",
      code: "KeyVaultCredentialUnavailable",
    });
    expect(unavailable.message).toBe(
      `Cannot read the Key Vault secret "quantum" in ${hostOf()}: no Microsoft Entra credential could get a token for Key Vault ` +
        "(CredentialUnavailableError). Sign in with `az login`, or set up the managed identity or service principal that DefaultAzureCredential uses",
    );
    expectNoSecrets(secrets(), e, unavailable);
  });

  it("an unreachable vault, and one whose certificate is not trusted: NetworkError KeyVaultUnreachable", async () => {
    const gone = await startEmulator();
    const url = gone.keyVaultUrl;
    await gone.stop();
    const stopped = parseKeyVaultReference(`@Microsoft.KeyVault(SecretUri=${url}secrets/quantum/)`);
    const e = await rejection(readKeyVaultSecret(stopped, { ...access(), source }));
    expect(e).toMatchObject({
      name: "NetworkError",
      code: "KeyVaultUnreachable",
      statusCode: undefined,
    });
    expect(e.message).toMatch(
      new RegExp(
        `^Cannot reach the Key Vault at ${
          url.slice(8, -1)
        }: .*ECONNREFUSED.*\\. Check the vault URL in ${source} and your network \\(is the emulator running\\?\\)$`,
      ),
    );
    const untrusted = await rejection(readKeyVaultSecret(reference("quantum"), { credential }));
    expect(untrusted).toMatchObject({ code: "KeyVaultUnreachable" });
    expect(untrusted.message).toMatch(
      /its TLS certificate is not trusted \(.*\)\. For the emulator's vault, set AZURE_QUANTUM_EMULATOR_CA to its CA file or pass the `ca` option$/,
    );
    expectNoSecrets(secrets(), e, untrusted);
  });

  it("an aborted read rejects with the signal's reason", async () => {
    const controller = new AbortController();
    const reason = new Error("stop");
    controller.abort(reason);
    await expect(
      readKeyVaultSecret(reference("quantum"), { ...access(), signal: controller.signal }),
    ).rejects.toBe(reason);
  });

  it("a secret that is not a connection string: ConfigurationError naming the secret and the field only", () => {
    const e = keyVaultSecretNotConnectionString(
      {
        vaultUrl: "https://myvault.vault.azure.net/",
        secretName: "quantum",
        version: "0123456789abcdef0123456789abcdef",
      },
      { source, field: "ApiKey" },
    );
    expect(e).toMatchObject({
      name: "ConfigurationError",
      code: "KeyVaultSecretNotConnectionString",
    });
    expect(e.message).toBe(
      'Cannot use the Key Vault secret "quantum" (version 0123456789abcdef0123456789abcdef) in myvault.vault.azure.net ' +
        `(from ${source}) as an Azure Quantum connection string: its ApiKey field is missing or invalid. Store the ` +
        "workspace's connection string (Operations > Access keys in the Azure portal) as a new version of the secret, or refer to another secret",
    );
  });
});
