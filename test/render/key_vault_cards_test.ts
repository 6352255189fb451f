import { describe, expect, it } from "vitest";
import type { KeyVaultOrigin } from "../../src/connection/connection_info.ts";
import {
  describeKeyVaultOrigin,
  renderKeyVaultMove,
  renderKeyVaultShare,
} from "../../src/render/key_vault_cards.ts";

const V = "0123456789abcdef0123456789abcdef";
const origin: KeyVaultOrigin = {
  vaultUrl: "https://myvault.vault.azure.net/",
  vaultName: "myvault",
  secretName: "quantum",
  version: V,
  pinned: false,
  syntax: "SecretUri",
  createdOn: "2026-11-28T12:00:00.000Z",
  readAt: "2026-11-30T12:00:00.000Z",
};

describe("describeKeyVaultOrigin", () => {
  it("names the secret, the version (latest when read, or pinned) and its age", () => {
    expect(describeKeyVaultOrigin(origin)).toBe(
      'Key Vault secret "quantum" in myvault.vault.azure.net\n' +
        `version ${V} (the latest, read 2026-11-30T12:00:00.000Z)\n` +
        "created 2026-11-28T12:00:00.000Z (2 d old when read)",
    );
    expect(describeKeyVaultOrigin({ ...origin, pinned: true }, new Date("2026-11-30T15:00:00Z"))).toBe(
      'Key Vault secret "quantum" in myvault.vault.azure.net\n' +
        `version ${V} (pinned by the reference)\n` +
        "created 2026-11-28T12:00:00.000Z (2 d 3 h ago)",
    );
    expect(describeKeyVaultOrigin({ ...origin, createdOn: undefined }).split("\n")).toHaveLength(2);
  });
});

describe("the share and move cards", () => {
  it("escape what they show, and carry their data as JSON", () => {
    const share = renderKeyVaultShare({
      workspaceName: "ws<b>",
      slot: "secondary",
      keyFingerprint: "sha256:0badf00d",
      vaultUrl: origin.vaultUrl,
      secretName: "shared",
      version: V,
      secretId: `${origin.vaultUrl}secrets/shared/${V}`,
      createdOn: undefined,
      reference: `@Microsoft.KeyVault(SecretUri=${origin.vaultUrl}secrets/shared/)`,
      inUse: false,
    });
    expect(share["text/html"]).toContain("ws&lt;b&gt;");
    expect(share["text/html"]).not.toContain("ws<b>");
    expect(share["application/json"]).toMatchObject({ operation: "shareToKeyVault", secretName: "shared", applied: true });

    const move = renderKeyVaultMove({
      workspaceName: "ws",
      vaultUrl: origin.vaultUrl,
      secretName: "quantum",
      version: V,
      secretId: `${origin.vaultUrl}secrets/quantum/${V}`,
      reference: `@Microsoft.KeyVault(SecretUri=${origin.vaultUrl}secrets/quantum/)`,
      keyFingerprint: "sha256:0badf00d",
      changed: ["Wrote a version.", "/repo/.env: replaced."],
      todo: ["Remove the export.", "Rotate."],
      warnings: [],
    });
    expect(move["text/plain"]).toBe(
      [
        "Connection string of ws moved to Key Vault  [Moved: to do]",
        `Secret:      "quantum" in myvault.vault.azure.net, version ${V}`,
        "Key:         sha256:0badf00d",
        `Reference:   @Microsoft.KeyVault(SecretUri=${origin.vaultUrl}secrets/quantum/)`,
        "Changed:     Wrote a version.",
        "             /repo/.env: replaced.",
        "Still to do: 1. Remove the export.",
        "             2. Rotate.",
        "The value is only in the vault now; the reference is not secret.",
      ].join("\n"),
    );
  });
});
