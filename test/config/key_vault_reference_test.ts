import fc from "fast-check";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  formatKeyVaultReference,
  keyVaultSecretTarget,
  looksLikeKeyVaultReference,
  parseKeyVaultReference,
} from "../../src/config/key_vault_reference.ts";

const V = "ec96f02080254f109c51a1f14cdb1931";
const SYNTAX =
  "Write @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>/) " +
  "or @Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>)";
const HOST_FIX =
  "Use https://<vault>.vault.azure.net/ (vault.azure.cn or vault.usgovcloudapi.net in those " +
  "clouds), or the emulator's https://127.0.0.1:<port>/";
const ref = (body: string) => `@Microsoft.KeyVault(${body})`;
const uri = (u: string) => ref(`SecretUri=${u}`);

/** The error `fn` throws. */
function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a throw");
}

describe("parseKeyVaultReference: the forms App Service and Azure Functions accept", () => {
  const myvault = {
    vaultUrl: "https://myvault.vault.azure.net/",
    vaultName: "myvault",
    isLoopback: false,
  };
  const cases: [string, Record<string, unknown>][] = [
    // Microsoft's documented examples.
    [uri("https://myvault.vault.azure.net/secrets/mysecret/"), {
      ...myvault,
      secretName: "mysecret",
      secretVersion: undefined,
      secretUri: "https://myvault.vault.azure.net/secrets/mysecret/",
      syntax: "SecretUri",
    }],
    [uri(`https://myvault.vault.azure.net/secrets/mysecret/${V}`), {
      ...myvault,
      secretVersion: V,
      secretUri: `https://myvault.vault.azure.net/secrets/mysecret/${V}`,
    }],
    [ref("VaultName=myvault;SecretName=mysecret"), {
      ...myvault,
      secretName: "mysecret",
      secretVersion: undefined,
      syntax: "VaultName",
    }],
    [ref(`VaultName=myvault;SecretName=mysecret;SecretVersion=${V}`), {
      secretVersion: V,
      syntax: "VaultName",
    }],
    // Without the trailing slash, with one after the version, on port 443, upper-case host and scheme.
    [uri("https://myvault.vault.azure.net/secrets/mysecret"), {
      secretUri: "https://myvault.vault.azure.net/secrets/mysecret/",
    }],
    [uri(`https://myvault.vault.azure.net/secrets/mysecret/${V}/`), { secretVersion: V }],
    [uri("https://myvault.vault.azure.net:443/secrets/mysecret/"), {
      vaultUrl: "https://myvault.vault.azure.net/",
    }],
    [uri("HTTPS://MyVault.VAULT.Azure.NET/Secrets/MySecret/"), {
      ...myvault,
      secretName: "MySecret",
    }],
    [uri(`https://myvault.vault.azure.net/secrets/mysecret/${V.toUpperCase()}`), {
      secretVersion: V,
    }],
    // Case-insensitive prefix and names, whitespace around the parts, any order, a trailing ";",
    // an empty SecretVersion (= latest), as az appconfig's App Service import reads them.
    [`  @microsoft.keyvault( secreturi = https://myvault.vault.azure.net/secrets/mysecret/ )\n`, {
      secretName: "mysecret",
    }],
    [ref(" SecretName = mysecret ; VAULTNAME = MyVault ; "), {
      ...myvault,
      secretName: "mysecret",
    }],
    [ref("VaultName=myvault;SecretName=mysecret;SecretVersion="), { secretVersion: undefined }],
    // Other clouds, the emulator's loopback vault.
    [uri("https://myvault.vault.azure.cn/secrets/s/"), {
      vaultUrl: "https://myvault.vault.azure.cn/",
      vaultName: "myvault",
    }],
    [uri("https://myvault.vault.usgovcloudapi.net/secrets/s/"), {
      vaultUrl: "https://myvault.vault.usgovcloudapi.net/",
    }],
    [uri("https://127.0.0.1:8443/secrets/quantum/"), {
      vaultUrl: "https://127.0.0.1:8443/",
      vaultName: undefined,
      isLoopback: true,
      secretUri: "https://127.0.0.1:8443/secrets/quantum/",
    }],
    [uri("https://LOCALHOST:1/secrets/q"), { vaultUrl: "https://localhost:1/", isLoopback: true }],
    // Limits of Key Vault's names.
    [ref(`VaultName=a${"b".repeat(22)}c;SecretName=${"s".repeat(127)}`), {
      vaultName: `a${"b".repeat(22)}c`,
    }],
    [ref("VaultName=a-b-c;SecretName=-"), { vaultName: "a-b-c", secretName: "-" }],
  ];
  it.each(cases)("%s", (text, expected) => {
    const parsed = parseKeyVaultReference(text);
    expect(parsed).toMatchObject(expected);
    expect(Object.isFrozen(parsed)).toBe(true);
    // What it points at survives formatting and parsing again.
    const again = parseKeyVaultReference(formatKeyVaultReference(parsed));
    expect({ ...again, syntax: parsed.syntax }).toEqual(parsed);
  });
});

describe("parseKeyVaultReference: malformed references get a typed error naming the part and the fix", () => {
  const prefix = "Cannot parse Key Vault reference from env AZURE_QUANTUM_CONNECTION_STRING: ";
  const cases: [string, string][] = [
    [
      "@Microsoft.AppConfiguration(Endpoint=https://x.azconfig.io; Key=k)",
      `it does not start with @Microsoft.KeyVault(. ${SYNTAX}`,
    ],
    [
      ref("VaultName=v1x;SecretName=s").slice(0, -1),
      `it does not end with ")" or has text after it. ${SYNTAX}`,
    ],
    [
      ref("VaultName=v1x;SecretName=s") + " trailing",
      `it does not end with ")" or has text after it. ${SYNTAX}`,
    ],
    [
      `"${ref("VaultName=v1x;SecretName=s")}"`,
      "it is wrapped in quotes. Remove the quotes around @Microsoft.KeyVault(…)",
    ],
    [ref(""), `it has no VaultName (and no SecretUri). ${SYNTAX}`],
    [ref("VaultName=myvault"), `it has no SecretName (and no SecretUri). ${SYNTAX}`],
    [ref("VaultName=;SecretName=s"), `its VaultName is empty. ${SYNTAX}`],
    [
      ref("VaultName=myvault;SecretName=s;Version=1"),
      'it has an unknown parameter "Version". Use only SecretUri, VaultName, SecretName, SecretVersion',
    ],
    [
      ref("VaultName=myvault;SecretName=s;SecretName=t"),
      "it has SecretName twice. Write SecretName once",
    ],
    [
      ref("SecretUri=https://myvault.vault.azure.net/secrets/s/;VaultName=myvault"),
      "it mixes SecretUri with VaultName. Use either SecretUri=… alone or VaultName=…;SecretName=…",
    ],
    [
      ref("VaultName=myvault;SecretName"),
      `a parameter has no "=". Write each parameter as Name=value, separated by ";"`,
    ],
    [
      ref("VaultName=my vault;SecretName=s"),
      "its VaultName has whitespace inside. Remove the spaces from the VaultName value",
    ],
    [
      ref('VaultName="myvault";SecretName=s'),
      "its VaultName is in quotes. Remove the quotes around the VaultName value",
    ],
    [
      ref("VaultName=myvault(1);SecretName=s"),
      `it has a parenthesis inside the reference. ${SYNTAX}`,
    ],
    [
      ref("VaultName=https://myvault.vault.azure.net;SecretName=s"),
      "its VaultName is a host or URL, not a vault name. Write the vault's name only (myvault), or use SecretUri=https://…",
    ],
    [
      ref("VaultName=myvault.vault.azure.net;SecretName=s"),
      "its VaultName is a host or URL, not a vault name. Write the vault's name only (myvault), or use SecretUri=https://…",
    ],
    ...["ab", "1vault", "my--vault", "vault-", "my_vault", `a${"b".repeat(23)}c`].map((
      name,
    ): [string, string] => [
      ref(`VaultName=${name};SecretName=s`),
      "its VaultName is not a valid vault name. Vault names have 3 to 24 letters, digits and single hyphens, start with a letter and end with a letter or digit",
    ]),
    ...["my_secret", "s".repeat(128), "a.b"].map((name): [string, string] => [
      ref(`VaultName=myvault;SecretName=${name}`),
      "its secret name is not valid. Secret names have 1 to 127 letters, digits and hyphens",
    ]),
    ...["123", "g".repeat(32), `${V}0`].map((v): [string, string] => [
      ref(`VaultName=myvault;SecretName=s;SecretVersion=${v}`),
      "its secret version is not a Key Vault version (32 hex digits). Copy the version from the secret's identifier, or leave it out to use the latest version",
    ]),
    [uri(""), `its SecretUri is empty. ${SYNTAX}`],
    [uri("myvault.vault.azure.net/secrets/s/"), `its SecretUri is not an https:// URL. ${SYNTAX}`],
    [
      uri("http://myvault.vault.azure.net/secrets/s/"),
      `its SecretUri does not use https. ${SYNTAX}`,
    ],
    [
      uri("https://myvault.vault.azure.net/secrets/s/?api-version=7.4"),
      "its SecretUri has a query or fragment. Remove everything from ? or # on",
    ],
    [
      uri("https://evil.example/secrets/s/#.vault.azure.net"),
      "its SecretUri has a query or fragment. Remove everything from ? or # on",
    ],
    [
      uri("https://evil.example/secrets/s/"),
      `its SecretUri does not name a Key Vault host. ${HOST_FIX}`,
    ],
    [
      uri("https://myvault.vault.azure.net.evil.example/secrets/s/"),
      `its SecretUri does not name a Key Vault host. ${HOST_FIX}`,
    ],
    [
      uri("https://evilvault.azure.net/secrets/s/"),
      `its SecretUri does not name a Key Vault host. ${HOST_FIX}`,
    ],
    [
      uri("https://vault.azure.net/secrets/s/"),
      `its SecretUri does not name a Key Vault host. ${HOST_FIX}`,
    ],
    [
      uri("https://myvault.managedhsm.azure.net/secrets/s/"),
      `its SecretUri does not name a Key Vault host. ${HOST_FIX}`,
    ],
    [
      uri("https://my--vault.vault.azure.net/secrets/s/"),
      "its SecretUri's vault is not a valid vault name. Vault names have 3 to 24 letters, digits and single hyphens, start with a letter and end with a letter or digit",
    ],
    [
      uri("https://myvault.vault.azure.net:8443/secrets/s/"),
      `its SecretUri has a port, which vault hosts do not take. ${SYNTAX}`,
    ],
    [
      uri("https://myvault.vault.azure.net\\@evil.example/secrets/s/"),
      "its SecretUri has user information before the host. Remove it: vault URLs carry no credentials",
    ],
    [
      uri("https://myv\u0430ult.vault.azure.net/secrets/s/"),
      `its SecretUri does not name a vault host. ${SYNTAX}`,
    ],
    [uri("https://[::1]:8443/secrets/s/"), `its SecretUri does not name a vault host. ${SYNTAX}`],
    [
      uri("https://127.0.0.1/secrets/s/"),
      "its SecretUri names a loopback host without a valid port. Use the emulator's vault URL, https://127.0.0.1:<port>/",
    ],
    [
      uri("https://127.0.0.1:0/secrets/s/"),
      "its SecretUri names a loopback host without a valid port. Use the emulator's vault URL, https://127.0.0.1:<port>/",
    ],
    [
      uri("https://127.0.0.1:70000/secrets/s/"),
      "its SecretUri names a loopback host without a valid port. Use the emulator's vault URL, https://127.0.0.1:<port>/",
    ],
    [
      uri("https://myvault.vault.azure.net/keys/k/"),
      `its SecretUri names a key or certificate, not a secret. ${SYNTAX}`,
    ],
    [
      uri("https://myvault.vault.azure.net/certificates/c"),
      `its SecretUri names a key or certificate, not a secret. ${SYNTAX}`,
    ],
    [
      uri("https://myvault.vault.azure.net/"),
      `its SecretUri does not have the path /secrets/<name>/[<version>]. ${SYNTAX}`,
    ],
    [
      uri("https://myvault.vault.azure.net/secrets/s//"),
      `its SecretUri does not have the path /secrets/<name>/[<version>]. ${SYNTAX}`,
    ],
    [
      uri(`https://myvault.vault.azure.net/secrets/s/${V}/x`),
      `its SecretUri does not have the path /secrets/<name>/[<version>]. ${SYNTAX}`,
    ],
    [
      uri("https://myvault.vault.azure.net/secrets/s/../../keys/k"),
      `its SecretUri does not have the path /secrets/<name>/[<version>]. ${SYNTAX}`,
    ],
    [
      uri("https://myvault.vault.azure.net/secrets/%2e%2e/"),
      "its secret name is not valid. Secret names have 1 to 127 letters, digits and hyphens",
    ],
    [
      uri("https://myvault.vault.azure.net/secrets/s/.."),
      "its secret version is not a Key Vault version (32 hex digits). Copy the version from the secret's identifier, or leave it out to use the latest version",
    ],
  ];
  it.each(cases)("%s", (text, message) => {
    const e = thrown(() =>
      parseKeyVaultReference(text, { source: "env AZURE_QUANTUM_CONNECTION_STRING" })
    );
    expect(e.name).toBe("ConfigurationError");
    expect(e.code).toBe("KeyVaultReferenceInvalid");
    expect(e.message).toBe(prefix + message);
  });

  it("says where the reference came from only when told", () => {
    expect(thrown(() => parseKeyVaultReference(ref(""))).message).toBe(
      `Cannot parse Key Vault reference: it has no VaultName (and no SecretUri). ${SYNTAX}`,
    );
    expect(() => parseKeyVaultReference(42 as unknown as string)).toThrow(TypeError);
  });
});

describe("parseKeyVaultReference never echoes what could be a secret", () => {
  const key = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6QUJDREVGR0g";
  const hostile = [
    // credentials in the URL, a connection string pasted inside, a key glued to a name
    uri(`https://user:${key}@myvault.vault.azure.net/secrets/s/`),
    uri(`https://myvault.vault.azure.net/secrets/s/?sig=${key}`),
    ref(
      `SubscriptionId=00000000-0000-0000-0000-000000000000;ApiKey=${key};QuantumEndpoint=https://eastus.quantum.azure.com/`,
    ),
    ref(`ApiKey${key.slice(0, 20)}=x`),
    ref(`${key.slice(0, 20)}=${key.slice(0, 20)}x`),
    ref(`VaultName=${key};SecretName=s`),
    ref(`VaultName=myvault;SecretName=${key}_`),
    ref(`VaultName=myvault;SecretName=s;SecretVersion=${key}`),
    ref(`SecretUri=https://${key.toLowerCase()}.example/secrets/s/`),
  ];
  it.each(hostile)("%s", (text) => {
    const e = thrown(() => parseKeyVaultReference(text));
    expect(e.name).toBe("ConfigurationError");
    for (
      const shown of [e.message, e.stack ?? "", inspect(e, { showHidden: true }), JSON.stringify(e)]
    ) {
      expect(shown).not.toContain(key.slice(0, 16));
      expect(shown.toLowerCase()).not.toContain(key.slice(0, 16).toLowerCase());
    }
  });

  it("throws only typed errors and never echoes a value, whatever the text (property)", () => {
    const token = fc.stringMatching(/^[A-Za-z0-9]{24}$/);
    const noise = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(
        noise,
        token,
        noise,
        fc.constantFrom("SecretUri", "VaultName", "SecretName", "SecretVersion", "Other"),
        (a, t, b, name) => {
          for (
            const text of [
              ref(`${name}=${a}${t}${b}`),
              ref(`VaultName=myvault;${name}=${a}${t}${b}`),
              `${a}${t}${b}`,
            ]
          ) {
            try {
              parseKeyVaultReference(text);
            } catch (e) {
              expect((e as Error).name).toBe("ConfigurationError");
              expect((e as Error).message).not.toContain(t);
            }
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("looksLikeKeyVaultReference, keyVaultSecretTarget and formatKeyVaultReference", () => {
  it("tells a reference (also a malformed or quoted one) from a connection string", () => {
    expect(looksLikeKeyVaultReference(" @microsoft.keyvault(nonsense")).toBe(true);
    expect(looksLikeKeyVaultReference(`'${ref("VaultName=v;SecretName=s")}'`)).toBe(true);
    expect(looksLikeKeyVaultReference("SubscriptionId=x;ApiKey=@Microsoft.KeyVault(")).toBe(false);
    expect(looksLikeKeyVaultReference("@Microsoft.KeyVaultX(")).toBe(false);
    expect(looksLikeKeyVaultReference(undefined as unknown as string)).toBe(false);
  });

  it("builds a versionless target from a vault URL and a name, checked like a reference", () => {
    expect(keyVaultSecretTarget("https://MyVault.vault.azure.net", "quantum")).toEqual({
      vaultUrl: "https://myvault.vault.azure.net/",
      vaultName: "myvault",
      secretName: "quantum",
      secretVersion: undefined,
      isLoopback: false,
      secretUri: "https://myvault.vault.azure.net/secrets/quantum/",
      syntax: "SecretUri",
    });
    expect(keyVaultSecretTarget("https://127.0.0.1:8443/", "q", V).secretUri).toBe(
      `https://127.0.0.1:8443/secrets/q/${V}`,
    );
    expect(
      thrown(() => keyVaultSecretTarget("https://myvault.vault.azure.net/secrets/x", "q")).message,
    ).toBe(
      "Cannot parse Key Vault reference: its vault URL has a path. Use the vault's URL only, https://<vault>.vault.azure.net/",
    );
    expect(thrown(() => keyVaultSecretTarget("https://example.com/", "q")).message).toBe(
      `Cannot parse Key Vault reference: its vault URL does not name a Key Vault host. ${HOST_FIX}`,
    );
    expect(thrown(() => keyVaultSecretTarget("https://myvault.vault.azure.net/", "bad name")).code)
      .toBe(
        "KeyVaultReferenceInvalid",
      );
  });

  it("formats the SecretUri form, versionless unless pinned", () => {
    expect(
      formatKeyVaultReference({
        vaultUrl: "https://myvault.vault.azure.net/",
        secretName: "quantum",
      }),
    ).toBe(
      "@Microsoft.KeyVault(SecretUri=https://myvault.vault.azure.net/secrets/quantum/)",
    );
    expect(
      formatKeyVaultReference({
        vaultUrl: "https://127.0.0.1:8443",
        secretName: "q",
        secretVersion: V,
      }),
    ).toBe(
      `@Microsoft.KeyVault(SecretUri=https://127.0.0.1:8443/secrets/q/${V})`,
    );
  });
});
