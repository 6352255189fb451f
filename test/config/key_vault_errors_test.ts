import { createHttpHeaders, createPipelineRequest, RestError } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { keyVaultError } from "../../src/config/key_vault_errors.ts";
import { parseKeyVaultReference } from "../../src/config/key_vault_reference.ts";
import { expectNoSecrets } from "../keys/_emulator.ts";

// Cases the emulator cannot produce (a real vault's DNS, access policies): the SDK's own
// RestError, built as core-rest-pipeline builds it, with a token in the request it carries.
const TOKEN =
  "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJodHRwczovL3ZhdWx0LmF6dXJlLm5ldCJ9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg";
const ref = parseKeyVaultReference("@Microsoft.KeyVault(VaultName=myvault;SecretName=quantum)");
const request = () =>
  createPipelineRequest({
    url: "https://myvault.vault.azure.net/secrets/quantum/?api-version=2025-07-01",
    method: "GET",
    headers: createHttpHeaders({ authorization: `Bearer ${TOKEN}` }),
  });

function restError(
  message: string,
  options: { code?: string; statusCode?: number; details?: unknown },
) {
  const e = new RestError(message, {
    code: options.code,
    statusCode: options.statusCode,
    request: request(),
  });
  if (options.details) e.details = options.details;
  return e;
}

describe("keyVaultError: what SecretClient throws, as typed errors", () => {
  it("a vault name that does not resolve: NotFoundError KeyVaultNotFound naming the vault", () => {
    const e = keyVaultError(
      restError("getaddrinfo ENOTFOUND myvault.vault.azure.net", { code: "REQUEST_SEND_ERROR" }),
      { op: "read", ref, source: "env AZURE_QUANTUM_CONNECTION_STRING" },
    ) as Error;
    expect(e).toMatchObject({
      name: "NotFoundError",
      code: "KeyVaultNotFound",
      statusCode: undefined,
      method: "GET",
      url: "https://myvault.vault.azure.net/secrets/quantum/",
    });
    expect(e.message).toBe(
      'Cannot reach the Key Vault "myvault": myvault.vault.azure.net does not resolve, so no vault of that name exists ' +
        "in this cloud (or DNS is down). Check the vault name in env AZURE_QUANTUM_CONNECTION_STRING",
    );
    expectNoSecrets([TOKEN], e);
  });

  it("a vault with access policies: KeyVaultForbidden naming the permission, and RBAC as the alternative", () => {
    const e = keyVaultError(
      restError("The user, group or application does not have secrets set permission", {
        statusCode: 403,
        code: "Forbidden",
        details: {
          error: { code: "Forbidden", message: "…", innerError: { code: "AccessDenied" } },
        },
      }),
      { op: "write", ref },
    ) as Error;
    expect(e.message).toBe(
      'Cannot write a new version of the Key Vault secret "quantum" in myvault.vault.azure.net: the vault uses access ' +
        'policies and none gives the signed-in identity the secrets "Set" permission. Add an access policy with it, or ' +
        'switch the vault to Azure RBAC and assign "Key Vault Secrets Officer"',
    );
    expectNoSecrets([TOKEN], e);
  });

  it("other statuses and unknown failures: RequestError KeyVaultRequestFailed, with status and code only", () => {
    const e = keyVaultError(
      restError("Too many requests", { statusCode: 429, code: "Throttled" }),
      { op: "read", ref },
    );
    expect(e).toMatchObject({
      name: "RequestError",
      code: "KeyVaultRequestFailed",
      statusCode: 429,
    });
    expect((e as Error).message).toBe(
      'Cannot read the Key Vault secret "quantum" in myvault.vault.azure.net: Key Vault answered 429 Throttled. ' +
        "Try again later; if it persists, check the vault in the Azure portal",
    );
    const odd = keyVaultError(new TypeError(`boom ${TOKEN}`), { op: "read", ref }) as Error;
    expect(odd.message).toBe(
      'Cannot read the Key Vault secret "quantum" in myvault.vault.azure.net: the Key Vault client failed (TypeError). ' +
        "Try again; if it persists, report it",
    );
    expectNoSecrets([TOKEN], e, odd);
  });

  it("an aborted request: the signal's reason", () => {
    const controller = new AbortController();
    controller.abort(new Error("stopped"));
    expect(keyVaultError(new Error("aborted"), { op: "read", ref }, controller.signal)).toBe(
      controller.signal.reason,
    );
  });
});
