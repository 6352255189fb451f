// The key-change opt-in (issue 12) gates a rotation whose key lives in Key Vault (issue 16): on
// Azure without the opt-in, rotate() returns NotApplied before any request (no vault write, no
// ARM call, no rotation lock), and its confirmation text names the vault and the opt-in.
import { describe, expect, it } from "vitest";
import { parseConnectionString } from "../../src/connection/connection_string.ts";
import type { ConnectionInfo } from "../../src/connection/connection_info.ts";
import { NotApplied } from "../../src/keys/results.ts";
import { Workspace } from "../../src/workspace/workspace.ts";

const CS = "SubscriptionId=11111111-1111-4111-8111-111111111111;ResourceGroupName=rg;WorkspaceName=real;" +
  `ApiKey=${"A".repeat(86)};QuantumEndpoint=https://westus.quantum.azure.com/;`;

function azureWorkspaceFromVault(env: Record<string, string> = {}): { ws: Workspace; requests: string[] } {
  const info: ConnectionInfo = {
    ...parseConnectionString(CS),
    keySource: {
      kind: "dotenv",
      variable: "AZURE_QUANTUM_CONNECTION_STRING",
      path: "/repo/.env",
      keyVault: {
        vaultUrl: "https://myvault.vault.azure.net/",
        vaultName: "myvault",
        secretName: "quantum",
        version: "0".repeat(32),
        pinned: false,
        syntax: "SecretUri",
        createdOn: undefined,
        readAt: "2026-01-01T00:00:00.000Z",
      },
    },
  };
  const requests: string[] = [];
  const refuse = (req: Request) => {
    requests.push(req.url);
    return Promise.reject(new Error("no request expected"));
  };
  const credential = {
    getToken: () => {
      requests.push("token");
      return Promise.reject(new Error("no token expected"));
    },
  };
  const ws = new Workspace(info, {
    progress: false,
    env,
    fetch: refuse,
    armFetch: refuse,
    credential,
    retry: { maxRetries: 0 },
  });
  return { ws, requests };
}

describe("keys.rotate() with the key in Key Vault, on Azure", () => {
  it("without the opt-in: NotApplied (opt-in-required) before any vault or ARM request", async () => {
    const { ws, requests } = azureWorkspaceFromVault();
    const result = await ws.keys.rotate({ confirm: true });
    expect(result).toBeInstanceOf(NotApplied);
    expect((result as NotApplied).reason).toBe("opt-in-required");
    expect(requests).toEqual([]);
  });

  it("unconfirmed: says the vault gets a new version, and that Azure needs the opt-in", async () => {
    const { ws, requests } = azureWorkspaceFromVault();
    const result = await ws.keys.rotate() as NotApplied;
    expect(result.reason).toBe("confirmation-required");
    expect(result.impact).toContain('the Key Vault secret "quantum" gets a new version and this kernel switches to it.');
    expect(result.fix).toBe(
      "Run again with { confirm: true }; on Azure also opt in: set AZURE_QUANTUM_ALLOW_KEY_CHANGES=1 in the environment, or connect({ allowKeyChanges: true }).",
    );
    expect(requests).toEqual([]);
  });

  it("with the opt-in it goes ahead (and here fails at the first request, the ARM listKeys token)", async () => {
    const { ws, requests } = azureWorkspaceFromVault({ AZURE_QUANTUM_ALLOW_KEY_CHANGES: "1" });
    await expect(ws.keys.rotate({ confirm: true, lockTimeoutMs: 5000 })).rejects.toThrow(/step "find key in use" failed/);
    expect(requests[0]).toBe("token");
  });
});
